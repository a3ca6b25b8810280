import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FALLBACK_AFTER_MS, POLL_INTERVAL_MS, POLL_RESUME_MS, RestFallback } from '../../src/realtime/rest-fallback.ts';
import { fakeClock } from './fake-clock.ts';

function setup() {
  const clock = fakeClock();
  const polls: number[] = [];
  const changes: boolean[] = [];
  let reachable = true;
  const fallback: RestFallback = new RestFallback({
    timers: clock.timers,
    poll: async () => {
      polls.push(clock.now);
      return reachable;
    },
    onChange: () => changes.push(fallback.active),
  });
  return { clock, polls, changes, fallback, setReachable: (value: boolean) => void (reachable = value) };
}

describe('REST fallback', () => {
  it('starts polling only after the socket stayed down for FALLBACK_AFTER_MS, then polls every POLL_INTERVAL_MS', async () => {
    const { clock, polls, changes, fallback } = setup();
    fallback.arm();
    await clock.advance(FALLBACK_AFTER_MS - 1);
    assert.deepEqual(polls, []);
    assert.equal(fallback.active, false);
    fallback.arm(); // still waiting: the wait is not restarted
    await clock.advance(1);
    assert.deepEqual(polls, [FALLBACK_AFTER_MS]);
    assert.equal(fallback.active, true);
    assert.deepEqual(changes, [true]);
    await clock.advance(3 * POLL_INTERVAL_MS);
    assert.deepEqual(polls, [0, 1, 2, 3].map((i) => FALLBACK_AFTER_MS + i * POLL_INTERVAL_MS));
  });

  it('never switches for a drop shorter than the wait', async () => {
    const { clock, polls, changes, fallback } = setup();
    fallback.arm();
    await clock.advance(FALLBACK_AFTER_MS / 2);
    fallback.disarm();
    await clock.advance(10 * FALLBACK_AFTER_MS);
    assert.deepEqual(polls, []);
    assert.deepEqual(changes, []);
  });

  it('stops polling when the socket is back', async () => {
    const { clock, polls, changes, fallback } = setup();
    fallback.arm();
    await clock.advance(FALLBACK_AFTER_MS);
    fallback.disarm();
    assert.equal(fallback.active, false);
    assert.deepEqual(changes, [true, false]);
    await clock.advance(10 * POLL_INTERVAL_MS);
    assert.equal(polls.length, 1);
    assert.equal(clock.pending, 0);
  });

  it('pauses after a failed poll instead of hammering a server that is down, and resumes when it answers', async () => {
    const { clock, polls, fallback, setReachable } = setup();
    fallback.arm();
    await clock.advance(FALLBACK_AFTER_MS);
    setReachable(false);
    await clock.advance(POLL_INTERVAL_MS);
    assert.equal(polls.length, 2);
    assert.equal(fallback.active, false, 'a failed poll is not "polling"');
    await clock.advance(60_000);
    assert.equal(polls.length, 2, 'no polls while the server is down');
    setReachable(true);
    fallback.resume();
    fallback.resume();
    await clock.advance(POLL_RESUME_MS);
    assert.equal(polls.length, 3);
    assert.equal(fallback.active, true);
    await clock.advance(POLL_INTERVAL_MS);
    assert.equal(polls.length, 4);
  });

  it('does nothing after stop', async () => {
    const { clock, polls, fallback } = setup();
    fallback.arm();
    fallback.stop();
    fallback.arm();
    await clock.advance(10 * FALLBACK_AFTER_MS);
    assert.deepEqual(polls, []);
  });
});
