import { css } from 'lit';

export const ratingStyles = css`
  @layer parley {
    .base {
      display: flex;
      flex-direction: column;
      gap: var(--_space);
      margin: var(--_space);
      padding: calc(var(--_space) * 1.5);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface-raised);
      color: var(--_text);
      font-family: var(--_font-family);
      text-align: center;
    }

    p {
      margin: 0;
    }

    .question,
    .thanks {
      font-weight: 600;
    }

    .score {
      color: var(--_text-muted);
    }

    .face {
      font-size: 1.75rem;
      line-height: 1;
    }

    .steps {
      display: flex;
      justify-content: center;
      gap: calc(var(--_space) * 0.75);
    }

    .step {
      inline-size: 2.75rem;
      block-size: 2.75rem;
      border: 2px solid transparent;
      border-radius: 50%;
      background: var(--_surface);
      font-size: 1.5rem;
      line-height: 1;
      cursor: pointer;
    }

    .step[aria-pressed='true'] {
      border-color: var(--_accent);
    }

    button:focus-visible,
    textarea:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 2px;
    }

    .comment-label {
      font-size: 0.875em;
      text-align: start;
    }

    textarea {
      box-sizing: border-box;
      inline-size: 100%;
      padding: calc(var(--_space) * 0.75);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
      font: inherit;
      resize: vertical;
    }

    .actions {
      display: flex;
      justify-content: flex-end;
      gap: var(--_space);
    }

    .send,
    .skip {
      padding-block: calc(var(--_space) * 0.5);
      padding-inline: calc(var(--_space) * 1.5);
      border-radius: var(--_radius);
      font: inherit;
      cursor: pointer;
    }

    .send {
      border: 1px solid var(--_accent);
      background: var(--_accent);
      color: var(--_on-accent);
    }

    .skip {
      border: 1px solid var(--_border);
      background: var(--_surface);
      color: var(--_text);
    }

    .error {
      color: var(--_danger);
      font-size: 0.875em;
    }
  }
`;
