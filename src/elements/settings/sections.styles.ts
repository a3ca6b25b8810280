import { css } from 'lit';

/** The sections' own layouts: the weekly schedule, holidays, team and canned reply rows, the snippet. */
export const sectionStyles = css`
  @layer parley {
    fieldset {
      min-inline-size: 0;
      margin: 0;
      padding: 0;
      border: 0;
    }

    fieldset.group {
      display: grid;
      gap: var(--_space);
    }

    fieldset.group > legend {
      margin-block-end: var(--_space);
    }

    /* Minutes are a few digits: a full-width box would suggest room for text. */
    input[inputmode='numeric'] {
      max-inline-size: 10rem;
    }

    .day {
      display: grid;
      grid-template-columns: 7rem minmax(0, 1fr);
      gap: var(--_space);
      align-items: start;
      padding-block: var(--_space);
      border-block-start: 1px solid var(--_surface-raised);
    }

    .day > legend {
      float: inline-start;
      padding-block-start: calc(var(--_space) * 0.75);
      font-weight: 500;
    }

    .day > .field-error {
      grid-column: 2;
    }

    .ranges {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space);
      align-items: center;
    }

    .range {
      display: flex;
      gap: calc(var(--_space) * 0.5);
      align-items: center;
    }

    input.time {
      inline-size: 4.75rem;
      text-align: center;
      font-variant-numeric: tabular-nums;
    }

    .chips {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space);
      margin: 0;
      padding: 0;
      list-style: none;
    }

    .chips li {
      display: flex;
      align-items: center;
      gap: calc(var(--_space) * 0.5);
      padding-inline-start: var(--_space);
      border-radius: var(--_radius);
      background: var(--_surface-raised);
    }

    .chips button {
      min-block-size: 2rem;
      padding: 0 var(--_space);
    }

    .holiday-add {
      display: flex;
      gap: var(--_space);
      max-inline-size: 22rem;
    }

    .block {
      max-inline-size: 48rem;
      margin-block-end: calc(var(--_space) * 4);
    }

    .rows {
      display: grid;
      margin: 0;
      padding: 0;
      list-style: none;
      border: 1px solid var(--_surface-raised);
      border-radius: var(--_radius);
    }

    .row {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space);
      align-items: center;
      justify-content: space-between;
      padding: var(--_space) calc(var(--_space) * 1.5);
    }

    .row + .row {
      border-block-start: 1px solid var(--_surface-raised);
    }

    .row.inactive .name {
      color: var(--_text-muted);
    }

    .row-main {
      display: grid;
      min-inline-size: 0;
      flex: 1 1 12rem;
    }

    .row-main .name {
      overflow-wrap: anywhere;
    }

    .row-actions {
      display: flex;
      gap: var(--_space);
      align-items: center;
    }

    .row-actions .field {
      inline-size: 8rem;
    }

    .row > .field-error {
      flex-basis: 100%;
    }

    .badge {
      justify-self: start;
      padding: 0 calc(var(--_space) * 0.75);
      border-radius: 999px;
      background: var(--_surface-raised);
      color: var(--_text-muted);
      font-size: 0.8125em;
    }

    .clamp {
      display: -webkit-box;
      -webkit-line-clamp: 2;
      -webkit-box-orient: vertical;
      overflow: hidden;
      overflow-wrap: anywhere;
    }

    .inline-form {
      grid-template-columns: minmax(0, 1fr) 9rem;
      align-items: start;
    }

    .inline-form .form-footer {
      grid-column: 1 / -1;
    }

    .toolbar {
      display: flex;
      gap: var(--_space);
      margin-block-end: calc(var(--_space) * 2);
    }

    .toolbar input {
      flex: 1;
    }

    .card {
      margin-block-end: calc(var(--_space) * 2);
      padding: calc(var(--_space) * 2);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
    }

    code {
      font-family: ui-monospace, monospace;
    }

    .snippet {
      margin: 0 0 calc(var(--_space) * 2);
      padding: calc(var(--_space) * 2);
      overflow-x: auto;
      border-radius: var(--_radius);
      background: var(--_surface-raised);
      color: var(--_text);
      font-size: 0.875em;
      /* Wrapped, so a phone shows the whole snippet; Copy copies the exact text either way. */
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      direction: ltr;
      text-align: start;
    }

    .csat-summary h3 {
      margin: 0 0 calc(var(--_space) * 0.5);
      font-size: 1em;
    }

    .csat-summary ul {
      margin: 0;
      padding-inline-start: calc(var(--_space) * 2);
      color: var(--_text-muted);
    }

    /* Chatbot: the credentials shown once, in full, however long, and left to right in any language. */
    .credentials {
      display: grid;
      gap: var(--_space);
      justify-items: start;
      margin-block-end: var(--_space);
    }

    .credentials .field {
      inline-size: 100%;
    }

    .secret {
      inline-size: 100%;
      font-family: ui-monospace, monospace;
      direction: ltr;
    }

    .notice {
      margin: 0;
      font-weight: 600;
    }

    .load-error {
      display: grid;
      gap: var(--_space);
      justify-items: start;
    }

    /* After the rules above, which it overrides on a phone. */
    @container (max-width: 720px) {
      .day {
        grid-template-columns: minmax(0, 1fr);
      }

      .day > .field-error {
        grid-column: 1;
      }

      .inline-form {
        grid-template-columns: minmax(0, 1fr);
      }
    }
  }
`;
