/**
 * What a message costs the thread's DOM (issue 12, item 2): every node in the shadow root counted,
 * rows built once and kept (the same Node across updates), and the retry and avatar fallbacks
 * that live on delegated listeners.
 */
import { expect, fixture, html, nextFrame, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/define.ts';
import type { ParleyThread } from '../../src/elements/thread/thread.ts';
import { ParleyRetrySendEvent } from '../../src/elements/events.ts';
import type { Message, SenderType } from '../../src/data/types.ts';
import { EMPTY_THREAD } from '../../src/state/thread.ts';
import type { PendingMessage, ThreadState } from '../../src/state/thread.ts';
import { shownReceipt } from '../browser-helpers/receipt.ts';

const MONDAY = new Date(2026, 0, 5, 9, 30);

function msg(seq: number, sender: SenderType, content = `Message ${seq}`, senderId: string | null = `${sender}-1`): Message {
  return {
    id: `m${seq}`,
    conversation_id: 'c1',
    seq,
    visibility: 'public',
    sender_type: sender,
    sender_id: senderId,
    content,
    metadata: {}, attachments: [],
    // A message a minute: 400 of them span two days, so day separators are counted too.
    created_at: new Date(MONDAY.getTime() + seq * 4 * 60_000).toISOString(),
  };
}

/** A conversation as it reads: turns of one to three messages, a link now and then, the odd system line. */
function conversation(count: number): Message[] {
  return Array.from({ length: count }, (_, i) => {
    const seq = i + 1;
    if (seq % 50 === 0) return msg(seq, 'system', 'Sam Rivera joined the conversation', null);
    const sender: SenderType = Math.floor(i / 3) % 2 === 0 ? 'customer' : 'agent';
    const content = seq % 7 === 0 ? `See https://example.com/orders/${seq} for the details` : `Message ${seq}: where is my parcel?`;
    return msg(seq, sender, content, sender === 'agent' ? 'sam' : 'customer-1');
  });
}

function threadOf(messages: Message[], extra: Partial<ThreadState> = {}): ThreadState {
  return { ...EMPTY_THREAD, messages, lastSeq: messages[messages.length - 1]?.seq ?? 0, hasMore: false, ...extra };
}

function failed(id: string): PendingMessage {
  return {
    id, conversation_id: 'c1', content: `Pending ${id}`, metadata: {}, visibility: 'public', sender_id: 'customer-1',
    created_at: MONDAY.toISOString(), state: 'failed', error: 'Offline', attempts: 1,
  };
}

function root(el: ParleyThread): ShadowRoot {
  if (!el.shadowRoot) throw new Error('no shadow root');
  return el.shadowRoot;
}

function log(el: ParleyThread): HTMLElement {
  return root(el).querySelector<HTMLElement>('[part~="log"]') as HTMLElement;
}

function messageNodes(el: ParleyThread): HTMLElement[] {
  return [...root(el).querySelectorAll<HTMLElement>('[part~="message"]')];
}

/** Every node under the shadow root: elements, text, comments (Lit's markers included). */
function countNodes(el: ParleyThread): number {
  const walker = document.createTreeWalker(root(el), NodeFilter.SHOW_ALL);
  let count = 0;
  while (walker.nextNode()) count += 1;
  return count;
}

async function mount(thread: ThreadState): Promise<ParleyThread> {
  const el = await fixture<ParleyThread>(
    html`<parley-thread lang="en" viewer-id="customer-1" style="height: 400px; width: 420px"
      .names=${{ sam: 'Sam Rivera' }} .thread=${thread}></parley-thread>`,
  );
  await el.updateComplete;
  return el;
}

/**
 * Records which layout-reading properties are read while `fn` runs: each read of a dirty layout
 * forces one, so an update that appends a message may read at most once.
 */
async function layoutReads(fn: () => Promise<unknown>): Promise<string[]> {
  const reads: string[] = [];
  const restore: (() => void)[] = [];
  const spy = (proto: object, name: string): void => {
    const original = Object.getOwnPropertyDescriptor(proto, name);
    if (!original) throw new Error(`no ${name}`);
    const { get, value } = original;
    Object.defineProperty(proto, name, get
      ? { ...original, get(this: Element) { reads.push(name); return get.call(this); } }
      : { ...original, value(this: Element, ...args: unknown[]) { reads.push(name); return (value as (...a: unknown[]) => unknown).apply(this, args); } });
    restore.push(() => Object.defineProperty(proto, name, original));
  };
  for (const name of ['offsetTop', 'offsetHeight']) spy(HTMLElement.prototype, name);
  for (const name of ['scrollTop', 'scrollHeight', 'clientHeight', 'getBoundingClientRect']) spy(Element.prototype, name);
  try {
    await fn();
  } finally {
    for (const undo of restore) undo();
  }
  return reads;
}

/** Scrolls to the top until the window holds the oldest message. */
async function showAll(el: ParleyThread): Promise<void> {
  for (let i = 0; i < 10 && messageNodes(el)[0]?.dataset['seq'] !== '1'; i++) {
    log(el).scrollTop = 0;
    await nextFrame();
    await el.updateComplete;
  }
}

describe('<parley-thread> DOM cost', () => {
  it('holds a thread of 400 messages in under 5,000 nodes, every node of the shadow root counted', async function (this: MochaContext) {
    this.timeout(20000);
    const el = await mount(threadOf(conversation(400)));
    await showAll(el);
    expect(messageNodes(el)).to.have.length(400);
    const nodes = countNodes(el);
    expect(nodes).to.be.below(5000);
  });

  it('appending a message keeps every existing row (the same Node), and adds one', async () => {
    const messages = conversation(60);
    const el = await mount(threadOf(messages));
    const before = messageNodes(el);
    el.thread = threadOf([...messages, msg(61, 'agent', 'A new reply', 'sam')]);
    await el.updateComplete;
    const after = messageNodes(el);
    expect(after).to.have.length(before.length + 1);
    before.forEach((node, i) => expect(after[i], `row ${i}`).to.equal(node));
    expect(after.at(-1)?.dataset['seq']).to.equal('61');
  });

  it('reads layout once a frame for messages arriving at the bottom, in the frame, and not at all while scrolled up', async () => {
    let messages = conversation(60);
    const el = await fixture<ParleyThread>(
      html`<parley-thread lang="en" viewer-id="customer-1" style="height: 300px; width: 420px" .thread=${threadOf(messages)}></parley-thread>`,
    );
    await el.updateComplete;
    // The first frame scrolls to the bottom (and its scroll event comes in the next).
    await nextFrame();
    await nextFrame();
    const arrive = async (): Promise<void> => {
      messages = [...messages, msg(messages.length + 1, 'agent', 'Another reply', 'sam')];
      el.thread = threadOf(messages);
      await el.updateComplete;
    };
    expect(await layoutReads(arrive), 'no read right after the update (it would force a layout of its own)').to.deep.equal([]);
    expect(await layoutReads(async () => {
      await arrive();
      await arrive();
      await nextFrame();
    }), 'stuck to the bottom: where the bottom is, once for the frame').to.deep.equal(['scrollHeight']);
    expect(log(el).scrollHeight - log(el).scrollTop - log(el).clientHeight, 'at the bottom').to.be.below(2);
    log(el).scrollTop = 200;
    await waitUntil(() => el.matches(':state(scrolled-up)'), 'scrolled up');
    expect(await layoutReads(arrive), 'scrolled up: nothing above the reader moves').to.deep.equal([]);
    expect(log(el).scrollTop).to.be.closeTo(200, 2);
  });

  it('stuck to the bottom of a long thread, an arriving message drops no row above until the window is full', async () => {
    let messages = conversation(250);
    const el = await mount(threadOf(messages));
    const first = messageNodes(el)[0];
    const count = messageNodes(el).length;
    for (let i = 0; i < 3; i++) {
      messages = [...messages, msg(messages.length + 1, 'agent', 'Another reply', 'sam')];
      el.thread = threadOf(messages);
      await el.updateComplete;
    }
    expect(messageNodes(el)[0], 'every row moving up would be laid out and painted again').to.equal(first);
    expect(messageNodes(el)).to.have.length(count + 3);
    messages = [...messages, ...conversation(500).slice(messages.length)];
    el.thread = threadOf(messages);
    await el.updateComplete;
    expect(messageNodes(el).length, 'full: the oldest go, many at once').to.be.at.most(400);
    expect(messageNodes(el).at(-1)?.dataset['seq']).to.equal('500');
  });

  it('rebuilds only the rows whose inputs changed', async () => {
    const el = await mount(threadOf([msg(1, 'customer'), msg(2, 'customer'), msg(3, 'agent', 'Hi', 'sam')]));
    const [first, second, third] = messageNodes(el);
    el.seenSeq = 2;
    await el.updateComplete;
    const [first2, second2, third2] = messageNodes(el);
    expect(first2).to.equal(first);
    expect(second).to.not.equal(undefined);
    expect(shownReceipt(second2), 'the receipt goes under the last of mine').to.equal('Seen');
    expect(third2).to.equal(third);
  });

  it('a confirmed send keeps its row and bubble, only its meta changes; "Seen" moving keeps both rows', async () => {
    const sending: PendingMessage = { ...failed('m2'), content: 'Message 2', created_at: msg(2, 'customer').created_at, state: 'sending', error: null };
    const el = await mount(threadOf([msg(1, 'agent', 'Hi', 'sam')], { pending: [sending] }));
    const row = messageNodes(el).at(-1) as HTMLElement;
    const bubble = row.querySelector('[part~="bubble"]');
    expect(row.matches('[part~="pending"]')).to.equal(true);

    // Confirming and "Seen" moving change attributes only: no node and no text comes or goes, so
    // the log needs no layout for them, only style and paint.
    const changes: string[] = [];
    const watcher = new MutationObserver((records) => changes.push(...records.filter((r) => r.type !== 'attributes').map((r) => r.type)));
    watcher.observe(row.parentNode as Node, { subtree: true, childList: true, characterData: true, attributes: true });
    el.thread = threadOf([msg(1, 'agent', 'Hi', 'sam'), msg(2, 'customer')]);
    await el.updateComplete;
    const confirmed = messageNodes(el).at(-1) as HTMLElement;
    expect(confirmed, 'the same row, patched').to.equal(row);
    expect(confirmed.querySelector('[part~="bubble"]'), 'its bubble untouched').to.equal(bubble);
    expect(confirmed.matches('[part~="pending"]')).to.equal(false);
    expect(confirmed.dataset['seq']).to.equal('2');
    expect(shownReceipt(confirmed), 'no delivery state once confirmed').to.equal(null);
    expect(confirmed.textContent).to.contain('Message 2');

    el.seenSeq = 2;
    await el.updateComplete;
    expect(messageNodes(el).at(-1)).to.equal(row);
    expect(shownReceipt(row)).to.equal('Seen');
    watcher.disconnect();
    expect(changes, 'nodes or text changed').to.deep.equal([]);
    el.thread = threadOf([msg(1, 'agent', 'Hi', 'sam'), msg(2, 'customer'), msg(3, 'customer')]);
    el.seenSeq = 3;
    await el.updateComplete;
    const [, second, third] = messageNodes(el);
    expect(second).to.equal(row);
    expect(shownReceipt(row), 'the receipt moves off').to.equal(null);
    expect(shownReceipt(third), 'onto the newest of mine').to.equal('Seen');
  });

  it('Retry on a row built by hand still emits parley-retry-send (delegated)', async () => {
    const el = await mount(threadOf([msg(1, 'customer')], { pending: [failed('p1')] }));
    const button = root(el).querySelector<HTMLButtonElement>('[part~="retry-button"]') as HTMLButtonElement;
    const heard = oneEvent(el, 'parley-retry-send');
    button.click();
    const event = await heard;
    expect(event).to.be.instanceOf(ParleyRetrySendEvent);
    expect(event.detail).to.deep.equal({ id: 'p1' });
  });

  it('falls back to initials when an avatar image fails (error does not bubble: caught on the way down)', async () => {
    const el = await mount(threadOf([msg(1, 'agent', 'Hello', 'sam')]));
    el.avatars = { sam: 'http://127.0.0.1:9/missing.png' };
    await el.updateComplete;
    await waitUntil(() => root(el).querySelector('[part~="initials"]') !== null, 'falls back to initials');
    expect(root(el).querySelector('img')).to.equal(null);
  });
});
