import { nextFrame } from '@open-wc/testing';

/**
 * A fake `requestIdleCallback` (what the stub waits for before loading for a returning visitor):
 * callbacks queue until the test says the browser is idle (`run()`), so no test waits for real idle
 * time or for the stub's 5 s idle timeout.
 */
export function fakeIdle(): { run: () => Promise<void>; restore: () => void } {
  const originalRequest = window.requestIdleCallback;
  const originalCancel = window.cancelIdleCallback;
  const queue = new Map<number, IdleRequestCallback>();
  let next = 0;
  window.requestIdleCallback = (callback) => {
    next += 1;
    queue.set(next, callback);
    return next;
  };
  window.cancelIdleCallback = (handle) => {
    queue.delete(handle);
  };
  return {
    /** Every queued callback runs (also those they queue), then a frame passes. */
    async run() {
      const deadline: IdleDeadline = { didTimeout: false, timeRemaining: () => 50 };
      for (let round = 0; round < 10 && queue.size > 0; round += 1) {
        const callbacks = [...queue.values()];
        queue.clear();
        for (const callback of callbacks) callback(deadline);
      }
      await nextFrame();
    },
    restore() {
      window.requestIdleCallback = originalRequest;
      window.cancelIdleCallback = originalCancel;
    },
  };
}
