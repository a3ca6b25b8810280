/**
 * The widget's state layer: pure reducers and the per-instance store factory. The store modules
 * `parley-state.ts` composes (`*-store.ts`, `sends.ts`) are internal to it and not re-exported.
 */
export * from './conversations.ts';
export * from './outbox.ts';
export * from './parley-state.ts';
export * from './reads.ts';
export * from './row-with-message.ts';
export * from './sends.ts';
export * from './thread.ts';
export * from './typing.ts';
export * from './inbox.ts';
export * from './vocabularies.ts';
