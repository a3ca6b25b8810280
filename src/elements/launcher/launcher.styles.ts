import { css, unsafeCSS } from 'lit';
// Constant strings shared with the embed stub, never user data.
import { BASE_POSITION_CSS, BUBBLE_CSS } from './bubble.ts';

export const launcherStyles = css`
  @layer parley {
    .base {
      ${unsafeCSS(BASE_POSITION_CSS)}
      gap: 0.75rem;
      font-family: var(--_font-family);
      color: var(--_text);
    }

    ${unsafeCSS(BUBBLE_CSS)}

    .close:focus-visible {
      outline: 3px solid var(--_focus-ring-color);
      outline-offset: 3px;
    }

    .badge {
      position: absolute;
      inset-block-start: -0.25rem;
      inset-inline-end: -0.25rem;
      min-inline-size: 1.25rem;
      padding: 0 0.3rem;
      border-radius: 999px;
      background: var(--_danger);
      color: var(--_surface);
      font-size: 0.75rem;
      font-weight: 700;
      line-height: 1.25rem;
      text-align: center;
    }

    .panel {
      display: flex;
      flex-direction: column;
      inline-size: min(24rem, calc(100vw - 2.5rem));
      block-size: min(36rem, calc(100vh - 7rem));
      border-radius: 0.75rem;
      overflow: hidden;
      background: var(--_surface);
      box-shadow: 0 8px 30px rgb(0 0 0 / 0.3);
    }

    .panel[hidden] {
      display: none;
    }

    .header {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      padding: 0.5rem 0.75rem;
      border-block-end: 1px solid var(--_border);
    }

    .heading {
      flex: 1;
      min-inline-size: 0;
    }

    .title {
      margin: 0;
      font-size: 1rem;
      overflow-wrap: anywhere;
    }

    .subtitle {
      margin: 0;
      font-size: 0.8125rem;
      color: var(--_text-muted);
      overflow-wrap: anywhere;
    }

    .welcome {
      padding: 0.75rem;
      border-block-end: 1px solid var(--_border);
      overflow-wrap: anywhere;
    }

    .greeting {
      margin: 0;
      font-weight: 600;
    }

    .intro {
      margin: 0.25rem 0 0;
      color: var(--_text-muted);
      white-space: pre-line;
    }

    .close {
      border: 0;
      background: transparent;
      color: inherit;
      font-size: 1.5rem;
      line-height: 1;
      inline-size: 2.25rem;
      block-size: 2.25rem;
      border-radius: 0.375rem;
      cursor: pointer;
    }

    parley-thread {
      flex: 1;
      min-block-size: 0;
    }

    .pre-chat {
      display: grid;
      gap: calc(var(--_space) * 0.75);
      padding: var(--_space) calc(var(--_space) * 1.5) 0;
      border-block-start: 1px solid var(--_border);
    }

    .pre-chat-title {
      margin: 0;
      font-weight: 600;
    }

    .field {
      display: grid;
      gap: calc(var(--_space) * 0.25);
    }

    .field .input {
      box-sizing: border-box;
      inline-size: 100%;
      padding: calc(var(--_space) * 0.75) var(--_space);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
      font: inherit;
    }

    .field .input:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 1px;
    }

    .field .input[aria-invalid='true'] {
      border-color: var(--_danger);
    }

    .field .error {
      margin: 0;
      color: var(--_danger);
      font-size: 0.875em;
    }

    .closed {
      display: grid;
      justify-items: center;
      gap: var(--_space);
      padding: calc(var(--_space) * 1.5);
      border-block-start: 1px solid var(--_border);
      text-align: center;
    }

    .closed-text,
    .hint {
      margin: 0;
      font-size: 0.875em;
      color: var(--_text-muted);
    }

    .hint {
      padding: calc(var(--_space) * 0.5) calc(var(--_space) * 1.5) 0;
      border-block-start: 1px solid var(--_border);
    }

    /* Said as an error (the field errors' colour), since the chat did not start. */
    .start-notice {
      color: var(--_danger);
    }

    .start-new {
      padding: calc(var(--_space) * 0.75) calc(var(--_space) * 1.5);
      border: 0;
      border-radius: var(--_radius);
      background: var(--_accent);
      color: var(--_on-accent);
      font: inherit;
      font-weight: 600;
      cursor: pointer;
    }

    .start-new:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 2px;
    }

    .home {
      flex: 1;
      min-block-size: 0;
      overflow-y: auto;
      display: flex;
      flex-direction: column;
      gap: var(--_space);
      padding-block-end: var(--_space);
    }

    .home > :not(.welcome) {
      margin-inline: calc(var(--_space) * 1.5);
    }

    .home ul,
    .home p,
    .home h3 {
      margin-block: 0;
      padding: 0;
      list-style: none;
    }

    .home h3 {
      font-size: 0.875em;
    }

    .team {
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--_space) * 0.5) var(--_space);
    }

    .agent {
      display: flex;
      align-items: center;
      gap: calc(var(--_space) * 0.5);
      font-size: 0.875em;
    }

    .avatar {
      display: inline-grid;
      place-items: center;
      inline-size: 2rem;
      block-size: 2rem;
      border-radius: 50%;
      object-fit: cover;
      background: var(--_accent);
      color: var(--_on-accent);
      font-weight: 600;
    }

    .conversations {
      display: grid;
      gap: calc(var(--_space) * 0.5);
    }

    .conversation,
    .write,
    .skip {
      font: inherit;
      color: inherit;
      cursor: pointer;
    }

    .conversation {
      display: flex;
      align-items: center;
      gap: var(--_space);
      inline-size: 100%;
      padding: var(--_space);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: transparent;
      text-align: start;
    }

    .preview {
      flex: 1;
      min-inline-size: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }

    .meta {
      display: flex;
      align-items: center;
      gap: calc(var(--_space) * 0.5);
      font-size: 0.8125em;
      color: var(--_text-muted);
    }

    .count {
      min-inline-size: 1.25rem;
      padding: 0 0.3rem;
      border-radius: 999px;
      background: var(--_danger);
      color: var(--_surface);
      font-weight: 700;
      line-height: 1.25rem;
      text-align: center;
    }

    .write {
      justify-self: start;
      align-self: start;
      padding: calc(var(--_space) * 0.75) calc(var(--_space) * 1.5);
      border: 0;
      border-radius: var(--_radius);
      background: var(--_accent);
      color: var(--_on-accent);
      font-weight: 600;
    }

    .conversation:focus-visible,
    .write:focus-visible,
    .skip:focus-visible,
    .back:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 2px;
    }

    .email-actions {
      display: flex;
      gap: var(--_space);
      padding-block-end: var(--_space);
    }

    .skip {
      border: 0;
      background: transparent;
      text-decoration: underline;
    }

    .home > .skip {
      align-self: start;
      padding: 0 0 var(--_space);
    }

    :host(:dir(rtl)) .flip {
      display: inline-block;
      transform: scaleX(-1);
    }

    @media (max-width: 480px) {
      .panel {
        position: fixed;
        inset: 0;
        inline-size: 100%;
        block-size: 100%;
        border-radius: 0;
      }

      /* The full-screen panel has its own close button; the bubble would cover the composer. */
      :host([open]) .bubble {
        display: none;
      }
    }
  }
`;
