import { css } from 'lit';

export const statusStyles = css`
  @layer parley {
    :host {
      display: inline-block;
    }

    .base {
      display: inline-flex;
      align-items: center;
      gap: calc(var(--_space) * 0.75);
      box-sizing: border-box;
      min-block-size: 1.75rem;
      padding-block: calc(var(--_space) * 0.25);
      padding-inline: calc(var(--_space) * 1.25);
      border-radius: 999px;
      background: var(--_surface-raised);
      color: var(--_text);
      font-size: 0.875em;
      white-space: nowrap;
    }

    .indicator {
      --_dot: var(--parley-status-color, var(--_neutral));
      flex: none;
      inline-size: 0.625rem;
      block-size: 0.625rem;
      border-radius: 50%;
      background: var(--_dot);
    }

    :host([status='connected']) .indicator {
      --_dot: var(--parley-status-color, var(--_success));
    }

    :host([status='connecting']) .indicator,
    :host([status='reconnecting']) .indicator {
      --_dot: var(--parley-status-color, var(--_warning));
      animation: pulse 1.2s ease-in-out infinite alternate;
    }

    /* Polling: updates still arrive, every few seconds. A half-filled dot, steady, so it differs from
       (re)connecting by shape and not only by motion; the longer label may wrap. */
    :host([status='polling']) .indicator {
      --_dot: var(--parley-status-color, var(--_warning));
      background: linear-gradient(to right, var(--_dot) 50%, transparent 50%);
      box-shadow: inset 0 0 0 2px var(--_dot);
    }

    :host([status='polling']) .base {
      white-space: normal;
      border-radius: calc(var(--_space) * 1.5);
      line-height: 1.25;
    }

    :host([status='error']) .indicator {
      --_dot: var(--parley-status-color, var(--_danger));
    }

    /* Offline is a hollow ring so it does not rely on colour alone. */
    :host([status='offline']) .indicator {
      background: transparent;
      box-shadow: inset 0 0 0 2px var(--_dot);
    }

    @keyframes pulse {
      from {
        opacity: 1;
      }
      to {
        opacity: 0.35;
      }
    }

    @media (prefers-reduced-motion: reduce) {
      .indicator {
        animation: none !important;
      }
    }

    .retry {
      margin-inline-start: calc(var(--_space) * 0.25);
      padding-block: 0.125rem;
      padding-inline: calc(var(--_space) * 1);
      border: 1px solid currentColor;
      border-radius: 999px;
      background: var(--_surface);
      color: var(--_accent);
      font: inherit;
      font-weight: 600;
      cursor: pointer;
    }

    .retry:hover {
      background: var(--_surface-raised);
    }

    .retry:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 2px;
    }
  }
`;
