import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataApi, Message, SendMessageInput } from '../../src/data/index.ts';
import { OutboxPump } from '../../src/realtime/outbox-pump.ts';
import { ParleyError } from '../../src/data/errors.ts';
import { createParleyState } from '../../src/state/index.ts';
import { fakeClock } from './fake-clock.ts';
import { CONV } from './state-fixtures.ts';

/** An api whose sendMessage answers when the test says so. */
function controlledApi() {
  const calls: SendMessageInput[] = [];
  const answers: ((row: Message) => void)[] = [];
  const api = {
    sendMessage: (input: SendMessageInput) => {
      calls.push(input);
      return new Promise<Message>((resolve) => answers.push(resolve));
    },
  } as unknown as DataApi;
  return { api, calls, answers };
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

function row(id: string, seq: number): Message {
  return {
    id, conversation_id: CONV, seq, visibility: 'public', sender_type: 'customer', sender_id: 'customer-1',
    content: 'hello', metadata: {}, attachments: [], created_at: '2026-01-01T00:00:01.000000+00:00',
  };
}

describe('OutboxPump, sends handed over before the stores hold them', () => {
  it('sends at once, and applies the answer only once the stores hold the entry', async () => {
    const state = createParleyState({ generateId: () => 'send-1' });
    state.setSession({ userId: 'customer-1', role: 'visitor' });
    const $thread = state.thread(CONV);
    const { api, calls, answers } = controlledApi();
    const pump = new OutboxPump({ api, state, timers: fakeClock().timers, isOnline: () => true });

    const entry = state.prepareSend({ conversationId: CONV, content: 'hello' });
    let add!: () => void;
    const added = new Promise<void>((resolve) => {
      add = () => {
        state.addSend(entry);
        resolve();
      };
    });
    pump.enqueue(entry.id, { entry, added });
    await settle();
    assert.deepEqual(calls.map((call) => call.id), ['send-1'], 'the request left before the stores held anything');
    assert.deepEqual(state.$outbox.get(), []);

    answers[0]?.(row('send-1', 1));
    await settle();
    assert.deepEqual($thread.get().messages, [], 'the answer waits for the entry');

    add();
    await settle();
    assert.deepEqual($thread.get().messages.map((m) => m.id), ['send-1']);
    assert.deepEqual($thread.get().pending, []);
    assert.deepEqual(state.$outbox.get(), [], 'confirmed once: nothing left to send');
    assert.equal(calls.length, 1);
  });

  it('sends a handed-over entry queued behind another from the stores, once', async () => {
    let next = 0;
    const state = createParleyState({ generateId: () => `send-${++next}` });
    state.setSession({ userId: 'customer-1', role: 'visitor' });
    const { api, calls, answers } = controlledApi();
    const pump = new OutboxPump({ api, state, timers: fakeClock().timers, isOnline: () => true });

    const first = state.enqueueSend({ conversationId: CONV, content: 'first' });
    pump.enqueue(first.id);
    const second = state.prepareSend({ conversationId: CONV, content: 'second' });
    state.addSend(second);
    pump.enqueue(second.id, { entry: second, added: Promise.resolve() });
    await settle();
    assert.deepEqual(calls.map((call) => call.id), ['send-1'], 'one request at a time, in order');

    answers[0]?.(row('send-1', 1));
    await settle();
    assert.deepEqual(calls.map((call) => call.id), ['send-1', 'send-2']);
    answers[1]?.(row('send-2', 2));
    await settle();
    assert.deepEqual(state.$outbox.get(), []);
    assert.equal(calls.length, 2);
  });
});

describe('OutboxPump, messages with files', () => {
  const KEY = '00000000-0000-4000-8000-000000000001/00000000-0000-4000-8000-0000000000f1/0-a.png';
  const attachments = [{ key: KEY, name: 'a.png', size: 3, type: 'image/png' }];

  it('uploads the files first, then sends the message with them, then forgets the bytes', async () => {
    const state = createParleyState({ generateId: () => 'f-1' });
    state.setSession({ userId: 'customer-1', role: 'visitor' });
    const { api, calls, answers } = controlledApi();
    const log: string[] = [];
    let upload!: () => void;
    const files = {
      deliver: () => { log.push('deliver'); return new Promise<void>((resolve) => { upload = resolve; }); },
      forget: () => void log.push('forget'),
    };
    const pump = new OutboxPump({ api, state, timers: fakeClock().timers, isOnline: () => true, files });
    const entry = state.enqueueSend({ conversationId: CONV, content: '', attachments });
    pump.enqueue(entry.id);
    await settle();
    assert.deepEqual([log, calls.length], [['deliver'], 0], 'no insert before the upload is done');
    upload();
    await settle();
    assert.deepEqual(calls.map((c) => c.attachments), [attachments]);
    answers[0]?.({ ...row('f-1', 1), content: '', attachments });
    await settle();
    assert.deepEqual(log, ['deliver', 'forget']);
    assert.deepEqual(state.$outbox.get(), []);
  });

  it('retries a file upload that failed on the network, and drops a cancelled message with its bytes', async () => {
    let next = 0;
    const state = createParleyState({ generateId: () => `f-${++next}` });
    state.setSession({ userId: 'customer-1', role: 'visitor' });
    const { api, calls } = controlledApi();
    const clock = fakeClock();
    const outcomes: (() => Promise<void>)[] = [
      () => Promise.reject(new ParleyError({ kind: 'network', message: 'offline', reason: 'upload_network', retryable: true })),
      () => Promise.reject(new ParleyError({ kind: 'invalid', message: 'Sending was cancelled.', reason: 'upload_cancelled' })),
    ];
    const forgotten: string[] = [];
    const files = { deliver: () => (outcomes.shift() ?? (() => Promise.resolve()))(), forget: (e: { id: string }) => void forgotten.push(e.id) };
    const pump = new OutboxPump({ api, state, timers: clock.timers, isOnline: () => true, files });
    const entry = state.enqueueSend({ conversationId: CONV, content: 'see file', attachments });
    pump.enqueue(entry.id);
    await settle();
    assert.equal(state.$outbox.get()[0]?.state, 'sending', 'a network failure keeps it sending');
    await clock.advance(60_000);
    await settle();
    assert.deepEqual(state.$outbox.get(), [], 'cancelled: gone from the outbox');
    assert.deepEqual(state.thread(CONV).get().pending, []);
    assert.deepEqual(forgotten, [entry.id]);
    assert.equal(calls.length, 0, 'never inserted');
  });
});
