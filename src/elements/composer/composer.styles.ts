import { css } from 'lit';

/** What every composer draws: the field, the send button, the counter and notices (composer-tools.styles.ts adds the agent's tools). */
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
      /* What is typed takes its own direction; empty, the placeholder keeps the widget's. */
      unicode-bidi: plaintext;
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
    .attach:focus-visible,
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

    .attach,
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

    .attach {
      background: none;
      color: var(--_text-muted);
    }

    .attach:disabled,
    .send:disabled {
      background: var(--_surface-raised);
      color: var(--_text-muted);
      cursor: not-allowed;
    }

    .attach svg,
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
  }
`;
