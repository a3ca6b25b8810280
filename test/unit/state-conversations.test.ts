import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_LIST_FILTER,
  compareTimestamps,
  listConversations,
  matchesFilter,
  unreadCount,
  upsertConversation,
  upsertConversations,
  type ConversationMap,
  type ListFilter,
} from '../../src/state/conversations.ts';
import { conv } from './state-fixtures.ts';

const T = (micros: string): string => `2026-01-01T10:00:00.${micros}+00:00`;

describe('conversation list: upserts', () => {
  const held = conv('a', { updated_at: T('500500'), last_seq: 5, last_message_preview: 'held' });
  const cases: { name: string; incoming: Partial<typeof held>; applied: boolean }[] = [
    { name: 'newer updated_at wins', incoming: { updated_at: T('600000'), last_seq: 6 }, applied: true },
    { name: 'older updated_at is stale', incoming: { updated_at: T('400000'), last_seq: 9 }, applied: false },
    { name: 'same millisecond, older microseconds is stale', incoming: { updated_at: T('500100'), last_seq: 9 }, applied: false },
    { name: 'same millisecond, newer microseconds wins', incoming: { updated_at: T('500900'), last_seq: 5 }, applied: true },
    { name: 'same updated_at, lower last_seq is stale', incoming: { updated_at: T('500500'), last_seq: 4 }, applied: false },
    { name: 'same updated_at, higher last_seq wins', incoming: { updated_at: T('500500'), last_seq: 6 }, applied: true },
    { name: 'Z and +00:00 spellings compare as equal instants', incoming: { updated_at: '2026-01-01T10:00:00.400Z', last_seq: 9 }, applied: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const map: ConversationMap = { a: held };
      const next = upsertConversation(map, { ...held, ...c.incoming, last_message_preview: 'incoming' });
      assert.equal(next.a?.last_message_preview, c.applied ? 'incoming' : 'held');
      if (!c.applied) assert.equal(next, map);
    });
  }

  it('a realtime row without customer keeps the customer already held', () => {
    const withCustomer = conv('a', { customer: { name: 'Ada', email: 'ada@example.com' } });
    const { customer: _omit, ...realtimeRow } = conv('a', { updated_at: T('900000'), last_seq: 1 });
    const next = upsertConversation({ a: withCustomer }, realtimeRow);
    assert.deepEqual(next.a?.customer, { name: 'Ada', email: 'ada@example.com' });
    assert.equal(next.a?.last_seq, 1);
  });

  it("a returning customer's new conversation from realtime takes the customer held with their other one", () => {
    const known = conv('a', { customer_id: 'c1', customer: { name: 'Ada', email: null } });
    const { customer: _omit, ...fresh } = conv('b', { customer_id: 'c1' });
    assert.deepEqual(upsertConversation({ a: known }, fresh).b?.customer, { name: 'Ada', email: null });
    const { customer: _other, ...stranger } = conv('c', { customer_id: 'c2' });
    assert.equal(upsertConversation({ a: known }, stranger).c?.customer, null);
  });

  it('an identical row returns the same map (no notification)', () => {
    const map: ConversationMap = { a: conv('a') };
    assert.equal(upsertConversation(map, conv('a')), map);
  });

  it('a new conversation is added; a page applies row by row', () => {
    const newer = conv('a', { updated_at: T('000000'), last_seq: 3 });
    const older = conv('a', { updated_at: T('000000').replace('T10:', 'T09:'), last_seq: 2 });
    const map = upsertConversations({}, [newer, conv('b'), older]);
    assert.deepEqual(Object.keys(map).sort(), ['a', 'b']);
    assert.equal(map.a?.last_seq, 3);
  });

  it('compareTimestamps orders by instant then microseconds', () => {
    assert.equal(compareTimestamps(T('000001'), T('000002')), -1);
    assert.equal(compareTimestamps(T('001000'), T('000999')), 1);
    assert.equal(compareTimestamps('2026-01-01T10:00:00Z', '2026-01-01T10:00:00.000000+00:00'), 0);
  });
});

describe('conversation list: order and filters', () => {
  const at = (minute: number): string => `2026-01-01T10:${String(minute).padStart(2, '0')}:00.000000+00:00`;
  const map: ConversationMap = {
    c1: conv('c1', { last_message_at: at(1), status: 'open', assigned_agent_id: 'agent-1', subject: 'Refund please' }),
    c2: conv('c2', { last_message_at: at(5), status: 'pending', assigned_agent_id: null, last_message_preview: 'Where is my parcel?' }),
    c3: conv('c3', { last_message_at: at(5), status: 'closed', assigned_agent_id: 'agent-2', customer: { name: 'José Müller', email: 'jose@example.com' } }),
    c4: conv('c4', { last_message_at: at(9), status: 'resolved', assigned_agent_id: 'agent-1' }),
  };
  const filter = (f: Partial<ListFilter>): ListFilter => ({ ...DEFAULT_LIST_FILTER, ...f });

  const cases: { name: string; filter: ListFilter; agent: string | null; ids: string[] }[] = [
    { name: 'default: everything, newest activity first, id desc on ties', filter: filter({}), agent: null, ids: ['c4', 'c3', 'c2', 'c1'] },
    { name: 'status set', filter: filter({ statuses: ['open', 'pending'] }), agent: null, ids: ['c2', 'c1'] },
    { name: 'mine', filter: filter({ assignment: 'mine' }), agent: 'agent-1', ids: ['c4', 'c1'] },
    { name: 'mine without an agent matches nothing', filter: filter({ assignment: 'mine' }), agent: null, ids: [] },
    { name: 'unassigned', filter: filter({ assignment: 'unassigned' }), agent: 'agent-1', ids: ['c2'] },
    { name: 'search subject, case-insensitive', filter: filter({ search: 'REFUND' }), agent: null, ids: ['c1'] },
    { name: 'search preview', filter: filter({ search: 'parcel' }), agent: null, ids: ['c2'] },
    { name: 'search customer name with folded accents', filter: filter({ search: 'jose muller' }), agent: null, ids: ['c3'] },
    { name: 'search customer email', filter: filter({ search: 'jose@example' }), agent: null, ids: ['c3'] },
    { name: 'every word must match', filter: filter({ search: 'refund parcel' }), agent: null, ids: [] },
    { name: 'blank search matches all', filter: filter({ search: '   ' }), agent: null, ids: ['c4', 'c3', 'c2', 'c1'] },
    { name: 'filters combine', filter: filter({ statuses: ['open', 'resolved'], assignment: 'mine', search: 'refund' }), agent: 'agent-1', ids: ['c1'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(listConversations(map, c.filter, c.agent).map((r) => r.id), c.ids);
    });
  }

  it('matchesFilter on a row with no text fields and a search term is false', () => {
    assert.equal(matchesFilter(conv('x'), filter({ search: 'anything' }), null), false);
  });
});

describe('conversation list: unread counts', () => {
  const cases: { name: string; inbound: number; read: number | undefined; unread: number }[] = [
    { name: 'never read: every inbound message', inbound: 7, read: undefined, unread: 7 },
    { name: 'partly read', inbound: 7, read: 4, unread: 3 },
    { name: 'all read', inbound: 7, read: 7, unread: 0 },
    { name: 'a counter ahead of a stale row never goes negative', inbound: 7, read: 9, unread: 0 },
    { name: 'nothing inbound (only the viewer wrote, or system lines and notes)', inbound: 0, read: undefined, unread: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(unreadCount({ inbound_count: c.inbound }, c.read), c.unread));
  }
});
