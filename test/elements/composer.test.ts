import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../src/define.ts';
import { TYPING_INTERVAL_MS } from '../../src/elements/composer/composer.ts';
import type { CannedReply, ParleyComposer } from '../../src/elements/composer/composer.ts';
import { ParleySendEvent, ParleyTypingEvent } from '../../src/elements/events.ts';
import type { ParleySendDetail } from '../../src/elements/events.ts';
import { composerStrings } from '../../src/i18n/strings.ts';
import { MAX_MESSAGE_LENGTH } from '../../src/data/types.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import { collectConsoleOutput } from '../browser-helpers/console-guard.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';

const CANNED: CannedReply[] = [
  { shortcut: 'hello', title: 'Greeting', body: 'Hello! How can I help you today?' },
  { shortcut: 'refund', title: 'Refund policy', body: 'Refunds are processed within 5 business days.' },
  { shortcut: 'bye', title: 'Closing', body: 'Thanks for reaching out. Have a great day!' },
];

function textarea(el: ParleyComposer): HTMLTextAreaElement {
  const input = el.shadowRoot?.querySelector('textarea');
  if (!input) throw new Error('no textarea');
  return input;
}

function part(el: ParleyComposer, name: string): HTMLElement | null {
  return el.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
}

function sendButton(el: ParleyComposer): HTMLButtonElement {
  return part(el, 'send-button') as HTMLButtonElement;
}

function listbox(el: ParleyComposer): HTMLElement {
  return part(el, 'canned-list') as HTMLElement;
}

function options(el: ParleyComposer): HTMLElement[] {
  return [...listbox(el).querySelectorAll<HTMLElement>('[role="option"]')];
}

function isOpen(el: ParleyComposer): boolean {
  return !listbox(el).hidden && options(el).length > 0;
}

function modeRadio(el: ParleyComposer, mode: 'reply' | 'note'): HTMLInputElement {
  const input = el.shadowRoot?.querySelector<HTMLInputElement>(`input[type="radio"][value="${mode}"]`);
  if (!input) throw new Error(`no ${mode} radio`);
  return input;
}

/** Records every parley-send's detail. */
function recordDetails(el: ParleyComposer): ParleySendDetail[] {
  const details: ParleySendDetail[] = [];
  el.addEventListener('parley-send', (event) => details.push(event.detail));
  return details;
}

/** Records every parley-send (and optionally prevents it). */
function recordSends(el: ParleyComposer, { prevent = false } = {}): string[] {
  const texts: string[] = [];
  el.addEventListener('parley-send', (event) => {
    texts.push(event.detail.text);
    if (prevent) event.preventDefault();
  });
  return texts;
}

async function typeInto(el: ParleyComposer, text: string): Promise<void> {
  textarea(el).focus();
  await sendKeys({ type: text });
  await el.updateComplete;
}

async function press(el: ParleyComposer, key: string): Promise<void> {
  await sendKeys({ press: key });
  await el.updateComplete;
}

describe('<parley-composer>', () => {
  describe('renders', () => {
    it('a labelled, empty one-line field and a disabled send button', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
      const input = textarea(el);
      expect(input.labels?.[0]?.textContent?.trim()).to.equal(composerStrings.label);
      expect(input.placeholder).to.equal(composerStrings.placeholder);
      expect(input.value).to.equal('');
      // What is typed takes its own direction, paragraph by paragraph; the placeholder keeps the widget's.
      expect(getComputedStyle(input).unicodeBidi).to.equal('plaintext');
      expect(getComputedStyle(input).direction).to.equal('ltr');
      expect(sendButton(el).getAttribute('aria-label')).to.equal(composerStrings.send);
      expect(sendButton(el).disabled).to.equal(true);
      expect(part(el, 'counter')?.textContent).to.equal('');
      expect(listbox(el).hidden).to.equal(true);
    });

    it('offers no Reply / Note switch without allow-notes', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer mode="note"></parley-composer>`);
      expect(part(el, 'modes')).to.equal(null);
      expect(part(el, 'note-hint')).to.equal(null);
      expect(textarea(el).placeholder).to.equal(composerStrings.placeholder);
      expect(el.matches(':state(note)')).to.equal(false);
    });

    it('with allow-notes, a labelled Reply / Note radio group above the field, Reply selected', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer allow-notes></parley-composer>`);
      const group = part(el, 'modes') as HTMLFieldSetElement;
      expect(group.tagName).to.equal('FIELDSET');
      expect(group.querySelector('legend')?.textContent).to.equal(composerStrings.modeLabel);
      expect(modeRadio(el, 'reply').labels?.[0]?.textContent?.trim()).to.equal(composerStrings.reply);
      expect(modeRadio(el, 'note').labels?.[0]?.textContent?.trim()).to.equal(composerStrings.note);
      expect(modeRadio(el, 'reply').checked).to.equal(true);
      expect(part(el, 'mode-selected')?.dataset['mode']).to.equal('reply');
      expect(group.getBoundingClientRect().bottom).to.be.at.most(textarea(el).getBoundingClientRect().top);
      expect(part(el, 'note-hint')).to.equal(null);
    });

    it('in Note mode the field looks different, says so, and the lock hint shows', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer allow-notes theme="light"></parley-composer>`);
      const replyBackground = getComputedStyle(textarea(el)).backgroundColor;
      el.mode = 'note';
      await el.updateComplete;
      const input = textarea(el);
      expect(getComputedStyle(input).backgroundColor).to.not.equal(replyBackground);
      expect(getComputedStyle(input).backgroundColor).to.equal('rgb(255, 244, 209)');
      expect(input.placeholder).to.equal(composerStrings.notePlaceholder);
      expect(sendButton(el).getAttribute('aria-label')).to.equal(composerStrings.sendNote);
      const hint = part(el, 'note-hint');
      expect(hint?.textContent?.trim()).to.equal(composerStrings.noteHint);
      expect(hint?.querySelector('svg[aria-hidden="true"]')).to.not.equal(null);
      expect(input.getAttribute('aria-describedby')?.split(' ')).to.include(hint?.id);
      expect(el.matches(':state(note)')).to.equal(true);
    });

    it('grows with its content up to a few lines, then scrolls', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer style="width: 320px"></parley-composer>`);
      const input = textarea(el);
      const oneLine = input.getBoundingClientRect().height;
      el.value = 'a\nb\nc';
      await el.updateComplete;
      const threeLines = input.getBoundingClientRect().height;
      expect(threeLines).to.be.greaterThan(oneLine * 1.8);
      el.value = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
      await el.updateComplete;
      const capped = input.getBoundingClientRect().height;
      expect(capped).to.be.lessThan(oneLine * 4);
      expect(input.scrollHeight).to.be.greaterThan(input.clientHeight);
    });

    it('mirrors under dir="rtl" on an ancestor', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div dir="rtl" style="width: 360px"><parley-composer></parley-composer></div>`,
      );
      const el = wrapper.querySelector('parley-composer') as ParleyComposer;
      await el.updateComplete;
      const input = textarea(el).getBoundingClientRect();
      const button = sendButton(el).getBoundingClientRect();
      expect(button.right).to.be.at.most(input.left + 1);
      const icon = sendButton(el).querySelector('svg') as SVGElement;
      expect(getComputedStyle(icon).transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');

      wrapper.dir = 'ltr';
      await waitUntil(() => getComputedStyle(icon).transform === 'none', 'the icon turns back in LTR');
      const ltrButton = sendButton(el).getBoundingClientRect();
      expect(ltrButton.left).to.be.at.least(textarea(el).getBoundingClientRect().right - 1);
    });

    it('writes no Lit dev-mode warnings', async () => {
      const output = await collectConsoleOutput(async () => {
        const el = await fixture<ParleyComposer>(html`<parley-composer .cannedResponses=${CANNED}></parley-composer>`);
        await typeInto(el, '/r');
        await press(el, 'ArrowDown');
        await press(el, 'Enter');
        el.value = 'x'.repeat(MAX_MESSAGE_LENGTH + 1);
        el.disabled = true;
        el.strings = { send: 'Envoyer' };
        el.theme = 'dark';
        el.allowNotes = true;
        el.mode = 'note';
        await el.updateComplete;
        el.remove();
      });
      expect(output).to.deep.equal([]);
    });
  });

  describe('is accessible', () => {
    it('empty, light and dark', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
      await expectAccessibleInBothThemes(el);
    });

    it('disabled with a reason', async () => {
      const el = await fixture<ParleyComposer>(
        html`<parley-composer disabled disabled-reason="Reconnecting…" value="draft"></parley-composer>`,
      );
      await expectAccessibleInBothThemes(el);
    });

    it('over the limit', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
      el.value = 'x'.repeat(MAX_MESSAGE_LENGTH + 10);
      await el.updateComplete;
      await expectAccessibleInBothThemes(el);
    });

    it('with the Reply / Note switch, in either mode', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer allow-notes value="Draft"></parley-composer>`);
      await expectAccessibleInBothThemes(el);
      el.mode = 'note';
      await el.updateComplete;
      await expectAccessibleInBothThemes(el);
    });

    it('with the canned reply list open', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer .cannedResponses=${CANNED}></parley-composer>`);
      await typeInto(el, '/');
      expect(isOpen(el)).to.equal(true);
      await expectAccessibleInBothThemes(el);
    });
  });

  describe('properties', () => {
    it('renders value set programmatically, without events', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
      let events = 0;
      el.addEventListener('parley-typing', () => (events += 1));
      el.addEventListener('parley-send', () => (events += 1));
      el.value = 'Draft';
      await el.updateComplete;
      expect(textarea(el).value).to.equal('Draft');
      expect(sendButton(el).disabled).to.equal(false);
      expect(events).to.equal(0);
    });

    it('reflects disabled and reads disabled-reason', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
      el.disabled = true;
      await el.updateComplete;
      expect(el.hasAttribute('disabled')).to.equal(true);
      expect(el.matches(':state(disabled)')).to.equal(true);
      el.setAttribute('disabled-reason', 'This conversation is closed');
      await el.updateComplete;
      expect(el.disabledReason).to.equal('This conversation is closed');
    });

    it('reflects allow-notes and mode; mode set programmatically emits nothing', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
      let events = 0;
      el.addEventListener('parley-send', () => (events += 1));
      el.allowNotes = true;
      el.mode = 'note';
      await el.updateComplete;
      expect(el.getAttribute('allow-notes')).to.equal('');
      expect(el.getAttribute('mode')).to.equal('note');
      expect(modeRadio(el, 'note').checked).to.equal(true);
      el.setAttribute('mode', 'reply');
      await el.updateComplete;
      expect(modeRadio(el, 'reply').checked).to.equal(true);
      expect(events).to.equal(0);
    });

    it('takes the switch, hint and note strings from strings', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer allow-notes mode="note"></parley-composer>`);
      el.strings = { modeLabel: 'Art', reply: 'Antwort', note: 'Notiz', notePlaceholder: 'Interne Notiz…', sendNote: 'Notiz speichern', noteHint: 'Nur dein Team' };
      await el.updateComplete;
      expect(part(el, 'modes')?.querySelector('legend')?.textContent).to.equal('Art');
      expect(modeRadio(el, 'reply').labels?.[0]?.textContent?.trim()).to.equal('Antwort');
      expect(modeRadio(el, 'note').labels?.[0]?.textContent?.trim()).to.equal('Notiz');
      expect(textarea(el).placeholder).to.equal('Interne Notiz…');
      expect(sendButton(el).getAttribute('aria-label')).to.equal('Notiz speichern');
      expect(part(el, 'note-hint')?.textContent?.trim()).to.equal('Nur dein Team');
    });

    it('takes any visible string from strings', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
      el.strings = { label: 'Nachricht', placeholder: 'Nachricht schreiben…', send: 'Senden' };
      await el.updateComplete;
      expect(textarea(el).labels?.[0]?.textContent?.trim()).to.equal('Nachricht');
      expect(textarea(el).placeholder).to.equal('Nachricht schreiben…');
      expect(sendButton(el).getAttribute('aria-label')).to.equal('Senden');
    });

    it('shows the counter from 3,500 characters, counting code points like the database', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer lang="en"></parley-composer>`);
      el.value = 'x'.repeat(3499);
      await el.updateComplete;
      expect(part(el, 'counter')?.textContent).to.equal('');
      expect(el.matches(':state(near-limit)')).to.equal(false);
      // 3,500 emoji are 7,000 UTF-16 units but 3,500 characters.
      el.value = '😀'.repeat(3500);
      await el.updateComplete;
      expect(part(el, 'counter')?.textContent).to.equal('Characters left: 500');
      expect(el.matches(':state(near-limit)')).to.equal(true);
      expect(sendButton(el).disabled).to.equal(false);
    });
  });

  describe('events', () => {
    it('Enter sends the trimmed text as a cancelable, composed parley-send and clears the field', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
      await typeInto(el, '  Hello there  ');
      const heard = oneEvent(document, 'parley-send');
      await press(el, 'Enter');
      const event = await heard;
      expect(event).to.be.instanceOf(ParleySendEvent);
      expect(event.detail.text).to.equal('Hello there');
      expect(event.cancelable).to.equal(true);
      expect(event.composed).to.equal(true);
      expect(el.value).to.equal('');
      expect(textarea(el).value).to.equal('');
      expect(el.shadowRoot?.activeElement).to.equal(textarea(el));
    });

    it('parley-send carries visibility: public for a reply, internal for a note', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer allow-notes></parley-composer>`);
      const details = recordDetails(el);
      await typeInto(el, 'To the customer');
      await press(el, 'Enter');
      el.mode = 'note';
      await el.updateComplete;
      await typeInto(el, 'For the team');
      await press(el, 'Enter');
      expect(details).to.deep.equal([
        { text: 'To the customer', visibility: 'public' },
        { text: 'For the team', visibility: 'internal' },
      ]);
    });

    it('without allow-notes every send is public, whatever mode says', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer mode="note"></parley-composer>`);
      const details = recordDetails(el);
      await typeInto(el, 'Hello');
      await press(el, 'Enter');
      expect(details).to.deep.equal([{ text: 'Hello', visibility: 'public' }]);
    });

    it('stays in Note mode after sending a note, and after a prevented send', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer allow-notes mode="note"></parley-composer>`);
      const details = recordDetails(el);
      await typeInto(el, 'First note');
      await press(el, 'Enter');
      expect(el.mode).to.equal('note');
      expect(modeRadio(el, 'note').checked).to.equal(true);
      expect(part(el, 'note-hint')).to.not.equal(null);
      await typeInto(el, 'Second note');
      sendButton(el).click();
      await el.updateComplete;
      expect(details.map((d) => d.visibility)).to.deep.equal(['internal', 'internal']);
      el.addEventListener('parley-send', (event) => event.preventDefault());
      await typeInto(el, 'Refused');
      await press(el, 'Enter');
      expect(el.value).to.equal('Refused');
      expect(el.mode).to.equal('note');
    });

    it('keeps the text when parley-send is prevented', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
      const sent = recordSends(el, { prevent: true });
      await typeInto(el, 'Keep me');
      await press(el, 'Enter');
      expect(sent).to.deep.equal(['Keep me']);
      expect(el.value).to.equal('Keep me');
      expect(textarea(el).value).to.equal('Keep me');
    });

    it('sends nothing for a blank draft', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
      const sent = recordSends(el);
      await typeInto(el, '   ');
      await press(el, 'Enter');
      expect(sent).to.deep.equal([]);
    });

    it('sends nothing for a draft of invisible characters, and keeps it', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
      const sent = recordSends(el);
      // trim() keeps zero-width characters; the database refuses a message that shows nothing.
      const invisible = '\u200b\u200c\u200d\u2060\ufeff\u00a0';
      await typeInto(el, invisible);
      expect(el.value).to.equal(invisible);
      expect(sendButton(el).disabled).to.equal(true);
      await press(el, 'Enter');
      expect(el.send()).to.equal(false);
      expect(sent).to.deep.equal([]);
      expect(el.value).to.equal(invisible);
      await typeInto(el, 'x');
      expect(sendButton(el).disabled).to.equal(false);
      await press(el, 'Enter');
      expect(sent).to.deep.equal([`${invisible}x`]);
    });

    it('the send button sends and returns focus to the field', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
      const sent = recordSends(el);
      await typeInto(el, 'By click');
      sendButton(el).click();
      await el.updateComplete;
      expect(sent).to.deep.equal(['By click']);
      expect(el.shadowRoot?.activeElement).to.equal(textarea(el));
    });

    it('emits parley-typing at most every 2 seconds while typing', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
      let now = 1_000_000;
      el.clock = () => now;
      const typing: ParleyTypingEvent[] = [];
      el.addEventListener('parley-typing', (event) => typing.push(event));
      await typeInto(el, 'abc');
      expect(typing.length).to.equal(1);
      expect(typing[0]).to.be.instanceOf(ParleyTypingEvent);
      now += TYPING_INTERVAL_MS - 1;
      await typeInto(el, 'd');
      expect(typing.length).to.equal(1);
      now += 1;
      await typeInto(el, 'e');
      expect(typing.length).to.equal(2);
      // After a send the next keystroke is news again.
      await press(el, 'Enter');
      await typeInto(el, 'f');
      expect(typing.length).to.equal(3);
    });
  });

  describe('interaction', () => {
    it('Shift+Enter adds a line instead of sending', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
      const sent = recordSends(el);
      await typeInto(el, 'one');
      await press(el, 'Shift+Enter');
      await typeInto(el, 'two');
      expect(el.value).to.equal('one\ntwo');
      expect(sent).to.deep.equal([]);
      await press(el, 'Enter');
      expect(sent).to.deep.equal(['one\ntwo']);
    });

    it('does not send while an IME is composing', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer value="にほん"></parley-composer>`);
      const sent = recordSends(el);
      const enter = new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true });
      textarea(el).dispatchEvent(enter);
      expect(enter.defaultPrevented).to.equal(false);
      expect(sent).to.deep.equal([]);
      textarea(el).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      expect(sent).to.deep.equal(['にほん']);
    });

    it('blocks sending over 4,000 characters and says why', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer lang="en"></parley-composer>`);
      const sent = recordSends(el);
      el.value = 'x'.repeat(MAX_MESSAGE_LENGTH);
      await el.updateComplete;
      expect(sendButton(el).disabled).to.equal(false);
      expect(part(el, 'error')?.textContent).to.equal('');
      await typeInto(el, 'y');
      expect(el.value.length).to.equal(MAX_MESSAGE_LENGTH + 1);
      expect(part(el, 'counter')?.textContent).to.equal('Characters over the limit: 1');
      expect(part(el, 'error')?.textContent).to.equal(
        'Messages can be at most 4,000 characters. Shorten this one to send it.',
      );
      expect(part(el, 'error')?.getAttribute('role')).to.equal('alert');
      expect(textarea(el).getAttribute('aria-invalid')).to.equal('true');
      expect(el.matches(':state(over-limit)')).to.equal(true);
      expect(sendButton(el).disabled).to.equal(true);
      await press(el, 'Enter');
      expect(el.send()).to.equal(false);
      expect(sent).to.deep.equal([]);
      expect(el.value.length).to.equal(MAX_MESSAGE_LENGTH + 1);
    });

    it('when disabled, shows the reason, keeps the draft and sends nothing', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer value="My draft"></parley-composer>`);
      const sent = recordSends(el);
      el.disabled = true;
      el.disabledReason = 'Reconnecting…';
      await el.updateComplete;
      const notice = part(el, 'notice');
      expect(notice?.textContent).to.equal('Reconnecting…');
      expect(notice?.getAttribute('role')).to.equal('status');
      expect(textarea(el).disabled).to.equal(true);
      expect(textarea(el).getAttribute('aria-describedby')?.split(' ')).to.include('notice');
      expect(sendButton(el).disabled).to.equal(true);
      expect(el.send()).to.equal(false);
      expect(sent).to.deep.equal([]);
      expect(textarea(el).value).to.equal('My draft');

      el.disabledReason = '';
      await el.updateComplete;
      expect(notice?.textContent).to.equal(composerStrings.disabled);

      el.disabled = false;
      await el.updateComplete;
      expect(notice?.textContent).to.equal('');
      expect(el.send()).to.equal(true);
      expect(sent).to.deep.equal(['My draft']);
    });

    it('the switch is one tab stop before the field; arrow keys switch the mode and keep focus there', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer allow-notes></parley-composer>`);
      textarea(el).focus();
      await press(el, 'Shift+Tab');
      expect(el.shadowRoot?.activeElement).to.equal(modeRadio(el, 'reply'));
      await press(el, 'ArrowRight');
      expect(el.mode).to.equal('note');
      expect(el.shadowRoot?.activeElement).to.equal(modeRadio(el, 'note'));
      expect(textarea(el).placeholder).to.equal(composerStrings.notePlaceholder);
      await press(el, 'ArrowLeft');
      expect(el.mode).to.equal('reply');
      await press(el, 'ArrowRight');
      await press(el, 'Tab');
      expect(el.shadowRoot?.activeElement).to.equal(textarea(el));
      await typeInto(el, 'Typed after switching');
      const heard = oneEvent(el, 'parley-send');
      await press(el, 'Enter');
      expect((await heard).detail.visibility).to.equal('internal');
    });

    it('focus() puts the caret in the field, not on the Reply / Note switch before it', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer allow-notes></parley-composer>`);
      el.focus();
      expect(el.shadowRoot?.activeElement).to.equal(textarea(el));
      expect(document.activeElement).to.equal(el);
      await sendKeys({ type: 'Typed after focus()' });
      await el.updateComplete;
      expect(el.value).to.equal('Typed after focus()');
      textarea(el).blur();
      // A click on the composer's own surface (not a control) goes to the field as well.
      const base = el.shadowRoot?.querySelector('[part~="base"]') as HTMLElement;
      const box = base.getBoundingClientRect();
      await sendMouse({ type: 'click', position: [Math.round(box.right - 2), Math.round(box.bottom - 2)] });
      expect(el.shadowRoot?.activeElement).to.equal(textarea(el));
    });

    it('a click on the switch changes the mode and returns to the field, draft kept', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer allow-notes></parley-composer>`);
      await typeInto(el, 'Half a thought');
      const note = modeRadio(el, 'note').closest('label') as HTMLLabelElement;
      const box = note.getBoundingClientRect();
      await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
      await el.updateComplete;
      expect(el.mode).to.equal('note');
      expect(el.value).to.equal('Half a thought');
      expect(el.shadowRoot?.activeElement).to.equal(textarea(el));
    });

    it('canned replies work in Note mode and go out as a note', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer allow-notes mode="note" .cannedResponses=${CANNED}></parley-composer>`);
      const details = recordDetails(el);
      await typeInto(el, '/ref');
      expect(isOpen(el)).to.equal(true);
      await press(el, 'Enter');
      expect(el.value).to.equal(CANNED[1]?.body);
      await press(el, 'Enter');
      expect(details).to.deep.equal([{ text: CANNED[1]?.body, visibility: 'internal' }]);
    });

    it('"/" at the start opens the canned replies, filtered by what follows', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer .cannedResponses=${CANNED}></parley-composer>`);
      await typeInto(el, '/');
      expect(isOpen(el)).to.equal(true);
      expect(options(el).length).to.equal(3);
      const input = textarea(el);
      expect(input.getAttribute('aria-controls')).to.equal(listbox(el).id);
      expect(input.getAttribute('aria-autocomplete')).to.equal('list');
      expect(input.getAttribute('aria-activedescendant')).to.equal(options(el)[0]?.id);
      expect(el.matches(':state(canned-open)')).to.equal(true);

      // Shortcut prefix matches first, then shortcut or title substrings ("Greeting" has "re").
      await typeInto(el, 're');
      expect(options(el).map((o) => o.querySelector('.shortcut')?.textContent)).to.deep.equal(['/refund', '/hello']);
      await typeInto(el, 'f');
      expect(options(el).map((o) => o.querySelector('.shortcut')?.textContent)).to.deep.equal(['/refund']);

      await typeInto(el, 'zzz');
      expect(isOpen(el)).to.equal(false);
      expect(input.hasAttribute('aria-activedescendant')).to.equal(false);
    });

    it('does not open for "/" later in the text, or without canned replies', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer .cannedResponses=${CANNED}></parley-composer>`);
      await typeInto(el, 'and/or');
      expect(isOpen(el)).to.equal(false);
      const customer = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
      await typeInto(customer, '/');
      expect(isOpen(customer)).to.equal(false);
      expect(textarea(customer).hasAttribute('aria-autocomplete')).to.equal(false);
    });

    it('arrow keys move the active option and Enter inserts its body without sending', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer .cannedResponses=${CANNED}></parley-composer>`);
      const sent = recordSends(el);
      await typeInto(el, '/');
      await press(el, 'ArrowDown');
      expect(options(el)[1]?.getAttribute('aria-selected')).to.equal('true');
      expect(textarea(el).getAttribute('aria-activedescendant')).to.equal(options(el)[1]?.id);
      await press(el, 'ArrowUp');
      await press(el, 'ArrowUp');
      expect(options(el)[2]?.getAttribute('aria-selected')).to.equal('true', 'ArrowUp wraps to the last option');
      await press(el, 'ArrowDown');
      await press(el, 'ArrowDown');
      await press(el, 'Enter');
      expect(el.value).to.equal(CANNED[1]?.body);
      expect(isOpen(el)).to.equal(false);
      expect(sent).to.deep.equal([]);
      await press(el, 'Enter');
      expect(sent).to.deep.equal([CANNED[1]?.body]);
    });

    it('Tab inserts the active reply and a click inserts the clicked one', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer .cannedResponses=${CANNED}></parley-composer>`);
      await typeInto(el, '/');
      await press(el, 'Tab');
      expect(el.value).to.equal(CANNED[0]?.body);
      expect(el.shadowRoot?.activeElement).to.equal(textarea(el));

      el.value = '';
      await el.updateComplete;
      await typeInto(el, '/');
      options(el)[2]?.click();
      await el.updateComplete;
      expect(el.value).to.equal(CANNED[2]?.body);
    });

    it('Escape closes the list without leaving the composer, and typing reopens it', async () => {
      const el = await fixture<ParleyComposer>(html`<parley-composer .cannedResponses=${CANNED}></parley-composer>`);
      let escapesOutside = 0;
      const countEscapes = (e: KeyboardEvent): void => {
        if (e.key === 'Escape') escapesOutside += 1;
      };
      document.addEventListener('keydown', countEscapes);
      await typeInto(el, '/');
      await press(el, 'Escape');
      document.removeEventListener('keydown', countEscapes);
      expect(isOpen(el)).to.equal(false);
      expect(escapesOutside).to.equal(0);
      expect(el.value).to.equal('/');
      await typeInto(el, 'b');
      expect(isOpen(el)).to.equal(true);
      expect(options(el).length).to.equal(1);
    });

    it('keeps hostile canned text as text', async () => {
      const hostile: CannedReply[] = [{ shortcut: 'x', title: HOSTILE, body: HOSTILE }];
      const el = await fixture<ParleyComposer>(html`<parley-composer .cannedResponses=${hostile}></parley-composer>`);
      await typeInto(el, '/');
      expect(isOpen(el)).to.equal(true);
      expect(listbox(el).querySelector('img')).to.equal(null);
      expect(options(el)[0]?.querySelector('.title')?.textContent).to.equal(HOSTILE);
      await press(el, 'Enter');
      expect(el.value).to.equal(HOSTILE);
      expect(el.shadowRoot?.querySelector('img')).to.equal(null);
    });
  });
});
