/**
 * realtime-js keeps heartbeats going in background tabs from a worker it starts from a `blob:` URL.
 * A Content-Security-Policy without `worker-src blob:` (or a `script-src` / `default-src` allowing
 * it) blocks that worker asynchronously: the constructor succeeds, then the worker fails, and
 * realtime-js answers the failure by disconnecting, on every connect. So the widget turns worker
 * heartbeats on only after a worker of its own has started on this page; without them, heartbeats
 * run on the page's timers (throttled in background tabs, where the controller resyncs on
 * `visibilitychange`).
 */

/** How long a worker may take to start before the page is taken not to allow it. */
const PROBE_TIMEOUT_MS = 3000;

let probe: Promise<boolean> | null = null;

/** Whether this page can run a worker from a `blob:` URL; probed once per page. */
export function blobWorkersAllowed(): Promise<boolean> {
  probe ??= new Promise<boolean>((resolve) => {
    if (typeof Worker === 'undefined' || typeof Blob === 'undefined' || typeof URL.createObjectURL !== 'function') {
      resolve(false);
      return;
    }
    let url: string | null = null;
    let worker: Worker | null = null;
    const done = (allowed: boolean): void => {
      clearTimeout(timer);
      worker?.terminate();
      if (url) URL.revokeObjectURL(url);
      resolve(allowed);
    };
    const timer = setTimeout(() => done(false), PROBE_TIMEOUT_MS);
    try {
      url = URL.createObjectURL(new Blob(['postMessage(1)'], { type: 'text/javascript' }));
      worker = new Worker(url);
      worker.onmessage = () => done(true);
      worker.onerror = () => done(false);
    } catch {
      done(false);
    }
  });
  return probe;
}
