import { css } from 'lit';

/** The agent's tools in `<parley-composer>`: the Reply / Note switch, note colours and the canned reply list. */
export const composerToolStyles = css`
  @layer parley {
    .modes {
      display: inline-flex;
      align-self: flex-start;
      gap: 2px;
      min-inline-size: 0;
      margin: 0;
      padding: 2px;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
    }

    .mode {
      position: relative;
      display: inline-flex;
      align-items: center;
      gap: 0.3em;
      padding: calc(var(--_space) * 0.25) calc(var(--_space) * 1.25);
      border: 1px solid transparent;
      border-radius: calc(var(--_radius) * 0.75);
      font-size: 0.875em;
      font-weight: 600;
      color: var(--_text-muted);
      cursor: pointer;
    }

    /* The radio covers its label: clicks land on it, and it keeps the focus and the checked state. */
    .mode input {
      position: absolute;
      inset: 0;
      margin: 0;
      opacity: 0;
      cursor: pointer;
    }

    .mode:has(input:checked) {
      border-color: var(--_border);
      background: var(--_surface-raised);
      color: var(--_text);
    }

    .mode[data-mode='note']:has(input:checked) {
      border-color: var(--_note-border);
      background: var(--_note);
    }

    .mode:has(input:focus-visible) {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 1px;
    }

    .lock {
      flex: none;
      inline-size: 1em;
      block-size: 1em;
    }

    .mode[data-mode='note'] .lock {
      color: var(--_note-border);
    }

    [data-mode='note'] .input {
      border-color: var(--_note-border);
      background: var(--_note);
      box-shadow: inset 0 0 0 1px var(--_note-border);
    }

    /* One colour around the note field: the focus ring takes the note border's. */
    [data-mode='note'] .input:focus-visible {
      outline-color: var(--_note-border);
    }

    [data-mode='note'] .send:enabled {
      background: var(--_note-border);
      color: var(--_note);
    }

    .note-hint {
      display: inline-flex;
      align-items: center;
      gap: 0.3em;
      color: var(--_note-border);
      font-weight: 600;
    }

    .canned {
      position: absolute;
      inset-inline: var(--_space);
      inset-block-end: calc(100% - var(--_space) * 0.5);
      z-index: 1;
      max-block-size: 14rem;
      overflow-y: auto;
      margin: 0;
      padding: calc(var(--_space) * 0.5);
      list-style: none;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      box-shadow: 0 0.5rem 1.5rem rgb(0 0 0 / 0.18);
    }

    .canned[hidden] {
      display: none;
    }

    .option {
      display: grid;
      grid-template-columns: auto 1fr;
      column-gap: var(--_space);
      padding: calc(var(--_space) * 0.75) var(--_space);
      border-radius: calc(var(--_radius) * 0.75);
      cursor: pointer;
    }

    .option[aria-selected='true'] {
      background: var(--_accent);
      color: var(--_on-accent);
    }

    .option:not([aria-selected='true']):hover {
      background: var(--_surface-raised);
    }

    .shortcut {
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      font-size: 0.875em;
    }

    .title {
      font-weight: 600;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }

    .preview {
      grid-column: 1 / -1;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-size: 0.875em;
    }

    .option:not([aria-selected='true']) .preview {
      color: var(--_text-muted);
    }
  }
`;
