import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Conversation, DataApi } from '../../src/data/index.ts';
import { ListSync } from '../../src/realtime/list-sync.ts';
import { nextTask } from '../../src/realtime/next-task.ts';
import type { ThreadSync } from '../../src/realtime/thread-sync.ts';
import { createParleyState } from '../../src/state/index.ts';
import { conv } from './state-fixtures.ts';

const A = '00000000-0000-4000-8000-0000000000a1';
const B = '00000000-0000-4000-8000-0000000000b1';

function setup() {
  const state = createParleyState();
  state.setSession({ userId: 'agent-1', role: 'agent' });
  const deferred: (() => void)[] = [];
  const announced: [string, number, boolean][] = [];
  const thread = (id: string) => ({
    onConversationRow: (row: Conversation, live: boolean) => void announced.push([id, row.last_seq, live]),
  }) as unknown as ThreadSync;
  const sync = new ListSync({ api: {} as DataApi, state, thread, defer: (run) => void deferred.push(run) });
  return { state, sync, deferred, announced };
}

describe('ListSync, realtime rows', () => {
  it('applies rows and read markers in the next task, all together, in order', () => {
    const { state, sync, deferred, announced } = setup();
    sync.onConversation(conv(A, { last_seq: 1, updated_at: '2026-01-01T00:00:01.000000+00:00' }));
    sync.onReadMarker({ conversation_id: A, user_id: 'customer-1', last_read_seq: 1, read_inbound_count: 0, updated_at: '2026-01-01T00:00:01.000000+00:00' });
    sync.onConversation(conv(B, { last_seq: 4 }));
    sync.onConversation(conv(A, { last_seq: 2, updated_at: '2026-01-01T00:00:02.000000+00:00' }));
    assert.equal(deferred.length, 1, 'one task for everything that came in before it runs');
    assert.deepEqual(state.$conversations.get(), {}, 'nothing applied before that task');

    deferred.shift()?.();
    assert.deepEqual(Object.keys(state.$conversations.get()).sort(), [A, B]);
    assert.equal(state.$conversations.get()[A]?.last_seq, 2, 'the later row of A wins');
    assert.equal(state.$seen.get()[A], 1, "the customer's marker: seen up to 1");
    assert.deepEqual(announced, [[A, 1, true], [B, 4, true], [A, 2, true]], 'each row reaches its open thread, live');

    sync.onConversation(conv(B, { last_seq: 5, updated_at: '2026-01-01T00:00:03.000000+00:00' }));
    assert.equal(deferred.length, 1, 'a new task once the previous one ran');
  });

  it('drops what is held once stopped', () => {
    const { state, sync, deferred } = setup();
    sync.onConversation(conv(A));
    sync.stop();
    deferred.shift()?.();
    assert.deepEqual(state.$conversations.get(), {});
  });
});

describe('nextTask', () => {
  it('runs callbacks after the current task, in the order asked, one task for all', async () => {
    const order: string[] = [];
    const done = new Promise<void>((resolve) => {
      nextTask(() => order.push('first'));
      nextTask(() => {
        order.push('second');
        resolve();
      });
    });
    await Promise.resolve();
    order.push('microtasks of this task');
    await done;
    assert.deepEqual(order, ['microtasks of this task', 'first', 'second']);
  });
});
