import { css } from 'lit';

/** The screen's frame, tabs and form controls, and how they fold below 960px and 720px of its width. */
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

    @container (max-width: 960px) {
      .with-preview {
        grid-template-columns: minmax(0, 1fr);
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

    }
  }
`;
