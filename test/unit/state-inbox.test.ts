import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConversationPage, ListConversationsOptions } from '../../src/data/api.ts';
import { ParleyError } from '../../src/data/errors.ts';
import type { Conversation, ConversationSummary } from '../../src/data/types.ts';
import { DEFAULT_LIST_FILTER } from '../../src/state/conversations.ts';
import { createInboxState, customerHistory, visibleConversations, type InboxApi } from '../../src/state/inbox.ts';
import { createParleyState } from '../../src/state/parley-state.ts';
import { conv } from './state-fixtures.ts';

const AGENT = 'agent-1';
const at = (minute: number): string => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000000+00:00`;

/** A deferred answer, so tests decide when (and in which order) the "server" replies. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

interface ListCall {
  readonly options: ListConversationsOptions;
  readonly answer: ReturnType<typeof deferred<ConversationPage>>;
}

function fakeApi() {
  const lists: ListCall[] = [];
  const commands: { name: string; answer: ReturnType<typeof deferred<Conversation>> }[] = [];
  const histories: { customerId: string; answer: ReturnType<typeof deferred<ConversationSummary[]>> }[] = [];
  const rows: { id: string; answer: ReturnType<typeof deferred<ConversationSummary>> }[] = [];
  const command = (name: string) => (): Promise<Conversation> => {
    const answer = deferred<Conversation>();
    commands.push({ name, answer });
    return answer.promise;
  };
  const api: InboxApi = {
    listConversations(options = {}) {
      const answer = deferred<ConversationPage>();
      lists.push({ options, answer });
      return answer.promise;
    },
    agents: () => Promise.resolve([{ user_id: AGENT, display_name: 'Sam', avatar_url: null, role: 'agent' }]),
    cannedResponses: () => Promise.resolve([{ id: 'c1', shortcut: 'hi', title: 'Hello', body: 'Hello!' }]),
    setStatus: command('status'),
    assign: command('assignment'),
    setChatbotEnabled: command('chatbot'),
    customerConversations(customerId) {
      const answer = deferred<ConversationSummary[]>();
      histories.push({ customerId, answer });
      return answer.promise;
    },
    getConversation(id) {
      const answer = deferred<ConversationSummary>();
      rows.push({ id, answer });
      return answer.promise;
    },
    myReadMarkers: (ids) => Promise.resolve(ids.map((id) => ({
      conversation_id: id, user_id: AGENT, last_read_seq: 1, read_inbound_count: 1, updated_at: at(0),
    }))),
  };
  return { api, lists, commands, histories, rows };
}

function setup() {
  const state = createParleyState();
  state.setSession({ userId: AGENT, role: 'agent' });
  const fake = fakeApi();
  const inbox = createInboxState({ state, api: fake.api, pageSize: 2 });
  return { state, inbox, ...fake };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('visibleConversations', () => {
  const map = {
    a: conv('a', { last_message_at: at(1), subject: 'Refund please', assigned_agent_id: AGENT }),
    b: conv('b', { last_message_at: at(3), subject: 'Login issue', status: 'pending' }),
    c: conv('c', { last_message_at: at(2), subject: 'Shipping', status: 'closed' }),
  };

  it('applies status and assignment, newest activity first', () => {
    const ids = (rows: readonly ConversationSummary[]): string[] => rows.map((r) => r.id);
    assert.deepEqual(ids(visibleConversations(map, DEFAULT_LIST_FILTER, AGENT, null)), ['b', 'c', 'a']);
    assert.deepEqual(ids(visibleConversations(map, { ...DEFAULT_LIST_FILTER, assignment: 'mine' }, AGENT, null)), ['a']);
    assert.deepEqual(ids(visibleConversations(map, { ...DEFAULT_LIST_FILTER, statuses: ['open', 'pending'] }, AGENT, null)), ['b', 'a']);
  });

  it('admits server search hits that the local text match would miss, but still applies the other filters', () => {
    const filter = { ...DEFAULT_LIST_FILTER, search: 'invoice' };
    // "invoice" is in a message of c and b (the server searched messages); b is filtered out by status.
    const hits = new Set(['b', 'c']);
    assert.deepEqual(visibleConversations(map, filter, AGENT, hits).map((r) => r.id), ['b', 'c']);
    assert.deepEqual(visibleConversations(map, { ...filter, statuses: ['closed'] }, AGENT, hits).map((r) => r.id), ['c']);
    assert.deepEqual(visibleConversations(map, { ...DEFAULT_LIST_FILTER, search: 'refund' }, AGENT, new Set()).map((r) => r.id), ['a'],
      'a local match shows before the server answers');
  });
});

describe('createInboxState', () => {
  it("applies each page's read markers with its rows, so unread counts are right at once after a reload", async () => {
    const { inbox, lists, state } = setup();
    const loaded = inbox.load();
    lists[0]?.answer.resolve({
      items: [conv('x', { last_message_at: at(5), last_seq: 9, inbound_count: 4 }), conv('y', { last_message_at: at(4), last_seq: 3, inbound_count: 2 })],
      next: null,
      reads: [{ conversation_id: 'x', user_id: AGENT, last_read_seq: 9, read_inbound_count: 4, updated_at: at(5) }],
    });
    await loaded;
    assert.deepEqual(state.$unread.get(), { byConversation: { y: 2 }, total: 2 });
    assert.equal(state.$readMarkers.get().x, 9);
  });

  it('loads the team, canned replies and the first page, then pages with the cursor until the end', async () => {
    const { inbox, lists, state } = setup();
    const loaded = inbox.load();
    assert.equal(inbox.$listStatus.get().loading, true);
    assert.equal(lists.length, 1);
    assert.deepEqual(lists[0]?.options, { assignment: 'all', limit: 2 });
    lists[0]?.answer.resolve({ items: [conv('x', { last_message_at: at(5) }), conv('y', { last_message_at: at(4) })], next: { at: at(4), id: 'y' }, reads: [] });
    await loaded;
    assert.deepEqual(inbox.$agents.get().map((a) => a.display_name), ['Sam']);
    assert.deepEqual(inbox.$cannedResponses.get().map((c) => c.shortcut), ['hi']);
    assert.deepEqual(inbox.$listStatus.get(), { loading: false, hasMore: true, error: null });
    assert.deepEqual(inbox.$visible.get().map((r) => r.id), ['x', 'y']);

    const more = inbox.loadMore();
    void inbox.loadMore(); // while loading: ignored
    assert.equal(lists.length, 2);
    assert.deepEqual(lists[1]?.options.before, { at: at(4), id: 'y' });
    lists[1]?.answer.resolve({ items: [conv('z', { last_message_at: at(3) })], next: null, reads: [] });
    await more;
    assert.deepEqual(inbox.$visible.get().map((r) => r.id), ['x', 'y', 'z']);
    assert.equal(inbox.$listStatus.get().hasMore, false);
    await inbox.loadMore();
    assert.equal(lists.length, 2, 'nothing to fetch at the end');
    assert.equal(Object.keys(state.$conversations.get()).length, 3);
  });

  it('drops the answer of a filter the agent has already left', async () => {
    const { inbox, lists } = setup();
    const first = inbox.setFilter({ search: 'refund' });
    const second = inbox.setFilter({ search: 'login' });
    assert.deepEqual(lists.map((l) => l.options.query), ['refund', 'login']);
    lists[1]?.answer.resolve({ items: [conv('login-hit')], next: null, reads: [] });
    lists[0]?.answer.resolve({ items: [conv('refund-hit')], next: { at: at(0), id: 'refund-hit' }, reads: [] });
    await Promise.all([first, second]);
    assert.deepEqual(inbox.$visible.get().map((r) => r.id), ['login-hit']);
    assert.equal(inbox.$listStatus.get().hasMore, false, 'the stale page must not set the cursor');
  });

  it('passes statuses and assignment to the server and reports a failed fetch in words', async () => {
    const { inbox, lists } = setup();
    const done = inbox.setFilter({ statuses: ['open'], assignment: 'unassigned' });
    assert.deepEqual(lists[0]?.options, { statuses: ['open'], assignment: 'unassigned', limit: 2 });
    lists[0]?.answer.reject(new ParleyError({ kind: 'network', message: 'Could not reach the server', retryable: true }));
    await done;
    assert.deepEqual(inbox.$listStatus.get(), { loading: false, hasMore: false, error: 'Could not reach the server' });
  });

  it('runs one command per conversation at a time, applies the answer, and keeps the error for the control', async () => {
    const { inbox, commands, state } = setup();
    state.applyConversation(conv('a', { updated_at: at(0) }));
    const running = inbox.setStatus('a', 'resolved');
    assert.deepEqual(inbox.$commands.get().a, { busy: 'status', error: null });
    void inbox.assign('a', AGENT);
    assert.equal(commands.length, 1, 'a second command is refused while one runs (the controls are disabled meanwhile)');
    commands[0]?.answer.resolve(conv('a', { status: 'resolved', updated_at: at(1) }));
    await running;
    assert.equal(state.$conversations.get().a?.status, 'resolved');
    assert.deepEqual(inbox.$commands.get().a, { busy: null, error: null });

    const failing = inbox.setChatbotEnabled('a', true);
    commands[1]?.answer.reject(new ParleyError({ kind: 'forbidden', message: 'Only agents can do that', retryable: false }));
    await failing;
    await flush();
    assert.deepEqual(inbox.$commands.get().a, { busy: null, error: 'Only agents can do that' });
    assert.equal(state.$conversations.get().a?.chatbot_enabled, false, 'a failed command changes nothing');
  });

  it("loads the open conversation's customer's other conversations once, and keeps them live from the held rows", async () => {
    const { inbox, histories, state } = setup();
    state.applyConversation(conv('now', { customer_id: 'c1', last_message_at: at(5) }));
    state.applyConversation(conv('else', { customer_id: 'c2', last_message_at: at(6) }));
    inbox.follow('now');
    inbox.follow('now');
    assert.equal(histories.length, 1, 'one request per customer, however often the console renders');
    assert.equal(histories[0]?.customerId, 'c1');
    assert.deepEqual(inbox.$history.get(), { customerId: 'c1', conversations: [], loading: true, error: null });
    histories[0]?.answer.resolve([conv('now', { customer_id: 'c1' }), conv('old', { customer_id: 'c1', status: 'closed', last_message_at: at(1) })]);
    await flush();
    assert.deepEqual(inbox.$history.get().conversations.map((r) => [r.id, r.status]), [['old', 'closed']]);

    // The customer starts another conversation: the list channel brings its row, the history shows it first.
    state.applyConversation(conv('newer', { customer_id: 'c1', last_message_at: at(7) }));
    assert.deepEqual(inbox.$history.get().conversations.map((r) => r.id), ['newer', 'old']);

    // Opening one of them keeps the same customer's rows (no new request) without the open one.
    inbox.follow('old');
    assert.equal(histories.length, 1);
    assert.deepEqual(inbox.$history.get().conversations.map((r) => r.id), ['newer', 'now']);

    // Another customer's conversation: their history, the answer of the first is not mixed in.
    inbox.follow('else');
    assert.equal(histories[1]?.customerId, 'c2');
    histories[1]?.answer.reject(new ParleyError({ kind: 'network', message: 'Could not reach the server', retryable: true }));
    await flush();
    assert.deepEqual(inbox.$history.get(), { customerId: 'c2', conversations: [], loading: false, error: 'Could not reach the server' });
  });

  it('fetches a conversation the list pages do not hold (with its read marker), once', async () => {
    const { inbox, rows, histories, state } = setup();
    inbox.follow('far');
    inbox.follow('far');
    assert.deepEqual(rows.map((r) => r.id), ['far']);
    assert.equal(histories.length, 0, 'the customer is not known before the row');
    rows[0]?.answer.resolve(conv('far', { customer_id: 'c9', last_seq: 1, inbound_count: 1 }));
    await flush();
    assert.equal(state.$conversations.get().far?.customer_id, 'c9');
    assert.equal(state.$unread.get().byConversation.far, undefined, 'its read marker came with it');
    inbox.follow('far');
    assert.equal(histories[0]?.customerId, 'c9');
  });
});

describe('customerHistory', () => {
  it('is empty until the open row and the fetched customer agree', () => {
    const map = { a: conv('a', { customer_id: 'c1' }) };
    assert.deepEqual(customerHistory(null, map, { customerId: 'c1', rows: [conv('b', { customer_id: 'c1' })] }), []);
    assert.deepEqual(customerHistory('a', map, { customerId: 'c2', rows: [conv('b', { customer_id: 'c2' })] }), []);
    assert.deepEqual(customerHistory('a', map, { customerId: 'c1', rows: [conv('b', { customer_id: 'c1' })] }).map((r) => r.id), ['b']);
  });
});

describe('inbox state: canned replies read again', () => {
  it('keeps the answer of the latest read, whatever order answers arrive in, and what it had when a read fails', async () => {
    const answers: ReturnType<typeof deferred<{ id: string; shortcut: string; title: string; body: string }[]>>[] = [];
    const { api } = fakeApi();
    const inbox = createInboxState({
      state: createParleyState(),
      api: { ...api, cannedResponses: () => { const a = deferred<{ id: string; shortcut: string; title: string; body: string }[]>(); answers.push(a); return a.promise; } },
    });
    const first = inbox.reloadCannedResponses();
    const second = inbox.reloadCannedResponses();
    answers[1]?.resolve([{ id: 'new', shortcut: 'new', title: 'New', body: 'Newer' }]);
    await second;
    answers[0]?.resolve([{ id: 'old', shortcut: 'old', title: 'Old', body: 'Older' }]);
    await first;
    assert.deepEqual(inbox.$cannedResponses.get().map((c) => c.id), ['new'], 'an older read arriving late is dropped');

    const failing = inbox.reloadCannedResponses();
    answers[2]?.reject(new ParleyError({ kind: 'network', message: 'Could not reach the server', retryable: true }));
    await failing;
    assert.deepEqual(inbox.$cannedResponses.get().map((c) => c.id), ['new'], 'kept on failure');
  });
});
