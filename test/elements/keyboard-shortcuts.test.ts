import { expect, fixture, html } from '@open-wc/testing';
import { inField, SHORTCUT_COMMANDS, SHORTCUT_LABELS, shortcutFor } from '../../src/elements/inbox/keyboard-shortcuts.ts';

function press(key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  return new KeyboardEvent('keydown', { key, ...init });
}

/** The composed path of a keydown dispatched on `target` (through shadow roots, as the inbox sees it). */
function pathOf(target: Element): EventTarget[] {
  let path: EventTarget[] = [];
  const listen = (event: Event): void => {
    path = event.composedPath();
  };
  document.addEventListener('keydown', listen);
  target.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true, composed: true }));
  document.removeEventListener('keydown', listen);
  return path;
}

describe('console keyboard shortcuts', () => {
  describe('shortcutFor', () => {
    it('maps each documented key to its command', () => {
      expect(['j', 'k', 'r', 'n', 'e', 'a', '/', '?'].map((key) => shortcutFor(press(key))))
        .to.deep.equal(['next', 'previous', 'reply', 'note', 'resolve', 'assign', 'search', 'help']);
      expect(shortcutFor(press('ArrowDown', { altKey: true }))).to.equal('next');
      expect(shortcutFor(press('ArrowUp', { altKey: true }))).to.equal('previous');
    });

    it('leaves plain arrows, other keys, Ctrl, Meta, Alt+letters and IME composition alone', () => {
      expect(shortcutFor(press('ArrowDown'))).to.equal(null);
      expect(shortcutFor(press('x'))).to.equal(null);
      expect(shortcutFor(press('j', { ctrlKey: true }))).to.equal(null);
      expect(shortcutFor(press('k', { metaKey: true }))).to.equal(null);
      expect(shortcutFor(press('j', { altKey: true }))).to.equal(null);
      expect(shortcutFor(press('ArrowDown', { altKey: true, ctrlKey: true }))).to.equal(null);
      expect(shortcutFor(press('j', { isComposing: true }))).to.equal(null);
    });

    it('lists every command in the overlay table, with the key shortcutFor reads first', () => {
      for (const command of SHORTCUT_COMMANDS) {
        const first = SHORTCUT_LABELS[command][0];
        expect(first, command).to.be.a('string');
        expect(shortcutFor(press(first ?? ''))).to.equal(command);
      }
    });
  });

  describe('inField', () => {
    it('is true in text inputs, textareas, selects and editable regions, also inside a shadow root', async () => {
      const el = await fixture(html`<div>
        <input id="text" type="text" /><input id="search" type="search" /><textarea id="area"></textarea>
        <select id="pick"><option>a</option></select><div id="edit" contenteditable="true"><span id="inner">x</span></div>
        <div id="host"></div>
      </div>`);
      const host = el.querySelector('#host') as HTMLElement;
      const shadow = host.attachShadow({ mode: 'open' });
      const deep = document.createElement('textarea');
      shadow.append(deep);
      for (const id of ['text', 'search', 'area', 'pick', 'inner']) {
        expect(inField(pathOf(el.querySelector(`#${id}`) as Element)), id).to.equal(true);
      }
      expect(inField(pathOf(deep)), 'shadow textarea').to.equal(true);
    });

    it('is false on buttons, radios, checkboxes and plain content; true in an alert dialog', async () => {
      const el = await fixture(html`<div>
        <button id="button">b</button><input id="radio" type="radio" /><input id="check" type="checkbox" />
        <p id="text">hello</p><div role="alertdialog"><button id="answer">ok</button></div>
      </div>`);
      for (const id of ['button', 'radio', 'check', 'text']) {
        expect(inField(pathOf(el.querySelector(`#${id}`) as Element)), id).to.equal(false);
      }
      expect(inField(pathOf(el.querySelector('#answer') as Element))).to.equal(true);
    });
  });
});
