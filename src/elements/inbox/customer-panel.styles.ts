import { css } from 'lit';

/**
 * The customer side panel (customer-panel.ts) and the conversation column's split around it. Added
 * after the inbox's own styles, in the same layer: the open conversation's section becomes two
 * columns, the conversation and the panel; below 1000px of console width the panel covers the
 * conversation when the agent shows it, with a close button.
 */
export const customerPanelStyles = css`
  @layer parley {
    section.conversation {
      position: relative;
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto;
      grid-template-rows: minmax(0, 1fr);
    }

    .conversation-main {
      display: flex;
      flex-direction: column;
      min-block-size: 0;
      min-inline-size: 0;
    }

    .conversation-main parley-thread {
      flex: 1;
      min-block-size: 0;
    }

    /* The agent's quick replies for their next reply: a line under the thread, open while some are typed. */
    .quick-replies {
      padding-inline: calc(var(--_space) * 1.5);
      font-size: 0.875rem;
    }

    .quick-replies summary {
      cursor: pointer;
      color: var(--_text-muted);
      padding-block: calc(var(--_space) * 0.5);
    }

    .quick-replies .hint {
      margin: 0 0 var(--_space);
      color: var(--_text-muted);
    }

    .quick-reply-fields {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr));
      gap: var(--_space);
      padding-block-end: var(--_space);
    }

    .quick-reply-fields input {
      min-inline-size: 0;
      font: inherit;
      padding: calc(var(--_space) * 0.5);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
    }

    .customer-panel {
      box-sizing: border-box;
      inline-size: 19rem;
      min-block-size: 0;
      overflow-y: auto;
      padding: var(--_space) calc(var(--_space) * 1.5) calc(var(--_space) * 2);
      border-inline-start: 1px solid var(--_border);
      background: var(--_surface);
      font-size: 0.875rem;
      overflow-wrap: anywhere;
    }

    .panel-head {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: var(--_space);
    }

    .panel-head h3 {
      margin: 0;
      font-size: 1rem;
    }

    .close-panel {
      display: none;
      padding-block: 0;
      font-size: 1.25rem;
      line-height: 1.75rem;
    }

    .panel-section {
      padding-block: var(--_space);
      border-block-end: 1px solid var(--_border);
    }

    .panel-section:last-child {
      border-block-end: 0;
    }

    .panel-section h4 {
      margin: 0 0 calc(var(--_space) * 0.5);
      font-size: 0.8125rem;
      color: var(--_text-muted);
      text-transform: uppercase;
      letter-spacing: 0.03em;
    }

    .facts {
      display: grid;
      grid-template-columns: auto minmax(0, 1fr);
      gap: calc(var(--_space) * 0.25) var(--_space);
      margin: 0 0 var(--_space);
    }

    .facts dt {
      color: var(--_text-muted);
    }

    .facts dd {
      margin: 0;
    }

    .muted {
      color: var(--_text-muted);
    }

    .badge {
      display: inline-block;
      margin-inline-start: calc(var(--_space) * 0.25);
      padding: 0 calc(var(--_space) * 0.5);
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) * 0.5);
      font-size: 0.75rem;
      white-space: nowrap;
    }

    .badge[data-source='verified'] {
      border-color: var(--_accent);
      color: var(--_accent);
    }

    .badge[data-source='unverified'] {
      border-color: var(--_note-border);
      color: var(--_note-border);
    }

    .customer-form {
      display: grid;
      gap: calc(var(--_space) * 0.5);
    }

    .form-actions {
      display: flex;
      gap: var(--_space);
      margin-block-start: calc(var(--_space) * 0.5);
    }

    .current-page {
      margin: 0 0 calc(var(--_space) * 0.5);
    }

    .page-link {
      color: var(--_accent);
    }

    .page-link:focus-visible,
    .previous-item:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 2px;
    }

    .pages,
    .previous {
      margin: 0;
      padding: 0;
      list-style: none;
      display: grid;
      gap: calc(var(--_space) * 0.5);
    }

    .page-meta {
      display: block;
      color: var(--_text-muted);
      font-size: 0.75rem;
    }

    .previous-item {
      display: block;
      inline-size: 100%;
      font: inherit;
      color: var(--_text);
      text-align: start;
      background: transparent;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) * 0.5);
      padding: calc(var(--_space) * 0.5);
      cursor: pointer;
    }

    .previous-item:hover {
      background: var(--_surface-raised);
    }

    .previous-preview {
      display: block;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }

    @container (max-width: 1000px) {
      .customer-panel {
        position: absolute;
        z-index: 1;
        inset-block: 0;
        inset-inline-end: 0;
        inline-size: min(22rem, 100%);
        box-shadow: 0 0.5rem 1.5rem rgb(0 0 0 / 0.25);
      }

      .close-panel {
        display: inline-block;
      }
    }
  }
`;
