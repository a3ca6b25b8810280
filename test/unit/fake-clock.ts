import type { Timers } from '../../src/realtime/timers.ts';

/** Timers that only move when the test says so. */
export function fakeClock() {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; run: () => void }>();
  const timers: Timers = {
    set: (run, ms) => {
      const id = nextId++;
      pending.set(id, { at: now + ms, run });
      return id;
    },
    clear: (id) => void pending.delete(id as number),
  };
  return {
    timers,
    get now() {
      return now;
    },
    get pending() {
      return pending.size;
    },
    /** Runs every timer due within `ms`, in order, letting probes settle between them. */
    async advance(ms: number): Promise<void> {
      const until = now + ms;
      const settle = async () => {
        for (let i = 0; i < 5; i++) await Promise.resolve();
      };
      await settle();
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].run();
        await settle();
      }
      now = until;
    },
  };
}
