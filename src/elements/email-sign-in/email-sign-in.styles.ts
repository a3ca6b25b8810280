import { css } from 'lit';

export const emailSignInStyles = css`
  @layer parley {
    .base {
      display: flex;
      flex-direction: column;
      gap: calc(var(--_space) * 0.75);
      margin: var(--_space);
      padding: calc(var(--_space) * 1.5);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface-raised);
      color: var(--_text);
      font-family: var(--_font-family);
    }

    .title {
      margin: 0;
      font-size: 1em;
      font-weight: 600;
    }

    p {
      margin: 0;
    }

    .lead {
      color: var(--_text-muted);
      overflow-wrap: anywhere;
    }

    .notice {
      color: var(--_text);
    }

    label {
      font-size: 0.875em;
    }

    .input {
      box-sizing: border-box;
      inline-size: 100%;
      padding: calc(var(--_space) * 0.75);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
      font: inherit;
    }

    .input[name='code'] {
      letter-spacing: 0.3em;
      font-variant-numeric: tabular-nums;
    }

    .input[aria-invalid='true'] {
      border-color: var(--_danger);
    }

    .primary,
    .quiet {
      border-radius: var(--_radius);
      font: inherit;
      cursor: pointer;
    }

    .primary {
      padding-block: calc(var(--_space) * 0.6);
      padding-inline: calc(var(--_space) * 1.5);
      border: 1px solid var(--_accent);
      background: var(--_accent);
      color: var(--_on-accent);
    }

    .actions {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      gap: calc(var(--_space) * 0.5);
    }

    .quiet {
      padding: calc(var(--_space) * 0.25) 0;
      border: 0;
      background: none;
      color: var(--_text);
      text-decoration: underline;
      font-size: 0.875em;
    }

    button:disabled {
      cursor: default;
      opacity: 0.6;
    }

    button:focus-visible,
    .input:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 2px;
    }

    .error {
      color: var(--_danger);
      font-size: 0.875em;
    }
  }
`;
