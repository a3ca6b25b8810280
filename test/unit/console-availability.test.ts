// A console tab's heartbeat (src/session/console-availability.ts) with an injected clock, timers and
// input source: it registers on start, reports its idle time, beats as soon as it crosses
// away-after and again on the first input after, leaves with a keepalive request on stop; and the
// presence budget (src/realtime/team-presence.ts) that keeps collision under hosted Realtime's limit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SupabaseClient } from '@supabase/supabase-js';
import { ConsoleAvailability, clampAwayAfter, DEFAULT_AWAY_AFTER_S, HEARTBEAT_MS } from '../../src/session/console-availability.ts';
import { PresenceBudget, viewersOf } from '../../src/realtime/team-presence.ts';
import { parseTeamOnline } from '../../src/data/availability.ts';
import { fakeClock } from './fake-clock.ts';

interface Beat { p_session: string; p_idle_seconds: number; p_away_after: number }

function fakeClient(calls: { fn: string; args: Record<string, unknown> }[]): SupabaseClient {
  return {
    rpc: (fn: string, args: Record<string, unknown>) => {
      calls.push({ fn, args });
      const away = fn === 'console_heartbeat' && (args as unknown as Beat).p_idle_seconds >= (args as unknown as Beat).p_away_after;
      return Promise.resolve({
        data: fn === 'console_leave' ? null
          : [{ user_id: 'me', display_name: 'Sam', avatar_url: null, chosen: 'online', availability: away ? 'away' : 'online' }],
        error: null,
      });
    },
    auth: { getSession: () => Promise.resolve({ data: { session: { access_token: 'token-1' } } }) },
    realtime: { httpEndpoint: 'https://project.supabase.co/realtime/v1', apiKey: 'anon-key' },
  } as unknown as SupabaseClient;
}

describe('ConsoleAvailability', () => {
  it('beats on start and every interval, turns away once idle for away-after, back online on input, and leaves by keepalive', async () => {
    const clock = fakeClock();
    const calls: { fn: string; args: Record<string, unknown> }[] = [];
    let input: () => void = () => undefined;
    const sent: { url: string; init: RequestInit }[] = [];
    const tab = new ConsoleAvailability({
      client: fakeClient(calls), awayAfter: () => 90, now: () => clock.now, timers: clock.timers,
      activity: (onInput) => {
        input = onInput;
        return () => { input = () => undefined; };
      },
      send: (url, init) => sent.push({ url, init }),
    });
    const beats = (): Beat[] => calls.filter((c) => c.fn === 'console_heartbeat').map((c) => c.args as unknown as Beat);

    tab.start();
    await clock.advance(0);
    assert.deepEqual(beats().map((b) => [b.p_idle_seconds, b.p_away_after]), [[0, 90]]);
    assert.equal(tab.$team.get()[0]?.availability, 'online');

    await clock.advance(HEARTBEAT_MS);
    assert.equal(beats().length, 2);
    // 90 s without input: the beat comes at the threshold, not at the next interval (120 s).
    await clock.advance(60_000);
    assert.deepEqual(beats().map((b) => b.p_idle_seconds), [0, 30, 60, 90]);
    assert.equal(tab.$team.get()[0]?.availability, 'away');

    // Input while idle: an immediate beat says so.
    await clock.advance(5_000);
    input();
    await clock.advance(0);
    assert.deepEqual(beats().at(-1)?.p_idle_seconds, 0);
    assert.equal(tab.$team.get()[0]?.availability, 'online');
    // Input while active costs no request.
    const before = calls.length;
    input();
    await clock.advance(0);
    assert.equal(calls.length, before);

    // The leave's preflight went ahead once, with the leave's own headers, while the page was alive.
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.url, 'https://project.supabase.co/rest/v1/rpc/console_leave');
    assert.equal(sent[0]?.init.method, 'OPTIONS');
    assert.equal((sent[0]?.init.headers as Record<string, string>).authorization, 'Bearer token-1');

    tab.stop();
    assert.equal(clock.pending, 0, 'no timer left');
    assert.equal(sent.length, 2);
    assert.equal(sent[1]?.url, 'https://project.supabase.co/rest/v1/rpc/console_leave');
    assert.equal(sent[1]?.init.keepalive, true);
    assert.equal((sent[1]?.init.headers as Record<string, string>).authorization, 'Bearer token-1');
    assert.deepEqual(JSON.parse(String(sent[1]?.init.body)), { p_session: tab.sessionId });
    assert.deepEqual(tab.$team.get(), []);
  });

  it('leaves again once a beat in flight at sign-out is answered, unless the tab started again', async () => {
    const answers: (() => void)[] = [];
    const order: string[] = [];
    const client = {
      rpc: (fn: string) => {
        order.push(fn);
        return new Promise((resolve) => answers.push(() => {
          order.push(`${fn} answered`);
          resolve({ data: [], error: null });
        }));
      },
      auth: { getSession: () => Promise.resolve({ data: { session: { access_token: 'token-1' } } }) },
      realtime: { httpEndpoint: 'https://project.supabase.co/realtime/v1', apiKey: 'anon-key' },
    } as unknown as SupabaseClient;
    const clock = fakeClock();
    const tab = new ConsoleAvailability({
      client, awayAfter: () => 90, now: () => clock.now, timers: clock.timers, activity: () => () => undefined,
      send: (_url, init) => { if (init.method === 'POST') order.push('leave'); },
    });
    const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

    tab.start();
    await settle();
    tab.stop();
    assert.deepEqual(order, ['console_heartbeat', 'leave']);
    answers.shift()?.();
    await settle();
    assert.deepEqual(order, ['console_heartbeat', 'leave', 'console_heartbeat answered', 'leave']);

    // Signed in again before the answer: the new registration stands.
    order.length = 0;
    tab.start();
    await settle();
    tab.stop();
    tab.start();
    answers.shift()?.();
    await settle();
    assert.deepEqual(order.filter((step) => step === 'leave'), ['leave']);
    tab.stop();
  });

  it('keeps away-after within the database bounds', () => {
    assert.equal(clampAwayAfter(undefined), DEFAULT_AWAY_AFTER_S);
    assert.equal(clampAwayAfter(Number.NaN), DEFAULT_AWAY_AFTER_S);
    assert.equal(clampAwayAfter(1), 30);
    assert.equal(clampAwayAfter(10 ** 9), 86_400);
    assert.equal(clampAwayAfter(299.6), 300);
  });
});

describe('team presence', () => {
  it('spends at most 4 presence messages per 30 s, sending the latest waiting state when a slot frees', async () => {
    const clock = fakeClock();
    const budget = new PresenceBudget({ timers: clock.timers, now: () => clock.now });
    const sent: string[] = [];
    for (const state of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']) budget.request('a', () => sent.push(state));
    budget.request('b', () => sent.push('b1'));
    budget.cancel('b');
    assert.deepEqual(sent, ['a1', 'a2', 'a3', 'a4']);
    await clock.advance(29_999);
    assert.deepEqual(sent, ['a1', 'a2', 'a3', 'a4']);
    await clock.advance(1);
    assert.deepEqual(sent, ['a1', 'a2', 'a3', 'a4', 'a6'], 'a5 was replaced by a6; the cancelled b1 never goes');
    await clock.advance(60_000);
    assert.equal(sent.length, 5);
    budget.dispose();
  });

  it('lists other agents once each, whatever they do in any tab', () => {
    const state = {
      k1: [{ user_id: 'jordan', composing: null }],
      k2: [{ user_id: 'jordan', composing: 'note' }],
      k3: [{ user_id: 'me', composing: 'reply' }],
      k4: [{ user_id: 'maya', composing: 'shouting' }],
      k5: ['junk', null],
    };
    assert.deepEqual(viewersOf(state, 'me'), [
      { user_id: 'jordan', composing: 'note' },
      { user_id: 'maya', composing: null },
    ]);
  });

  it('reads team_online() defensively', () => {
    assert.deepEqual(parseTeamOnline(null), { online: false, agents: [] });
    assert.deepEqual(parseTeamOnline({ online: true, agents: [{ id: 'x', display_name: 'Sam', avatar_url: 'javascript:alert(1)' }] }),
      { online: true, agents: [{ id: 'x', display_name: 'Sam', avatar_url: null }] });
  });
});
