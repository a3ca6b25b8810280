import { css } from 'lit';

export const composerStyles = css`
  @layer parley {
    .base {
      position: relative;
      display: flex;
      flex-direction: column;
      gap: calc(var(--_space) * 0.5);
      box-sizing: border-box;
      padding: var(--_space);
      background: var(--_surface);
      color: var(--_text);
    }

    .row {
      display: flex;
      align-items: flex-end;
      gap: var(--_space);
    }

    .input {
      --_pad: calc(var(--_space) * 1);
      flex: 1 1 0;
      /* A set width keeps field-sizing from widening the field to its longest line. */
      inline-size: 100%;
      min-inline-size: 0;
      box-sizing: border-box;
      /* One line by default, growing with the text up to five lines, then scrolling. */
      field-sizing: content;
      min-block-size: calc(1em * var(--_line-height) + 2 * var(--_pad) + 2px);
      max-block-size: calc(5em * var(--_line-height) + 2 * var(--_pad) + 2px);
      padding: var(--_pad) calc(var(--_pad) * 1.25);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
      font: inherit;
      line-height: var(--_line-height);
      resize: none;
      overflow-y: auto;
    }

    .input::placeholder {
      color: var(--_text-muted);
      opacity: 1;
    }

    .input:focus-visible,
    .send:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 1px;
    }

    .input[aria-invalid='true'] {
      border-color: var(--_danger);
    }

    .input:disabled {
      background: var(--_surface-raised);
      cursor: not-allowed;
    }

    .send {
      flex: none;
      display: inline-grid;
      place-items: center;
      inline-size: 2.5rem;
      block-size: 2.5rem;
      padding: 0;
      border: none;
      border-radius: var(--_radius);
      background: var(--_accent);
      color: var(--_on-accent);
      cursor: pointer;
    }

    .send:disabled {
      background: var(--_surface-raised);
      color: var(--_text-muted);
      cursor: not-allowed;
    }

    .send svg {
      inline-size: 1.25rem;
      block-size: 1.25rem;
    }

    /* The paper plane points towards the inline end. */
    :host(:dir(rtl)) .send svg {
      transform: scaleX(-1);
    }

    .meta {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      gap: calc(var(--_space) * 0.5) var(--_space);
      font-size: 0.8125em;
      color: var(--_text-muted);
    }

    .meta:not(:has(> :not(:empty))) {
      display: none;
    }

    .counter {
      margin-inline-start: auto;
      font-variant-numeric: tabular-nums;
    }

    .counter[data-over] {
      color: var(--_danger);
      font-weight: 600;
    }

    .error {
      color: var(--_danger);
    }

    .notice:empty,
    .error:empty,
    .counter:empty {
      display: none;
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
