/**
 * The data layer's public surface, so the state and realtime layers import from one place and
 * internals (validate.ts) stay free to change.
 */
export * from './api.ts';
export * from './team-api.ts';
export * from './errors.ts';
export * from './types.ts';
export { MAX_PAGE_SIZE } from './validate.ts';
export * from './audience.ts';
