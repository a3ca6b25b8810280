import { css } from 'lit';

export const threadStyles = css`
  @layer parley {
    .base {
      position: relative;
      display: flex;
      flex-direction: column;
      box-sizing: border-box;
      block-size: 100%;
      min-block-size: 0;
      background: var(--_surface);
      color: var(--_text);
    }

    .log-frame {
      position: relative;
      flex: 1 1 auto;
      min-block-size: 0;
    }

    .log {
      /*
       * Positioned so rows measure offsetTop against the scroller (scroll anchoring), and out of
       * the flex column: Chromium never lays out a flex item on its own (see contain below).
       */
      position: absolute;
      inset: 0;
      overflow-y: auto;
      /* The element anchors the reading position itself when the window slides. */
      overflow-anchor: none;
      /*
       * Block layout, not a flex column: a row appended to a block container lays out that row
       * only, where a flex column runs its algorithm over every row (about 10x the layout time per
       * message with 200 rows). Rows align with auto margins and fit-content instead of
       * align-self; no two adjacent rows have facing margins, so nothing collapses.
       */
      display: block;
      padding: var(--_space);
      box-sizing: border-box;
      /*
       * Its size comes from its frame (flex: 1 of a sized box), never from the rows: size and
       * layout containment, out of any flex or grid, make it a relayout boundary, so a row coming
       * or going lays out the log and stops there instead of the panel, the console and the host
       * page around it.
       */
      contain: strict;
    }

    .log:focus-visible,
    button:focus-visible,
    .link:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 1px;
    }

    .day {
      inline-size: fit-content;
      margin-inline: auto;
      /* Padding, not margins: the rows around it keep their own margins whole (no collapsing). */
      padding-block: var(--_space);
      font-size: 0.8125em;
      font-weight: 600;
      color: var(--_text-muted);
    }

    .message {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      inline-size: fit-content;
      max-inline-size: min(80%, 40rem);
      margin-block-start: calc(var(--_space) * 0.25);
      /*
       * Each row its own layer of painting: a new row repaints itself, not every row before it
       * (about half the paint time of a message; paint containment would halve it again but clips
       * a failed send's outline and focus rings at the row's edge).
       */
      contain: layout style;
    }

    .message[data-first] {
      margin-block-start: var(--_space);
    }

    .message.mine {
      margin-inline-start: auto;
      align-items: flex-end;
    }

    .sender {
      margin-inline: calc(var(--_space) * 0.5);
      font-size: 0.8125em;
      font-weight: 600;
      color: var(--_text-muted);
    }

    .bubble {
      padding: calc(var(--_space) * 0.75) var(--_space);
      border-radius: var(--_radius);
      background: var(--_surface-raised);
      color: var(--_text);
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      word-break: normal;
      max-inline-size: 100%;
      box-sizing: border-box;
      /*
       * Bidi overrides inside a message stay inside it, and each paragraph takes the direction of
       * its own text: Arabic in an English widget reads and aligns right to left, and back.
       */
      unicode-bidi: plaintext;
    }

    /* Sized before the attachment element loads (attachment-boxes.ts): nothing moves when it does. */
    .attachments {
      display: flex;
      flex-direction: column;
      align-items: inherit;
      gap: calc(var(--_space) * 0.5);
      inline-size: 17.5rem;
      max-inline-size: 100%;
      margin-block-start: calc(var(--_space) * 0.5);
    }

    parley-attachment {
      display: block;
      inline-size: 100%;
      block-size: 3.5rem;
    }

    parley-attachment[data-kind='image'] {
      block-size: auto;
    }

    .mine .bubble {
      background: var(--_accent);
      color: var(--_on-accent);
    }

    .mine .link {
      color: inherit;
    }

    .link {
      color: var(--_accent);
      text-decoration: underline;
    }

    .pending[data-state='failed'] .bubble {
      background: var(--_surface-raised);
      color: var(--_text);
      outline: 1px solid var(--_danger);
    }

    .pending[data-state='failed'] .link {
      color: var(--_accent);
    }

    .meta {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: calc(var(--_space) * 0.5);
      margin-inline: calc(var(--_space) * 0.5);
      font-size: 0.75em;
      color: var(--_text-muted);
    }

    /*
     * The receipt (row-nodes.ts): both words in one cell, always laid out, so that switching
     * between them is paint only. Its width is the longer word's whichever shows, on the side of
     * the meta line away from the bubble's edge.
     */
    .receipt {
      display: inline-grid;
    }

    .receipt::before,
    .receipt::after {
      grid-area: 1 / 1;
      justify-self: end;
      visibility: hidden;
    }

    .receipt::before {
      content: attr(data-sending);
    }

    .receipt::after {
      content: attr(data-seen);
    }

    [data-receipt='sending'] .receipt::before,
    [data-receipt='seen'] .receipt::after {
      visibility: visible;
    }

    .pending .error::before {
      content: '· ';
    }

    .pending[data-state='failed'] .state,
    .pending .error {
      color: var(--_danger);
    }

    .system {
      margin-inline: auto;
      align-items: center;
      text-align: center;
    }

    .system .bubble {
      background: transparent;
      color: var(--_text-muted);
      font-size: 0.875em;
      font-style: italic;
      padding-block: calc(var(--_space) * 0.25);
    }

    /* Notes: the note colours, a thicker stripe on the inline start and a lock in the sender line. */
    .message.note .bubble {
      border: 1px solid var(--_note-border);
      border-inline-start-width: 4px;
      background: var(--_note);
      color: var(--_text);
    }

    .message.note .link {
      color: var(--_text);
    }

    .sender {
      display: inline-flex;
      align-items: center;
      gap: 0.3em;
    }

    .note .sender {
      color: var(--_note-border);
    }

    .lock {
      flex: none;
      inline-size: 1em;
      block-size: 1em;
    }

    .system.internal .bubble {
      display: inline-flex;
      align-items: baseline;
      gap: 0.3em;
      font-size: 0.8125em;
    }

    .system.internal .lock {
      align-self: center;
    }

    .team-only::after {
      content: ' ·' / '';
    }

    .retry,
    .load-older {
      padding: calc(var(--_space) * 0.25) var(--_space);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
      font: inherit;
      cursor: pointer;
    }

    .load-older {
      display: block;
      inline-size: fit-content;
      margin-inline: auto;
      margin-block-end: var(--_space);
      font-size: 0.875em;
    }

    .load-older:disabled {
      cursor: progress;
      color: var(--_text-muted);
    }

    .beginning,
    .empty {
      inline-size: fit-content;
      margin: var(--_space) auto;
      font-size: 0.8125em;
      color: var(--_text-muted);
    }

    .typing {
      min-block-size: 1.25em;
      padding-inline: var(--_space);
      font-size: 0.8125em;
      font-style: italic;
      color: var(--_text-muted);
    }

    .pill {
      position: absolute;
      inset-block-end: calc(var(--_space) * 4);
      inset-inline-start: 50%;
      transform: translateX(-50%);
      padding: calc(var(--_space) * 0.5) calc(var(--_space) * 1.5);
      border: none;
      border-radius: 999px;
      background: var(--_accent);
      color: var(--_on-accent);
      font: inherit;
      font-size: 0.875em;
      font-weight: 600;
      box-shadow: 0 0.25rem 0.75rem rgb(0 0 0 / 0.2);
      cursor: pointer;
    }

    :host(:dir(rtl)) .pill {
      transform: translateX(50%);
    }

    .pill[hidden] {
      display: none;
    }

    .divider {
      display: flex;
      align-items: center;
      gap: var(--_space);
      margin-block: calc(var(--_space) * 2) var(--_space);
      font-size: 0.8125em;
      font-weight: 600;
      color: var(--_text-muted);
    }

    .divider::before,
    .divider::after {
      content: '';
      flex: 1 1 0;
      border-block-start: 1px solid var(--_border);
    }

    .avatar {
      flex: none;
      box-sizing: border-box;
      inline-size: 1.5rem;
      block-size: 1.5rem;
      border-radius: 50%;
      object-fit: cover;
      display: inline-grid;
      place-items: center;
      margin-inline-end: 0.15em;
      background: #2f5fb3;
      color: #ffffff;
      font-size: 0.6875rem;
      font-weight: 700;
      line-height: 1;
    }

    .avatar::before {
      content: attr(data-initials);
    }

    /* The chatbot's initials in a rounded square rather than a circle: not a person. */
    .avatar[part~='bot'] {
      border-radius: 0.375rem;
    }

    /* White initials on each reads at 4.5:1 or more. */
    .avatar[data-colour='1'] { background: #1e7b34; }
    .avatar[data-colour='2'] { background: #6d28d9; }
    .avatar[data-colour='3'] { background: #be185d; }
    .avatar[data-colour='4'] { background: #0e7490; }
    .avatar[data-colour='5'] { background: #9a3412; }

    .earlier-pill {
      inset-block-start: calc(var(--_space) * 1.5);
      inset-block-end: auto;
    }
  }
`;
