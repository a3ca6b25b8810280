import { css } from 'lit';

/**
 * The thread sizes the host (thread.styles.ts, row-nodes): an image's box has its aspect ratio and
 * width before this loads, a card its height. Everything here fills that box and never changes it.
 */
export const attachmentStyles = css`
  @layer parley {
    .frame {
      box-sizing: border-box;
      inline-size: 100%;
      block-size: 100%;
    }

    .image {
      border-radius: var(--_radius);
      background: var(--_surface-raised);
      overflow: hidden;
    }

    .thumbnail {
      display: block;
      inline-size: 100%;
      block-size: 100%;
      padding: 0;
      border: 0;
      background: none;
      cursor: zoom-in;
      border-radius: inherit;
    }

    .thumbnail img {
      display: block;
      inline-size: 100%;
      block-size: 100%;
      object-fit: cover;
    }

    button:focus-visible,
    a:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 2px;
    }

    .thumbnail:focus-visible {
      outline-offset: -3px;
    }

    .card {
      display: flex;
      align-items: center;
      gap: var(--_space);
      padding: 0 var(--_space);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
    }

    .icon {
      flex: none;
      inline-size: 1.75rem;
      block-size: 1.75rem;
      color: var(--_text-muted);
    }

    .text {
      display: flex;
      flex-direction: column;
      flex: 1;
      min-inline-size: 0;
    }

    .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      unicode-bidi: isolate;
    }

    .detail {
      color: var(--_text-muted);
      font-size: 0.8125rem;
    }

    .download {
      flex: none;
      display: inline-grid;
      place-items: center;
      inline-size: 2.25rem;
      block-size: 2.25rem;
      border-radius: 50%;
      color: var(--_accent);
    }

    .download:not([href]) {
      color: var(--_text-muted);
    }

    .download svg {
      inline-size: 1.25rem;
      block-size: 1.25rem;
    }

    .failed {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: center;
      gap: calc(var(--_space) / 2);
      block-size: 100%;
      color: var(--_danger);
      font-size: 0.8125rem;
      text-align: center;
    }

    .card .failed {
      flex: none;
      block-size: auto;
    }

    .retry {
      font: inherit;
      padding: 0.125rem 0.5rem;
      border: 1px solid currentColor;
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
      cursor: pointer;
    }
  }
`;
