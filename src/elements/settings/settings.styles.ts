import { css } from 'lit';

export const settingsStyles = css`
  @layer parley {
    .base {
      box-sizing: border-box;
      min-block-size: 100%;
      padding: calc(var(--_space) * 2);
      background: var(--_surface);
      container-type: inline-size;
    }

    .title {
      margin: 0 0 calc(var(--_space) * 2);
      font-size: 1.25rem;
    }

    .layout {
      display: grid;
      grid-template-columns: 12rem minmax(0, 1fr);
      gap: calc(var(--_space) * 3);
      align-items: start;
    }

    .nav {
      display: flex;
      flex-direction: column;
      gap: calc(var(--_space) * 0.5);
      position: sticky;
      inset-block-start: var(--_space);
    }

    [role='tab'] {
      padding: var(--_space) calc(var(--_space) * 1.5);
      border: 0;
      border-inline-start: 3px solid transparent;
      border-radius: 0 var(--_radius) var(--_radius) 0;
      background: none;
      color: var(--_text);
      font: inherit;
      text-align: start;
      cursor: pointer;
      white-space: nowrap;
    }

    :host(:dir(rtl)) [role='tab'] {
      border-radius: var(--_radius) 0 0 var(--_radius);
    }

    [role='tab']:hover {
      background: var(--_surface-raised);
    }

    [role='tab'][aria-selected='true'] {
      border-inline-start-color: var(--_accent);
      background: var(--_surface-raised);
      font-weight: 600;
    }

    .section-title {
      margin: 0 0 calc(var(--_space) * 2);
      font-size: 1.125rem;
    }

    h3 {
      margin: 0 0 var(--_space);
      font-size: 1rem;
    }

    .with-preview {
      display: grid;
      grid-template-columns: minmax(0, 1fr) 20rem;
      gap: calc(var(--_space) * 3);
      align-items: start;
    }

    .form {
      display: grid;
      gap: calc(var(--_space) * 2);
      max-inline-size: 40rem;
    }

    .field {
      display: grid;
      gap: calc(var(--_space) * 0.5);
      min-inline-size: 0;
    }

    .field.checkbox {
      grid-template-columns: auto 1fr;
      align-items: center;
      gap: var(--_space);
    }

    label,
    legend {
      font-weight: 600;
    }

    .checkbox label {
      font-weight: 400;
    }

    input:not([type='checkbox'], [type='color']),
    select,
    textarea {
      box-sizing: border-box;
      inline-size: 100%;
      min-block-size: 2.5rem;
      padding: calc(var(--_space) * 0.75) var(--_space);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
      font: inherit;
    }

    textarea {
      resize: vertical;
    }

    input[type='checkbox'] {
      inline-size: 1.125rem;
      block-size: 1.125rem;
      margin: 0;
      accent-color: var(--_accent);
    }

    [aria-invalid='true'] {
      border-color: var(--_danger) !important;
      box-shadow: 0 0 0 1px var(--_danger);
    }

    :is(input, select, textarea, button, pre):focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 2px;
    }

    .hint,
    .muted {
      margin: 0;
      color: var(--_text-muted);
    }

    .small {
      font-size: 0.875em;
    }

    .field-error {
      margin: 0;
      color: var(--_danger);
      font-size: 0.875em;
      font-weight: 600;
    }

    .colour-row {
      display: flex;
      gap: var(--_space);
      align-items: center;
    }

    .colour-row input[type='color'] {
      flex: none;
      inline-size: 2.75rem;
      block-size: 2.5rem;
      padding: 2px;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
    }

    .colour-row input[type='text'] {
      max-inline-size: 9rem;
      font-family: ui-monospace, monospace;
    }

    button {
      min-block-size: 2.5rem;
      padding: calc(var(--_space) * 0.5) calc(var(--_space) * 1.75);
      border-radius: var(--_radius);
      font: inherit;
      white-space: nowrap;
      cursor: pointer;
    }

    button:disabled {
      cursor: not-allowed;
      opacity: 0.65;
    }

    .primary {
      border: 1px solid var(--_accent);
      background: var(--_accent);
      color: var(--_on-accent);
      font-weight: 600;
    }

    .quiet {
      border: 1px solid var(--_border);
      background: var(--_surface);
      color: var(--_text);
    }

    .danger {
      border: 1px solid var(--_danger);
      background: var(--_surface);
      color: var(--_danger);
      font-weight: 600;
    }

    .form-footer {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: calc(var(--_space) * 1.5);
    }

    .form-status {
      margin: 0;
      color: var(--_text-muted);
    }

    .form-status.is-error {
      color: var(--_danger);
      font-weight: 600;
    }

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

    .load-error {
      display: grid;
      gap: var(--_space);
      justify-items: start;
    }

    /* Preview: a picture of the launcher, in the accent colour being edited. */
    .preview {
      position: sticky;
      inset-block-start: var(--_space);
      margin: 0;
    }

    .preview figcaption {
      display: grid;
      margin-block-end: var(--_space);
      font-weight: 600;
    }

    .preview figcaption .hint {
      font-weight: 400;
      font-size: 0.875em;
    }

    .preview-stage {
      display: grid;
      justify-items: end;
      gap: calc(var(--_space) * 1.5);
      padding: calc(var(--_space) * 2);
      border-radius: var(--_radius);
      background: var(--_surface-raised);
    }

    .preview-panel {
      inline-size: 100%;
      overflow: hidden;
      border-radius: calc(var(--_radius) * 2);
      background: var(--_surface);
      box-shadow: 0 0.25rem 1rem rgb(0 0 0 / 0.15);
    }

    .preview-header {
      padding: calc(var(--_space) * 2);
      background: var(--_preview-accent);
      color: var(--_preview-on-accent);
    }

    .preview-brand {
      margin: 0;
      font-weight: 700;
      font-size: 1.0625rem;
      overflow-wrap: anywhere;
    }

    .preview-reply {
      margin: calc(var(--_space) * 0.25) 0 0;
      font-size: 0.875em;
    }

    .preview-avatars {
      display: flex;
      margin-block-end: var(--_space);
    }

    .preview-avatars span {
      inline-size: 1.75rem;
      block-size: 1.75rem;
      border: 2px solid var(--_preview-accent);
      border-radius: 50%;
      background: color-mix(in srgb, var(--_preview-on-accent) 70%, var(--_preview-accent));
    }

    .preview-avatars span + span {
      margin-inline-start: -0.5rem;
    }

    .preview-body {
      display: grid;
      gap: var(--_space);
      padding: calc(var(--_space) * 2);
    }

    .preview-greeting,
    .preview-intro {
      margin: 0;
      overflow-wrap: anywhere;
      white-space: pre-line;
    }

    .preview-greeting {
      justify-self: start;
      padding: var(--_space) calc(var(--_space) * 1.5);
      border-radius: calc(var(--_radius) * 1.5);
      background: var(--_surface-raised);
    }

    .preview-intro {
      color: var(--_text-muted);
      font-size: 0.875em;
    }

    .preview-bubble {
      display: grid;
      place-items: center;
      inline-size: 3.5rem;
      block-size: 3.5rem;
      border-radius: 50%;
      background: var(--_preview-accent);
      color: var(--_preview-on-accent);
      box-shadow: 0 0.25rem 0.75rem rgb(0 0 0 / 0.2);
    }

    @container (max-width: 960px) {
      .with-preview {
        grid-template-columns: minmax(0, 1fr);
      }

      .preview {
        position: static;
        max-inline-size: 24rem;
      }
    }

    @container (max-width: 720px) {
      .layout {
        grid-template-columns: minmax(0, 1fr);
        gap: calc(var(--_space) * 2);
      }

      .nav {
        position: static;
        flex-direction: row;
        overflow-x: auto;
        border-block-end: 1px solid var(--_border);
      }

      [role='tab'],
      :host(:dir(rtl)) [role='tab'] {
        border-inline-start: 0;
        border-block-end: 3px solid transparent;
        border-radius: var(--_radius) var(--_radius) 0 0;
      }

      [role='tab'][aria-selected='true'] {
        border-block-end-color: var(--_accent);
      }

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
