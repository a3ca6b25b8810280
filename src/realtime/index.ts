/** The widget's realtime layer: the session's controller and the Lit adapter for views of one conversation. */
export * from './controller.ts';
export * from './conversation-controller.ts';
export { connectionStatus, type ConnectionInputs } from './connection-status.ts';
export { nextTask, type Defer } from './next-task.ts';
