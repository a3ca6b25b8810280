/**
 * Realtime heartbeats for a hidden tab. realtime-js sends them from the page's timers, which
 * browsers throttle in background tabs (to once a minute after a while): the server then takes the
 * socket for dead. A worker's timers are not throttled, so while the page is hidden a worker of our
 * own ticks at realtime's heartbeat interval and each tick sends the heartbeat through the client's
 * public `sendHeartbeat()`.
 *
 * Not realtime-js's own `worker` option: that one starts its worker with every socket, visible
 * page or not (a worker on every returning visitor's page load, for nothing while the page is in
 * front), sends heartbeats from its timers as well (a tick landing while one is pending counts as a
 * timeout and drops the socket), and answers a worker the page's Content-Security-Policy blocks
 * (`worker-src` without `blob:`) by disconnecting, on every connect. Here a blocked worker only
 * means no background heartbeats: the controller resyncs on `visibilitychange` when the tab shows
 * again, as it does after any drop.
 */
import type { RealtimeClient } from '@supabase/supabase-js';

/** What the worker runs: a tick at the interval it is sent. */
const TICKER = 'onmessage=(e)=>setInterval(()=>postMessage(0),e.data)';

/**
 * Keeps `realtime`'s heartbeats going from a worker while `doc` is hidden; the worker ends when the
 * page shows again. Returns the stop function (the session's dispose).
 */
export function backgroundHeartbeat(realtime: RealtimeClient, doc: Document | undefined = globalThis.document): () => void {
  if (!doc || typeof Worker === 'undefined' || typeof Blob === 'undefined' || typeof URL.createObjectURL !== 'function') {
    return () => undefined;
  }
  let worker: Worker | null = null;
  let url: string | null = null;
  /** Set once a worker failed to start (a policy forbids it): never tried again on this page. */
  let blocked = false;
  const end = (): void => {
    worker?.terminate();
    worker = null;
    if (url) URL.revokeObjectURL(url);
    url = null;
  };
  const start = (): void => {
    if (worker || blocked) return;
    try {
      url = URL.createObjectURL(new Blob([TICKER], { type: 'text/javascript' }));
      const started = new Worker(url);
      started.onmessage = () => {
        // The timers' heartbeat may be on its way already: a second one would time the first out.
        if (realtime.isConnected() && !realtime.pendingHeartbeatRef) void realtime.sendHeartbeat();
      };
      started.onerror = () => {
        blocked = true;
        if (worker === started) end();
      };
      started.postMessage(realtime.heartbeatIntervalMs);
      worker = started;
    } catch {
      blocked = true;
      end();
    }
  };
  const onVisibility = (): void => {
    if (doc.visibilityState === 'hidden') start();
    else end();
  };
  doc.addEventListener('visibilitychange', onVisibility);
  if (doc.visibilityState === 'hidden') start();
  return () => {
    doc.removeEventListener('visibilitychange', onVisibility);
    end();
  };
}
