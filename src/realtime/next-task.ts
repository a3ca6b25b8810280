/**
 * Runs callbacks in a task of their own, after the events already queued: a MessageChannel, which
 * (unlike timers) hidden tabs do not throttle. Callbacks asked for before the task runs share it,
 * in order.
 */
export type Defer = (callback: () => void) => void;

let queued: (() => void)[] = [];
let post: (() => void) | null = null;

function runQueued(): void {
  const callbacks = queued;
  queued = [];
  for (const callback of callbacks) {
    try {
      callback();
    } catch (error) {
      // The others still run; the failure is reported as uncaught, as it would have been.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

export const nextTask: Defer = (callback) => {
  queued.push(callback);
  if (queued.length > 1) return;
  if (post === null) {
    if (typeof MessageChannel === 'undefined') {
      post = () => void setTimeout(runQueued, 0);
    } else {
      const channel = new MessageChannel();
      channel.port1.onmessage = runQueued;
      // Node (tests, server rendering) would otherwise stay alive for the open port.
      (channel.port1 as { unref?: () => void }).unref?.();
      post = () => channel.port2.postMessage(null);
    }
  }
  post();
};
