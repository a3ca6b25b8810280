import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ParleyQuickReplies, quickRepliesStrings } from '../../src/elements/quick-replies/quick-replies.ts';
import { quickRepliesView } from '../../src/elements/quick-replies/quick-replies-chunk.ts';
import { offeringMessage } from '../../src/elements/launcher/quick-replies-prompt.ts';
import type { Message } from '../../src/data/types.ts';
import type { PendingMessage, ThreadState } from '../../src/state/thread.ts';
import { EMPTY_THREAD } from '../../src/state/thread.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import { collectConsoleOutput } from '../browser-helpers/console-guard.ts';

ParleyQuickReplies.define('parley-quick-replies');

const REPLIES = [{ id: 'helped', label: 'That helped' }, { id: 'handover', label: 'Talk to a person' }];

function root(el: ParleyQuickReplies): ShadowRoot {
  if (!el.shadowRoot) throw new Error('no shadow root');
  return el.shadowRoot;
}

function buttons(el: ParleyQuickReplies): HTMLButtonElement[] {
  return [...root(el).querySelectorAll<HTMLButtonElement>('[part~="reply"]')];
}

function button(el: ParleyQuickReplies, index: number): HTMLButtonElement {
  const found = buttons(el)[index];
  if (!found) throw new Error(`no button ${index}`);
  return found;
}

function message(seq: number, fields: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`, conversation_id: 'c1', seq, visibility: 'public', sender_type: 'chatbot', sender_id: null,
    content: `Message ${seq}`, metadata: { quick_replies: REPLIES }, attachments: [], created_at: '2027-01-10T10:00:00Z', ...fields,
  };
}

function threadOf(messages: Message[], pending: PendingMessage[] = []): ThreadState {
  return { ...EMPTY_THREAD, messages, pending, lastSeq: messages.at(-1)?.seq ?? 0, hasMore: false };
}

describe('<parley-quick-replies>', () => {
  it('renders one button per reply, labelled with its text, in a labelled group', async () => {
    const el = await fixture<ParleyQuickReplies>(html`<parley-quick-replies .replies=${REPLIES}></parley-quick-replies>`);
    expect(buttons(el).map((b) => b.textContent)).to.deep.equal(['That helped', 'Talk to a person']);
    expect(buttons(el).map((b) => b.dataset['id'])).to.deep.equal(['helped', 'handover']);
    const group = root(el).querySelector('[part~="base"]');
    expect(group?.getAttribute('role')).to.equal('group');
    expect(group?.getAttribute('aria-label')).to.equal(quickRepliesStrings.label);
  });

  it('renders nothing without replies', async () => {
    const el = await fixture<ParleyQuickReplies>(html`<parley-quick-replies></parley-quick-replies>`);
    expect(root(el).querySelector('[part~="base"]')).to.equal(null);
  });

  it('renders labels as text, never HTML', async () => {
    const el = await fixture<ParleyQuickReplies>(html`<parley-quick-replies
      .replies=${[{ id: 'x', label: '<img src=x onerror=alert(1)>' }]}></parley-quick-replies>`);
    expect(root(el).querySelector('img')).to.equal(null);
    expect(button(el, 0).textContent).to.equal('<img src=x onerror=alert(1)>');
  });

  it('a tap emits the reply once; the buttons then wait until new replies come', async () => {
    const el = await fixture<ParleyQuickReplies>(html`<parley-quick-replies .replies=${REPLIES}></parley-quick-replies>`);
    let events = 0;
    el.addEventListener('parley-quick-reply', () => (events += 1));
    setTimeout(() => button(el, 1).click());
    const picked = await oneEvent(el, 'parley-quick-reply');
    expect(picked.detail).to.deep.equal({ id: 'handover', label: 'Talk to a person' });
    expect(picked.bubbles && picked.composed).to.equal(true);
    await el.updateComplete;
    button(el, 1).click();
    button(el, 0).click();
    expect(events, 'a double tap sends once').to.equal(1);
    expect(buttons(el).every((b) => b.disabled)).to.equal(true);
    expect(button(el, 1).getAttribute('aria-pressed')).to.equal('true');
    expect(el.matches(':state(picked)')).to.equal(true);
    el.replies = [{ id: 'yes', label: 'Yes' }];
    await el.updateComplete;
    expect(button(el, 0).disabled).to.equal(false);
    expect(el.matches(':state(picked)')).to.equal(false);
  });

  it('is operated from the keyboard: Tab in, arrows and Home/End between the buttons, Enter picks', async () => {
    const before = document.createElement('button');
    before.textContent = 'before';
    document.body.append(before);
    const el = await fixture<ParleyQuickReplies>(html`<parley-quick-replies
      .replies=${[...REPLIES, { id: 'other', label: 'Something else' }]}></parley-quick-replies>`);
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement).to.equal(button(el, 0));
    await sendKeys({ press: 'ArrowRight' });
    expect(root(el).activeElement).to.equal(button(el, 1));
    await sendKeys({ press: 'End' });
    expect(root(el).activeElement).to.equal(button(el, 2));
    await sendKeys({ press: 'ArrowRight' });
    expect(root(el).activeElement, 'stays on the last').to.equal(button(el, 2));
    await sendKeys({ press: 'Home' });
    await sendKeys({ press: 'ArrowDown' });
    expect(root(el).activeElement).to.equal(button(el, 1));
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const picked = await oneEvent(el, 'parley-quick-reply');
    expect(picked.detail.id).to.equal('handover');
    before.remove();
  });

  it('arrows follow the reading direction in right-to-left', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div dir="rtl"><parley-quick-replies .replies=${REPLIES}></parley-quick-replies></div>`);
    const el = wrapper.querySelector('parley-quick-replies');
    if (!el) throw new Error('no element');
    await el.updateComplete;
    button(el, 0).focus();
    await sendKeys({ press: 'ArrowLeft' });
    expect(root(el).activeElement).to.equal(button(el, 1));
  });

  it('quickRepliesView() shows a message\'s checked buttons and hands the pick on; nothing for a bad list', async () => {
    const picks: string[] = [];
    const host = await fixture<HTMLDivElement>(html`<div>${quickRepliesView(message(2), 'dark', (label, id) => picks.push(`${id}:${label}`))}</div>`);
    const el = host.querySelector('parley-quick-replies');
    if (!el) throw new Error('no element');
    await el.updateComplete;
    expect(el.theme).to.equal('dark');
    button(el, 0).click();
    expect(picks).to.deep.equal(['helped:That helped']);
    const bad = await fixture<HTMLDivElement>(html`<div>${quickRepliesView(message(2, { metadata: { quick_replies: [{ id: 'A B', label: 'x' }] } }), undefined, () => undefined)}</div>`);
    expect(bad.querySelector('parley-quick-replies')).to.equal(null);
  });

  it('offers the last team or bot message\'s buttons only until the visitor writes', () => {
    const bot = message(2);
    expect(offeringMessage(threadOf([message(1, { sender_type: 'customer', metadata: {} }), bot]))).to.equal(bot);
    const handover = message(3, { sender_type: 'system', metadata: { event: 'handover' } });
    expect(offeringMessage(threadOf([bot, handover])), 'a system line after it').to.equal(bot);
    expect(offeringMessage(threadOf([bot, message(3, { sender_type: 'customer', metadata: { quick_reply: 'helped' } })]))).to.equal(null);
    const sending: PendingMessage = {
      id: 'p1', conversation_id: 'c1', content: 'That helped', metadata: { quick_reply: 'helped' }, visibility: 'public',
      sender_id: 'me', created_at: '2027-01-10T10:00:01Z', state: 'sending', error: null, attempts: 0,
    };
    expect(offeringMessage(threadOf([bot], [sending])), 'a send on its way').to.equal(null);
    expect(offeringMessage(threadOf([bot, message(3, { sender_type: 'agent', metadata: {} })])), 'a newer reply without buttons').to.equal(null);
    expect(offeringMessage(threadOf([]))).to.equal(null);
  });

  it('is accessible, before and after a pick, light and dark', async () => {
    const el = await fixture<ParleyQuickReplies>(html`<parley-quick-replies .replies=${REPLIES}></parley-quick-replies>`);
    await expectAccessibleInBothThemes(el);
    button(el, 0).click();
    await el.updateComplete;
    await expectAccessibleInBothThemes(el);
  });

  it('writes no Lit dev-mode warnings', async () => {
    const output = await collectConsoleOutput(async () => {
      const el = await fixture<ParleyQuickReplies>(html`<parley-quick-replies .replies=${REPLIES}></parley-quick-replies>`);
      el.theme = 'dark';
      el.replies = [];
      await el.updateComplete;
      el.remove();
    });
    expect(output).to.deep.equal([]);
  });
});
