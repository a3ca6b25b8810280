/** The widget's state layer: pure reducers and the per-instance store factory. */
export * from './conversations.ts';
export * from './outbox.ts';
export * from './parley-state.ts';
export * from './thread.ts';
export * from './typing.ts';
export * from './inbox.ts';
