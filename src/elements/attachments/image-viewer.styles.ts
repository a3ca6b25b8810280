import { css } from 'lit';

export const imageViewerStyles = css`
  @layer parley {
    dialog.frame {
      box-sizing: border-box;
      display: none;
      flex-direction: column;
      inline-size: min(100vw - 1rem, 64rem);
      max-inline-size: none;
      block-size: min(100dvh - 1rem, 48rem);
      max-block-size: none;
      margin: auto;
      padding: 0;
      border: 0;
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
    }

    dialog.frame[open] {
      display: flex;
    }

    dialog::backdrop {
      background: rgb(0 0 0 / 0.7);
    }

    .bar {
      display: flex;
      align-items: center;
      gap: var(--_space);
      padding: var(--_space);
      border-block-end: 1px solid var(--_border);
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
      font-weight: 600;
    }

    .detail {
      color: var(--_text-muted);
      font-size: 0.8125rem;
    }

    .download,
    .close,
    .step {
      display: inline-flex;
      align-items: center;
      gap: 0.25rem;
      min-block-size: 2.5rem;
      min-inline-size: 2.5rem;
      justify-content: center;
      padding: 0 0.5rem;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
      font: inherit;
      text-decoration: none;
      cursor: pointer;
    }

    .download:not([href]) {
      color: var(--_text-muted);
      cursor: default;
    }

    svg {
      inline-size: 1.25rem;
      block-size: 1.25rem;
      flex: none;
    }

    .stage {
      position: relative;
      flex: 1;
      min-block-size: 0;
      display: flex;
      align-items: center;
      justify-content: center;
      padding: var(--_space);
    }

    .stage img {
      max-inline-size: 100%;
      max-block-size: 100%;
      inline-size: auto;
      block-size: auto;
      object-fit: contain;
    }

    .step {
      position: absolute;
      inset-block-start: 50%;
      transform: translateY(-50%);
      border-radius: 50%;
      padding: 0;
    }

    .previous {
      inset-inline-start: var(--_space);
    }

    .next {
      inset-inline-end: var(--_space);
    }

    /* The chevron points to the next image; the previous one's points back, mirrored right to left. */
    .previous svg {
      transform: scaleX(-1);
    }

    :host(:dir(rtl)) .next svg {
      transform: scaleX(-1);
    }

    :host(:dir(rtl)) .previous svg {
      transform: none;
    }

    .failed {
      color: var(--_danger);
    }

    button:focus-visible,
    a:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 2px;
    }
  }
`;
