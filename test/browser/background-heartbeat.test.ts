import { expect, waitUntil } from '@open-wc/testing';
import { createClient } from '@supabase/supabase-js';
import { backgroundHeartbeat } from '../../src/session/background-heartbeat.ts';
import '../browser-helpers/console-guard.ts';
import { browserStack } from '../browser-stack/stack.ts';

/** A document whose visibility the test sets, dispatching `visibilitychange` like the page's. */
class FakeDocument extends EventTarget {
  visibilityState: DocumentVisibilityState = 'visible';
  set(state: DocumentVisibilityState): void {
    this.visibilityState = state;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

describe('backgroundHeartbeat', function () {
  this.timeout(20000);

  it('sends realtime heartbeats from a worker only while the page is hidden', async () => {
    const stack = await browserStack();
    const client = createClient(stack.url, stack.anonKey, {
      auth: { storageKey: `parley-test-${crypto.randomUUID()}`, autoRefreshToken: false, persistSession: false },
      // A beat's reply must come within the interval (phoenix counts a slower one as a timeout): a
      // second leaves a loaded CI machine room, where 150 ms did not.
      realtime: { heartbeatIntervalMs: 1000 },
    });
    const realtime = client.realtime;
    // The page's timers call phoenix's own sendHeartbeat; RealtimeClient.sendHeartbeat is what the worker's ticks call.
    let ticks = 0;
    const send = realtime.sendHeartbeat.bind(realtime);
    realtime.sendHeartbeat = () => {
      ticks += 1;
      return send();
    };
    const workers: Worker[] = [];
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        workers.push(this);
      }
    };
    const doc = new FakeDocument();
    const stop = backgroundHeartbeat(realtime, doc as unknown as Document);
    try {
      realtime.connect();
      await waitUntil(() => realtime.isConnected(), 'the socket opened');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(workers.length, 'no worker while the page is visible').to.equal(0);
      expect(ticks).to.equal(0);

      doc.set('hidden');
      expect(workers.length).to.equal(1);
      await waitUntil(() => ticks >= 2, 'heartbeats from the worker', { timeout: 8000 });

      doc.set('visible');
      const after = ticks;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(ticks, 'the worker ended when the page showed').to.equal(after);
      expect(realtime.isConnected(), 'the extra heartbeats never timed the socket out').to.equal(true);

      doc.set('hidden');
      expect(workers.length, 'a new worker for the next time the page hides').to.equal(2);
      stop();
      const stopped = ticks;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(ticks, 'stopped with the session').to.equal(stopped);
    } finally {
      window.Worker = NativeWorker;
      stop();
      await realtime.disconnect();
    }
  });
});
