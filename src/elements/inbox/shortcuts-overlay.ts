/**
 * The keyboard shortcuts overlay: a modal `<dialog>` (showModal gives focus trapping, Escape and
 * the inert page for free) listing every shortcut with its keys in `<kbd>`, and the header button
 * that opens it. The keyboard controller owns opening and closing; this only lays it out.
 */
import { css, html, type TemplateResult } from 'lit';
import type { InboxStrings } from '../../i18n/strings.ts';
import { SHORTCUT_COMMANDS, SHORTCUT_LABELS, type ShortcutCommand } from './keyboard-shortcuts.ts';

const DESCRIPTIONS: Readonly<Record<ShortcutCommand, keyof InboxStrings>> = {
  next: 'shortcutNext',
  previous: 'shortcutPrevious',
  reply: 'shortcutReply',
  note: 'shortcutNote',
  resolve: 'shortcutResolve',
  assign: 'shortcutAssign',
  search: 'shortcutSearch',
  help: 'shortcutHelp',
};

function keys(t: InboxStrings, labels: readonly string[]): TemplateResult[] {
  return labels.map((label, i) => html`${i > 0 ? html` ${t.shortcutOr} ` : ''}<kbd dir="ltr">${label}</kbd>`);
}

export function shortcutsButton(t: InboxStrings, onOpen: () => void): TemplateResult {
  return html`<button type="button" class="button shortcuts-button" part="shortcuts-button" aria-label=${t.shortcuts}
    aria-haspopup="dialog" aria-keyshortcuts="?" @click=${onOpen}><span aria-hidden="true">?</span></button>`;
}

/** Closed until the controller calls `showModal()`; the close button is a `method="dialog"` form, so it works without script. */
export function shortcutsOverlay(t: InboxStrings, onClose: () => void): TemplateResult {
  const row = (description: string, labels: readonly string[]): TemplateResult =>
    html`<div class="shortcut"><dt>${keys(t, labels)}</dt><dd>${description}</dd></div>`;
  return html`<dialog class="shortcuts" part="shortcuts" aria-labelledby="shortcuts-title" @close=${onClose}>
    <div class="shortcuts-head">
      <h2 id="shortcuts-title" class="shortcuts-title">${t.shortcuts}</h2>
      <form method="dialog"><button class="button" part="close-shortcuts-button">${t.closeShortcuts}</button></form>
    </div>
    <dl class="shortcut-list">
      ${SHORTCUT_COMMANDS.map((command) => row(t[DESCRIPTIONS[command]], SHORTCUT_LABELS[command]))}
      ${row(t.shortcutLeave, ['Esc'])}
    </dl>
    <p class="shortcuts-hint">${t.shortcutsHint}</p>
  </dialog>`;
}

export const shortcutsStyles = css`
  @layer parley {
    .shortcuts {
      box-sizing: border-box;
      inline-size: min(28rem, calc(100vw - var(--_space) * 4));
      max-block-size: calc(100dvh - var(--_space) * 4);
      padding: calc(var(--_space) * 2);
      color: var(--_text);
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      box-shadow: 0 0.75rem 2rem rgb(0 0 0 / 0.3);
    }

    .shortcuts::backdrop {
      background: rgb(17 24 39 / 0.5);
    }

    .shortcuts-head {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: var(--_space);
      margin-block-end: calc(var(--_space) * 1.5);
    }

    .shortcuts-title {
      margin: 0;
      font-size: 1.125rem;
    }

    .shortcut-list {
      display: grid;
      gap: calc(var(--_space) * 0.75);
      margin: 0;
    }

    .shortcut {
      display: grid;
      grid-template-columns: minmax(7rem, auto) 1fr;
      gap: calc(var(--_space) * 1.5);
      align-items: baseline;
    }

    .shortcut dt {
      color: var(--_text-muted);
      white-space: nowrap;
    }

    .shortcut dd {
      margin: 0;
    }

    kbd {
      display: inline-block;
      min-inline-size: 1.5em;
      padding: 0.1em 0.45em;
      font: inherit;
      font-size: 0.875em;
      text-align: center;
      color: var(--_text);
      background: var(--_surface-raised);
      border: 1px solid var(--_border);
      border-block-end-width: 2px;
      border-radius: calc(var(--_radius) * 0.5);
    }

    .shortcuts-hint {
      margin: calc(var(--_space) * 1.5) 0 0;
      color: var(--_text-muted);
      font-size: 0.875rem;
    }

    .header .button + .shortcuts-button {
      margin-inline-start: 0;
    }

    .shortcuts-button {
      min-inline-size: 2rem;
    }
  }
`;
