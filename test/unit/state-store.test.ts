import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createParleyState, type ParleyState, type ParleyStateOptions } from '../../src/state/parley-state.ts';
import { CONNECTION_STATUSES } from '../../src/state/vocabularies.ts';
import { DEFAULT_OUTBOX_KEY, OUTBOX_FORMAT_VERSION, parseOutbox, serializeOutbox } from '../../src/state/outbox.ts';
import { CONV, MemoryStorage, conv, msg, msgs, pending } from './state-fixtures.ts';

const ME = 'customer-1';

/** A fake clock and timer queue: tests move time explicitly, nothing sleeps. */
function fakeTime(start = 1_000_000) {
  let now = start;
  let timers: { at: number; cb: () => void; id: number }[] = [];
  let nextId = 1;
  return {
    now: () => now,
    setTimer: (cb: () => void, ms: number): unknown => {
      const id = nextId++;
      timers.push({ at: now + ms, cb, id });
      return id;
    },
    clearTimer: (id: unknown): void => {
      timers = timers.filter((t) => t.id !== id);
    },
    pendingTimers: () => timers.length,
    advance(ms: number): void {
      now += ms;
      for (let fired = 0; ; fired++) {
        // A timer that keeps re-arming for the same instant is a bug, not something to wait out.
        if (fired > 100) throw new Error('timers keep firing without time passing');
        const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)[0];
        if (!due) return;
        timers = timers.filter((t) => t !== due);
        due.cb();
      }
    },
  };
}

function signedIn(options: ParleyStateOptions = {}): ParleyState {
  const state = createParleyState(options);
  state.setSession({ userId: ME, role: 'visitor' });
  return state;
}

describe('state: session and connection', () => {
  it('starts connecting and signed out; the vocabulary is closed', () => {
    const state = createParleyState();
    assert.equal(state.$connection.get(), 'connecting');
    assert.deepEqual(state.$session.get(), { userId: null, role: null });
    assert.deepEqual([...CONNECTION_STATUSES], ['connecting', 'connected', 'reconnecting', 'polling', 'offline', 'error']);
    state.setConnection('reconnecting');
    assert.equal(state.$connection.get(), 'reconnecting');
  });

  it('two instances do not share state', () => {
    const a = createParleyState();
    const b = createParleyState();
    a.setConnection('connected');
    a.applyConversation(conv('x'));
    assert.equal(b.$connection.get(), 'connecting');
    assert.deepEqual(b.$conversations.get(), {});
  });

  it('a different user clears conversations, threads and read markers', () => {
    const state = signedIn();
    state.applyConversation(conv('x', { last_seq: 3 }));
    state.markRead('x', 2);
    const $t = state.thread(CONV);
    state.setSession({ userId: 'someone-else', role: 'agent' });
    assert.deepEqual(state.$conversations.get(), {});
    assert.deepEqual(state.$readMarkers.get(), {});
    assert.notEqual(state.thread(CONV), $t);
  });
});

describe('state: threads', () => {
  it('thread(id) is cached by id until released', () => {
    const state = signedIn();
    const $t = state.thread(CONV);
    assert.equal(state.thread(CONV), $t);
    assert.deepEqual(state.threadIds(), [CONV]);
    state.releaseThread(CONV);
    assert.notEqual(state.thread(CONV), $t);
  });

  it('messages for a thread nobody opened are not kept', () => {
    const state = signedIn();
    assert.equal(state.applyMessage(msg(1)), false);
    assert.deepEqual(state.thread(CONV).get().messages, []);
  });

  it('applyPage and applyMessage merge with dedupe and notify once per change', () => {
    const state = signedIn();
    const $t = state.thread(CONV);
    let notifications = 0;
    const off = $t.listen(() => notifications++);
    state.setThreadLoading(CONV, true);
    state.applyPage(CONV, msgs(3, 5), true);
    state.applyMessage(msg(5));
    state.applyMessage(msg(7));
    off();
    const t = $t.get();
    assert.deepEqual(t.messages.map((m) => m.seq), [3, 4, 5, 7]);
    assert.deepEqual([t.hasMore, t.loading, t.lastSeq], [true, false, 5]);
    assert.deepEqual(t.gaps, [{ from: 6, to: 6 }]);
    assert.equal(notifications, 3, 'loading, page, insert 7; the duplicate 5 is silent');
  });
});

describe('state: outbox', () => {
  it('an optimistic send shows at once, is reconciled by id, and shows once', () => {
    const state = signedIn({ generateId: () => 'p1' });
    const $t = state.thread(CONV);
    state.applyPage(CONV, msgs(1, 2), false);
    const entry = state.enqueueSend({ conversationId: CONV, content: 'hello' });
    assert.deepEqual([entry.id, entry.state, entry.sender_id, entry.attempts], ['p1', 'sending', ME, 1]);
    assert.deepEqual($t.get().pending.map((p) => p.id), ['p1']);
    assert.deepEqual(state.$outbox.get().map((p) => p.id), ['p1']);

    state.applyMessage(msg(3, { id: 'p1', content: 'hello' })); // realtime echo first
    state.markSent(msg(3, { id: 'p1', content: 'hello' })); // then the RPC result
    assert.deepEqual($t.get().pending, []);
    assert.deepEqual($t.get().messages.filter((m) => m.id === 'p1').length, 1);
    assert.deepEqual(state.$outbox.get(), []);
  });

  it('failure and retry keep the id; discard drops a failed send', () => {
    const ids = ['p1', 'p2'];
    const state = signedIn({ generateId: () => ids.shift() ?? 'x' });
    const $t = state.thread(CONV);
    state.enqueueSend({ conversationId: CONV, content: 'one' });
    state.enqueueSend({ conversationId: CONV, content: 'two' });
    assert.equal(state.retry('p1'), null, 'a send in flight is not retried');
    state.markFailed('p1', 'Network down');
    assert.deepEqual($t.get().pending.map((p) => [p.id, p.state, p.error]), [['p1', 'failed', 'Network down'], ['p2', 'sending', null]]);
    assert.equal(state.$outbox.get()[0]?.state, 'failed');
    const again = state.retry('p1');
    assert.deepEqual([again?.id, again?.content, again?.state, again?.attempts], ['p1', 'one', 'sending', 2]);
    assert.equal($t.get().pending[0]?.state, 'sending');
    state.markFailed('p2', 'Too long');
    state.discard('p2');
    assert.deepEqual(state.$outbox.get().map((p) => p.id), ['p1']);
    assert.deepEqual($t.get().pending.map((p) => p.id), ['p1']);
  });

  it('an acknowledgement without the row shows sent until the row arrives', () => {
    const state = signedIn({ generateId: () => 'p1' });
    const $t = state.thread(CONV);
    state.enqueueSend({ conversationId: CONV, content: 'hi' });
    state.markSent('p1');
    assert.deepEqual(state.$outbox.get(), []);
    assert.deepEqual($t.get().pending.map((p) => p.state), ['sent']);
    state.applyPage(CONV, [msg(1, { id: 'p1' })]);
    assert.deepEqual($t.get().pending, []);
  });

  it('rejects empty and over-long content (code points, like the database)', () => {
    const state = signedIn();
    assert.throws(() => state.enqueueSend({ conversationId: CONV, content: '  \n' }), RangeError);
    assert.throws(() => state.enqueueSend({ conversationId: CONV, content: 'a'.repeat(4001) }), RangeError);
    state.enqueueSend({ conversationId: CONV, content: '😀'.repeat(4000) }); // 8000 UTF-16 units, 4000 chars
    assert.equal(state.$outbox.get().length, 1);
  });

  it('persists unsent messages; a second instance restores them exactly once', () => {
    const storage = new MemoryStorage();
    const ids = ['p1', 'p2', 'p3'];
    const first = signedIn({ storage, generateId: () => ids.shift() ?? 'x' });
    first.enqueueSend({ conversationId: CONV, content: 'one' });
    first.enqueueSend({ conversationId: CONV, content: 'two', metadata: { via: 'test' } });
    first.enqueueSend({ conversationId: CONV, content: 'three' });
    first.markSent(msg(1, { id: 'p1', content: 'one' }));
    first.markFailed('p3', 'Offline');

    const raw = storage.getItem(DEFAULT_OUTBOX_KEY);
    assert.ok(raw);
    const stored = JSON.parse(raw) as { v: number; entries: { id: string; state: string }[] };
    assert.equal(stored.v, OUTBOX_FORMAT_VERSION);
    assert.deepEqual(stored.entries.map((e) => [e.id, e.state]), [['p2', 'sending'], ['p3', 'failed']]);

    // Reload.
    const second = signedIn({ storage });
    assert.deepEqual(second.$outbox.get().map((e) => [e.id, e.content, e.state]), [['p2', 'two', 'sending'], ['p3', 'three', 'failed']]);
    assert.deepEqual(second.$outbox.get()[0]?.metadata, { via: 'test' });
    assert.deepEqual(second.thread(CONV).get().pending.map((p) => p.id), ['p2', 'p3']);
    const resend = second.takeRestored();
    assert.deepEqual(resend.map((e) => e.id), ['p2'], 'only in-flight sends are resent; failed ones wait for retry');
    assert.deepEqual(second.takeRestored(), [], 'each is handed out once');

    // The resent message and its resync copy arrive; it shows once and leaves the outbox.
    second.applyPage(CONV, [msg(1, { id: 'p1', content: 'one' }), msg(2, { id: 'p2', content: 'two' })]);
    second.markSent(msg(2, { id: 'p2', content: 'two' }));
    const t = second.thread(CONV).get();
    assert.deepEqual(t.messages.map((m) => m.id), ['p1', 'p2']);
    assert.deepEqual(t.pending.map((p) => p.id), ['p3']);

    // A third load sees only the failed one, and nothing to resend.
    const third = signedIn({ storage });
    assert.deepEqual(third.$outbox.get().map((e) => e.id), ['p3']);
    assert.deepEqual(third.takeRestored(), []);
  });

  it("a note's visibility survives the stored outbox; a reload resends it as a note", () => {
    const storage = new MemoryStorage();
    const ids = ['n1', 'r1'];
    const first = signedIn({ storage, generateId: () => ids.shift() ?? 'x' });
    const note = first.enqueueSend({ conversationId: CONV, content: 'Customer is a VIP', visibility: 'internal' });
    first.enqueueSend({ conversationId: CONV, content: 'Hello!' });
    assert.equal(note.visibility, 'internal');
    assert.deepEqual(first.thread(CONV).get().pending.map((p) => p.visibility), ['internal', 'public']);
    const stored = JSON.parse(storage.getItem(DEFAULT_OUTBOX_KEY) ?? '{}') as { entries: { id: string; visibility: string }[] };
    assert.deepEqual(stored.entries.map((e) => [e.id, e.visibility]), [['n1', 'internal'], ['r1', 'public']]);

    const second = signedIn({ storage });
    assert.deepEqual(second.takeRestored().map((e) => [e.id, e.visibility]), [['n1', 'internal'], ['r1', 'public']]);
    assert.deepEqual(second.thread(CONV).get().pending.map((p) => p.visibility), ['internal', 'public']);
  });

  it('a message of files survives the stored outbox with its attachments; a bad list or empty text without files is dropped', () => {
    const storage = new MemoryStorage();
    const key = `${'c'.repeat(8)}-cccc-4ccc-8ccc-${'c'.repeat(12)}/${'a'.repeat(8)}-aaaa-4aaa-8aaa-${'a'.repeat(12)}/0-shot.png`;
    const attachments = [{ key, name: 'Écran.png', size: 12, type: 'image/png', width: 4, height: 3 }];
    const first = signedIn({ storage, generateId: () => 'f1' });
    assert.throws(() => first.enqueueSend({ conversationId: CONV, content: ' ' }), RangeError);
    const sent = first.enqueueSend({ conversationId: CONV, content: ' ', attachments });
    assert.equal(sent.content, '', 'blank text with files is no text');
    assert.deepEqual(sent.attachments, attachments);
    const second = signedIn({ storage });
    assert.deepEqual(second.takeRestored().map((e) => [e.id, e.content, e.attachments]), [['f1', '', attachments]]);

    const entry = { id: 'x', conversation_id: CONV, content: '', metadata: {}, sender_id: ME, created_at: 'x', state: 'sending', error: null, attempts: 1 };
    const raw = JSON.stringify({ v: 1, entries: [
      { ...entry, id: 'files', attachments }, { ...entry, id: 'none' }, { ...entry, id: 'bad', attachments: [{ key: '../x' }] },
      { ...entry, id: 'not-a-list', attachments: 'x', content: 'hi' },
    ] });
    const { entries, valid } = parseOutbox(raw);
    assert.deepEqual(entries.map((e) => e.id), ['files']);
    assert.equal(valid, false);
  });

  it('an entry stored before visibility existed reads as public; an unknown visibility is dropped', () => {
    const entry = { id: 'old', conversation_id: CONV, content: 'hi', metadata: {}, sender_id: ME, created_at: 'x', state: 'sending', error: null, attempts: 1 };
    const raw = JSON.stringify({ v: 1, entries: [entry, { ...entry, id: 'odd', visibility: 'secret' }] });
    const { entries, valid } = parseOutbox(raw);
    assert.deepEqual(entries.map((e) => [e.id, e.visibility]), [['old', 'public']]);
    assert.equal(valid, false);
    assert.deepEqual(parseOutbox(JSON.stringify({ v: 1, entries: [entry] })), { entries: [{ ...entry, visibility: 'public' }], valid: true });
  });

  it('two live instances of one project (two tabs) never erase each other\'s unsent messages', () => {
    const storage = new MemoryStorage();
    const tabA = signedIn({ storage, generateId: () => 'a1' });
    const tabB = signedIn({ storage, generateId: () => 'b1' });
    tabA.enqueueSend({ conversationId: CONV, content: 'from tab A' });
    tabB.enqueueSend({ conversationId: CONV, content: 'from tab B' });
    const storedIds = (): string[] => {
      const raw = storage.getItem(DEFAULT_OUTBOX_KEY);
      return raw === null ? [] : (JSON.parse(raw) as { entries: { id: string }[] }).entries.map((e) => e.id);
    };
    assert.deepEqual(storedIds(), ['b1', 'a1'], 'B\'s write keeps A\'s entry');
    tabA.markSent(msg(1, { id: 'a1', content: 'from tab A' }));
    assert.deepEqual(storedIds(), ['b1'], 'A drops only its own, acknowledged entry');
    tabB.markFailed('b1', 'Offline');
    assert.deepEqual(storedIds(), ['b1'], 'and B does not bring A\'s back');
    // Tab B closes; a reload restores its unsent message.
    assert.deepEqual(signedIn({ storage }).$outbox.get().map((e) => e.id), ['b1']);
  });

  it('restored sends already confirmed by a resync before takeRestored are not resent', () => {
    const storage = new MemoryStorage();
    signedIn({ storage, generateId: () => 'p1' }).enqueueSend({ conversationId: CONV, content: 'one' });
    const second = signedIn({ storage });
    second.thread(CONV);
    second.applyPage(CONV, [msg(1, { id: 'p1' })], false);
    assert.deepEqual(second.takeRestored(), []);
    assert.equal(storage.getItem(DEFAULT_OUTBOX_KEY), null, 'an empty outbox leaves nothing in storage');
  });

  it('restoreOutbox adds entries kept elsewhere: shown in their threads, in-flight ones resent once, held ids skipped', () => {
    const state = signedIn({ generateId: () => 'p1' });
    state.thread(CONV);
    state.enqueueSend({ conversationId: CONV, content: 'one' });
    const kept = (id: string, s: 'sending' | 'failed') => ({
      id, conversation_id: CONV, content: id, metadata: {}, visibility: 'public' as const, sender_id: ME, created_at: 'x', state: s, error: s === 'failed' ? 'Offline' : null, attempts: 1,
    });
    state.restoreOutbox([kept('p1', 'sending'), kept('k2', 'sending'), kept('k3', 'failed')]);
    assert.deepEqual(state.$outbox.get().map((e) => e.id), ['p1', 'k2', 'k3']);
    assert.deepEqual(state.thread(CONV).get().pending.map((p) => p.id), ['p1', 'k2', 'k3']);
    assert.deepEqual(state.takeRestored().map((e) => e.id), ['k2'], 'only the restored in-flight one; failed ones wait for retry');
    assert.deepEqual(state.takeRestored(), []);
  });

  it("restores only the session user's sends for resending", () => {
    const storage = new MemoryStorage();
    signedIn({ storage, generateId: () => 'p1' }).enqueueSend({ conversationId: CONV, content: 'one' });
    const other = createParleyState({ storage });
    other.setSession({ userId: 'other-user', role: 'visitor' });
    assert.deepEqual(other.takeRestored(), []);
  });

  const corrupt: { name: string; raw: string; ids: string[] }[] = [
    { name: 'not JSON', raw: '{"v":1,"entries":[', ids: [] },
    { name: 'another version', raw: JSON.stringify({ v: 99, entries: [] }), ids: [] },
    { name: 'not an object', raw: '"hello"', ids: [] },
    {
      name: 'one malformed entry among good ones, and a duplicate id',
      raw: JSON.stringify({
        v: 1,
        entries: [
          { id: 'ok', conversation_id: CONV, content: 'fine', metadata: {}, sender_id: ME, created_at: 'x', state: 'sending', error: null, attempts: 1 },
          { id: 'bad', conversation_id: CONV, content: 42, metadata: {}, sender_id: ME, created_at: 'x', state: 'sending', error: null, attempts: 1 },
          { id: 'ok', conversation_id: CONV, content: 'dupe', metadata: {}, sender_id: ME, created_at: 'x', state: 'sending', error: null, attempts: 1 },
          { id: 'sent', conversation_id: CONV, content: 'x', metadata: {}, sender_id: ME, created_at: 'x', state: 'sent', error: null, attempts: 1 },
        ],
      }),
      ids: ['ok'],
    },
  ];
  for (const c of corrupt) {
    it(`tolerates a corrupt stored outbox: ${c.name}`, () => {
      const storage = new MemoryStorage();
      storage.setItem(DEFAULT_OUTBOX_KEY, c.raw);
      const state = signedIn({ storage });
      assert.deepEqual(state.$outbox.get().map((e) => e.id), c.ids);
      assert.equal(state.$outbox.get()[0]?.content ?? 'fine', 'fine');
      // The bad value was rewritten, so the next load reads clean data.
      assert.equal(parseOutbox(storage.getItem(DEFAULT_OUTBOX_KEY)).valid, true);
    });
  }

  it('storage that throws never breaks sending', () => {
    const storage = new MemoryStorage();
    storage.failWrites = true;
    const throwingReads = { getItem: () => { throw new Error('SecurityError'); }, setItem: () => undefined, removeItem: () => undefined };
    assert.doesNotThrow(() => signedIn({ storage: throwingReads }));
    const state = signedIn({ storage });
    state.enqueueSend({ conversationId: CONV, content: 'still works' });
    assert.equal(state.$outbox.get().length, 1);
  });

  it('the format round-trips and never stores acknowledged sends', () => {
    const entries = [pending('a'), pending('b', { state: 'sent' }), pending('c', { state: 'failed', error: 'x', attempts: 3 })];
    const raw = serializeOutbox(entries);
    assert.deepEqual(JSON.parse(raw).v, 1);
    assert.deepEqual(parseOutbox(raw), { entries: [entries[0], entries[2]], valid: true });
  });

  it('a disposed instance no longer writes the outbox, so it cannot overwrite a newer one', () => {
    const storage = new MemoryStorage();
    const old = signedIn({ storage, generateId: () => 'p1' });
    old.enqueueSend({ conversationId: CONV, content: 'hello' });
    const stored = storage.getItem(DEFAULT_OUTBOX_KEY);
    old.dispose();
    old.markSent('p1');
    assert.equal(old.$outbox.get().length, 0, 'the stores stay usable');
    assert.equal(storage.getItem(DEFAULT_OUTBOX_KEY), stored, 'storage keeps the entry for the next instance');
    const next = signedIn({ storage });
    assert.deepEqual(next.takeRestored().map((e) => e.id), ['p1']);
  });

  it('uses the storage key it is given', () => {
    const storage = new MemoryStorage();
    signedIn({ storage, storageKey: 'inbox-2' }).enqueueSend({ conversationId: CONV, content: 'x' });
    assert.deepEqual([...storage.items.keys()], ['inbox-2']);
  });
});

describe('state: conversation list and unread', () => {
  it('$conversationList follows $conversations, $listFilter and the agent id', () => {
    const state = createParleyState();
    state.setSession({ userId: 'agent-1', role: 'agent' });
    state.applyConversations([
      conv('a', { last_message_at: '2026-01-01T10:00:00Z', assigned_agent_id: 'agent-1' }),
      conv('b', { last_message_at: '2026-01-01T11:00:00Z' }),
    ]);
    assert.deepEqual(state.$conversationList.get().map((c) => c.id), ['b', 'a']);
    state.setListFilter({ assignment: 'mine' });
    assert.deepEqual(state.$conversationList.get().map((c) => c.id), ['a']);
    state.setListFilter({ assignment: 'unassigned' });
    assert.deepEqual(state.$conversationList.get().map((c) => c.id), ['b']);
  });

  it('ignores stale conversation updates', () => {
    const state = createParleyState();
    state.applyConversation(conv('a', { updated_at: '2026-01-01T10:00:00.000002+00:00', last_seq: 4 }));
    state.applyConversation(conv('a', { updated_at: '2026-01-01T10:00:00.000001+00:00', last_seq: 3 }));
    assert.equal(state.$conversations.get().a?.last_seq, 4);
  });

  it('$unread per conversation and in total, from the inbound counters and my read counters', () => {
    const state = signedIn();
    state.applyConversations([
      conv('a', { last_seq: 9, inbound_count: 5 }), conv('b', { last_seq: 4, inbound_count: 3 }), conv('c', { last_seq: 2 }),
    ]);
    assert.deepEqual(state.$unread.get(), { byConversation: { a: 5, b: 3 }, total: 8 });
    state.applyReadMarker({ conversation_id: 'a', user_id: ME, last_read_seq: 6, read_inbound_count: 4, updated_at: '' });
    state.applyReadMarker({ conversation_id: 'b', user_id: 'agent-9', last_read_seq: 4, read_inbound_count: 3, updated_at: '' });
    assert.deepEqual(state.$unread.get(), { byConversation: { a: 1, b: 3 }, total: 4 }, "another reader's marker is not mine");
    state.applyReadMarker({ conversation_id: 'a', user_id: ME, last_read_seq: 2, read_inbound_count: 1, updated_at: '' });
    assert.equal(state.$readMarkers.get().a, 6, 'markers never move back');
    assert.deepEqual(state.$unread.get().byConversation.a, 1, 'nor do read counters');
    assert.equal(state.markRead('b', 4), true, 'reading to the last message reads every inbound one');
    assert.equal(state.markRead('b', 2), false);
    assert.deepEqual(state.$unread.get(), { byConversation: { a: 1 }, total: 1 });
    assert.equal(state.markRead('a', 8), true);
    assert.deepEqual(state.$unread.get().byConversation.a, 1, "a partial read waits for the server's counter");
    state.applyReadMarker({ conversation_id: 'a', user_id: ME, last_read_seq: 8, read_inbound_count: 5, updated_at: '' });
    assert.deepEqual(state.$unread.get(), { byConversation: {}, total: 0 });
  });

  it("read counters arriving before their conversation (a list page's markers) count once it does", () => {
    const state = signedIn();
    state.applyReadMarkers([{ conversation_id: 'a', user_id: ME, last_read_seq: 5, read_inbound_count: 3, updated_at: '' }]);
    state.applyConversation(conv('a', { last_seq: 7, inbound_count: 4 }));
    assert.deepEqual(state.$unread.get(), { byConversation: { a: 1 }, total: 1 });
  });

  it("the viewer's own messages, system lines and notes never count: only the inbound counter does", () => {
    const state = signedIn();
    state.thread('a');
    state.applyConversation(conv('a', { last_seq: 3, inbound_count: 1 }));
    state.applyPage('a', [msg(1, { conversation_id: 'a', sender_id: 'c-1', sender_type: 'customer' }), msg(2, { conversation_id: 'a', sender_id: ME })]);
    assert.deepEqual(state.$unread.get().byConversation, { a: 1 });
    state.applyMessage(msg(4, { conversation_id: 'a', sender_id: ME }));
    state.applyConversation(conv('a', { last_seq: 4, inbound_count: 1, updated_at: '2026-01-03T00:00:00Z' }));
    assert.deepEqual(state.$unread.get(), { byConversation: {}, total: 0 }, 'replying reads what came before');
    state.applyConversation(conv('a', { last_seq: 6, inbound_count: 1, updated_at: '2026-01-04T00:00:00Z' }));
    assert.deepEqual(state.$unread.get(), { byConversation: {}, total: 0 }, 'a system line or a note after it is not unread');
  });

  it('signing in as someone else forgets the read counters', () => {
    const state = signedIn();
    state.applyConversation(conv('a', { last_seq: 3, inbound_count: 2 }));
    state.applyReadMarker({ conversation_id: 'a', user_id: ME, last_read_seq: 3, read_inbound_count: 2, updated_at: '' });
    assert.equal(state.$unread.get().total, 0);
    state.setSession({ userId: 'someone-else', role: 'agent' });
    state.applyConversation(conv('a', { last_seq: 3, inbound_count: 2 }));
    assert.equal(state.$unread.get().total, 2);
  });
});

describe('state: typing', () => {
  it('entries expire after the TTL without sleeping; a refresh extends them', () => {
    const time = fakeTime();
    const state = signedIn({ now: time.now, setTimer: time.setTimer, clearTimer: time.clearTimer, typingTtlMs: 5000 });
    state.applyTyping(CONV, 'agent-1', true, 'Ana');
    state.applyTyping(CONV, 'agent-2', true);
    assert.deepEqual(state.$typing.get()[CONV]?.map((e) => [e.user_id, e.name]), [['agent-1', 'Ana'], ['agent-2', null]]);
    time.advance(3000);
    state.applyTyping(CONV, 'agent-1', true); // refresh, keeps the name
    time.advance(2500);
    assert.deepEqual(state.$typing.get()[CONV]?.map((e) => [e.user_id, e.name]), [['agent-1', 'Ana']]);
    time.advance(2500);
    assert.deepEqual(state.$typing.get(), {});
    assert.equal(time.pendingTimers(), 0, 'no timer left once nobody types');
  });

  it('stop, own events and a sent message clear the indicator', () => {
    const time = fakeTime();
    const state = signedIn({ now: time.now, setTimer: time.setTimer, clearTimer: time.clearTimer });
    state.applyTyping(CONV, ME, true);
    assert.deepEqual(state.$typing.get(), {}, 'the viewer never sees themselves typing');
    state.applyTyping(CONV, 'agent-1', true);
    state.applyTyping(CONV, 'agent-1', false);
    assert.deepEqual(state.$typing.get(), {});
    state.applyTyping(CONV, 'agent-1', true);
    state.thread(CONV);
    state.applyMessage(msg(1, { sender_id: 'agent-1', sender_type: 'agent' }));
    assert.deepEqual(state.$typing.get(), {});
    state.dispose();
    assert.equal(time.pendingTimers(), 0);
  });

  it('a timer firing before the expiry re-arms instead of stranding the entry', () => {
    const time = fakeTime();
    const state = signedIn({ now: time.now, setTimer: time.setTimer, clearTimer: time.clearTimer, typingTtlMs: 1000 });
    state.applyTyping(CONV, 'agent-1', true);
    state.pruneTyping(); // early
    assert.equal(time.pendingTimers(), 1);
    time.advance(1000);
    assert.deepEqual(state.$typing.get(), {});
  });
});
