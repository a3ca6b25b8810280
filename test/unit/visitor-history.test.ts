import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Message, TeamProfile } from '../../src/data/types.ts';
import { avatarColour, flattenThread, initials, type ThreadSection } from '../../src/elements/thread/sections.ts';
import type { Session } from '../../src/session/index.ts';
import { TeamProfiles } from '../../src/session/visitor-start.ts';
import { EMPTY_THREAD, type ThreadState } from '../../src/state/thread.ts';

function message(conversation: string, seq: number, sender: Message['sender_type'] = 'customer', senderId: string | null = 'v'): Message {
  return {
    id: `${conversation}-${seq}`, conversation_id: conversation, seq, visibility: 'public', sender_type: sender,
    sender_id: senderId, content: `${conversation} ${seq}`, metadata: {}, attachments: [], created_at: '2026-12-03T10:00:00Z',
  };
}

function thread(messages: Message[], hasMore = false): ThreadState {
  return { ...EMPTY_THREAD, messages, hasMore, lastSeq: messages.at(-1)?.seq ?? 0 };
}

function section(id: string, t: ThreadState): ThreadSection {
  return { id, thread: t, status: 'closed', endedAt: '2026-12-03T10:00:00Z', unread: 0 };
}

describe('flattenThread', () => {
  it('lays earlier conversations (oldest first) above the current one, with their bounds and an index by id', () => {
    const flat = flattenThread(thread([message('c', 1)]), [section('a', thread([message('a', 1), message('a', 2)])), section('b', thread([message('b', 1)]))], false);
    assert.deepEqual(flat.messages.map((m) => m.id), ['a-1', 'a-2', 'b-1', 'c-1']);
    assert.deepEqual(flat.bounds, [{ start: 0, end: 2 }, { start: 2, end: 3 }]);
    assert.equal(flat.currentStart, 3);
    assert.equal(flat.index.get('b-1'), 2);
    assert.equal(flat.hasMore, false);
  });

  it('shows nothing above a conversation that still has older pages, and says there is more', () => {
    const current = thread([message('c', 7)], true);
    const flat = flattenThread(current, [section('a', thread([message('a', 1)]))], false);
    assert.deepEqual(flat.sections, []);
    assert.equal(flat.hasMore, true);
    // Seq 1 is the first message whatever the page said: nothing is older.
    const complete = flattenThread(thread([message('c', 1)], true), [section('a', thread([message('a', 1)]))], false);
    assert.deepEqual(complete.sections.map((s) => s.id), ['a']);
  });

  it('stops at the first earlier conversation with older pages, and asks for more at the top', () => {
    const flat = flattenThread(thread([message('c', 1)]), [
      section('a', thread([message('a', 1)])),
      section('b', thread([message('b', 9)], true)),
      section('d', thread([message('d', 1)])),
    ], false);
    assert.deepEqual(flat.sections.map((s) => s.id), ['b', 'd']);
    assert.equal(flat.hasMore, true);
    assert.equal(flattenThread(thread([message('c', 1)]), [section('a', thread([message('a', 1)]))], true).hasMore, true);
  });
});

describe('avatars', () => {
  it('takes up to two initials, from the first and last word', () => {
    assert.equal(initials('Sam Rivera'), 'SR');
    assert.equal(initials('  maya  '), 'M');
    assert.equal(initials('Jean de la Fontaine'), 'JF');
    assert.equal(initials('Émile Zola'), 'ÉZ');
    assert.equal(initials(''), '');
  });

  it('gives a person the same colour every time, within the palette', () => {
    assert.equal(avatarColour('sam', 6), avatarColour('sam', 6));
    for (const id of ['a', 'b', 'c', 'some-long-uuid-like-id']) assert.ok(avatarColour(id, 6) >= 0 && avatarColour(id, 6) < 6);
  });
});

describe('TeamProfiles', () => {
  function fakeSession(answers: TeamProfile[][]): { session: Session; calls: () => number } {
    let calls = 0;
    const api = {
      teamProfiles: () => Promise.resolve(answers[Math.min(calls++, answers.length - 1)] ?? []),
    };
    return { session: { api } as unknown as Session, calls: () => calls };
  }

  it('names and pictures agents, resolves typing names through them, and asks again once for an unknown agent', async () => {
    const sam = { user_id: 'sam', display_name: 'Sam Rivera', avatar_url: null };
    const jo = { user_id: 'jo', display_name: 'Jordan Blake', avatar_url: 'https://img.example/jo.png' };
    const { session, calls } = fakeSession([[sam], [sam, jo]]);
    let changes = 0;
    const team = new TeamProfiles(session, new AbortController().signal, () => (changes += 1));
    await team.load();
    assert.deepEqual(team.names, { sam: 'Sam Rivera' });
    assert.deepEqual(team.avatars, {});
    const typing = [{ user_id: 'sam', name: 'Ada', expires_at: 1 }];
    assert.deepEqual(team.typing(typing, 'visitor', 'Support'), ['Sam Rivera']);
    assert.equal(team.typing(typing, 'visitor', 'Support'), team.typing(typing, 'visitor', 'Support'), 'the same array while nothing changed');

    team.wantSenders([thread([message('c', 1, 'agent', 'sam')])]);
    assert.equal(calls(), 1, 'a known agent asks nothing');
    team.wantSenders([thread([message('c', 2, 'agent', 'jo')])]);
    assert.equal(calls(), 2);
    await team.load();
    assert.deepEqual(team.names, { sam: 'Sam Rivera', jo: 'Jordan Blake' });
    assert.deepEqual(team.avatars, { jo: 'https://img.example/jo.png' });
    team.want('ghost');
    await team.load();
    team.want('ghost');
    assert.equal(calls(), 3, 'an id the answer did not know is asked for once');
    assert.ok(changes >= 2);
  });
});
