import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PROBE_FAST_COUNT, PROBE_FAST_MS, PROBE_MAX_MS, Reachability, healthUrl, probeDelay,
} from '../../src/realtime/reachability.ts';
import { fakeClock } from './fake-clock.ts';

function setup(answers: () => boolean) {
  const clock = fakeClock();
  const probes: number[] = [];
  const answered: number[] = [];
  const reachability = new Reachability({
    timers: clock.timers,
    random: () => 0,
    probe: async () => {
      probes.push(clock.now);
      return answers();
    },
    onAnswer: () => answered.push(clock.now),
  });
  return { clock, probes, answered, reachability };
}

describe('reachability probe', () => {
  it('probes every second at first, then doubles up to the cap', () => {
    const delays = Array.from({ length: 20 }, (_, i) => probeDelay(i + 1));
    assert.deepEqual(delays.slice(0, PROBE_FAST_COUNT), Array(PROBE_FAST_COUNT).fill(PROBE_FAST_MS));
    assert.deepEqual(delays.slice(PROBE_FAST_COUNT, PROBE_FAST_COUNT + 5), [2000, 4000, 8000, 16000, 30000]);
    assert.ok(delays.every((d) => d <= PROBE_MAX_MS));
    assert.equal(delays.at(-1), PROBE_MAX_MS);
  });

  it('reports the first answer at once and keeps to the schedule until settled', async () => {
    let up = false;
    const { clock, probes, answered, reachability } = setup(() => up);
    reachability.watch();
    reachability.watch(); // idempotent
    await clock.advance(3500);
    assert.deepEqual(probes, [1000, 2000, 3000]);
    assert.deepEqual(answered, []);
    up = true;
    await clock.advance(1000);
    assert.deepEqual(answered, [4000]);
    reachability.settle();
    assert.equal(clock.pending, 0);
    await clock.advance(60_000);
    assert.equal(probes.length, 4);
  });

  it('never probes a server that stays down more than the schedule allows', async () => {
    const { clock, probes, reachability } = setup(() => false);
    reachability.watch();
    await clock.advance(10 * 60_000);
    // 10 fast probes, then 2, 4, 8, 16 s, then every 30 s.
    const expected = 10 + 4 + Math.floor((10 * 60_000 - 10_000 - 30_000) / 30_000);
    assert.equal(probes.length, expected);
    const gaps = probes.slice(1).map((t, i) => t - (probes[i] as number));
    assert.ok(gaps.every((gap) => gap >= PROBE_FAST_MS && gap <= PROBE_MAX_MS));
  });

  it('probes at once on probeNow() (online, visible) and restarts the schedule', async () => {
    const { clock, probes, reachability } = setup(() => false);
    reachability.watch();
    await clock.advance(20_000); // well into the backoff
    const before = probes.length;
    reachability.probeNow();
    await clock.advance(0);
    assert.equal(probes.length, before + 1);
    assert.equal(probes.at(-1), 20_000);
    await clock.advance(1000);
    assert.equal(probes.at(-1), 21_000, 'back to one probe a second');
  });

  it('stops for good', async () => {
    const { clock, probes, reachability } = setup(() => true);
    reachability.watch();
    reachability.stop();
    reachability.watch();
    reachability.probeNow();
    await clock.advance(10_000);
    assert.deepEqual(probes, []);
  });

  it('finds the health endpoint beside realtime, under a path prefix too', () => {
    assert.equal(healthUrl('http://127.0.0.1:54321/realtime/v1/api/broadcast'), 'http://127.0.0.1:54321/auth/v1/health');
    assert.equal(healthUrl('https://abc.supabase.co/realtime/v1/api/broadcast'), 'https://abc.supabase.co/auth/v1/health');
    assert.equal(healthUrl('https://example.com/supabase/realtime/v1/api/broadcast'), 'https://example.com/supabase/auth/v1/health');
    assert.equal(healthUrl('https://rt.example.com/api/broadcast'), 'https://rt.example.com/auth/v1/health');
  });
});
