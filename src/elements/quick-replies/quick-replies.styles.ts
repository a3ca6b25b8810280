import { css } from 'lit';

export const quickRepliesStyles = css`
  @layer parley {
    /* The visitor's answers: chips on the viewer's side (the inline end), under the message they answer. */
    .base {
      display: flex;
      flex-wrap: wrap;
      justify-content: flex-end;
      gap: calc(var(--_space) * 0.75);
      margin: 0;
      padding: var(--_space) calc(var(--_space) * 1.5);
      font-family: var(--_font-family);
    }

    .reply {
      max-inline-size: 100%;
      min-block-size: 2.25rem;
      padding: calc(var(--_space) * 0.5) calc(var(--_space) * 1.5);
      border: 1px solid var(--_accent);
      border-radius: 999px;
      background: var(--_surface);
      color: var(--_accent);
      font: inherit;
      font-size: 0.9375rem;
      line-height: 1.25;
      text-align: start;
      overflow-wrap: anywhere;
      cursor: pointer;
    }

    .reply:hover:not(:disabled) {
      background: var(--_accent);
      color: var(--_on-accent);
    }

    .reply:disabled {
      opacity: 0.6;
      cursor: default;
    }

    .reply:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 2px;
    }
  }
`;
