import { css } from 'lit';

/** The launcher preview: a picture of the bubble and panel header in the accent colour being edited. */
export const previewStyles = css`
  @layer parley {
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

    /* Under the form once the two no longer fit side by side. */
    @container (max-width: 960px) {
      .preview {
        position: static;
        max-inline-size: 24rem;
      }
    }
  }
`;
