import { css } from 'lit';

export const conversationListStyles = css`
  @layer parley {
    .base {
      display: flex;
      flex-direction: column;
      gap: var(--_space);
      box-sizing: border-box;
      block-size: 100%;
      min-block-size: 0;
      padding: var(--_space);
      background: var(--_surface);
      color: var(--_text);
    }

    .controls {
      display: flex;
      flex-direction: column;
      gap: var(--_space);
    }

    .search {
      box-sizing: border-box;
      inline-size: 100%;
      padding: var(--_space) calc(var(--_space) * 1.25);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
      font: inherit;
    }

    .search::placeholder {
      color: var(--_text-muted);
      opacity: 1;
    }

    .search:focus-visible,
    .load-more:focus-visible,
    label:has(input:focus-visible) {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 1px;
    }

    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space);
    }

    fieldset {
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--_space) * 0.5);
      margin: 0;
      padding: 0;
      border: none;
      min-inline-size: 0;
    }

    .segmented {
      gap: 0;
    }

    .segment,
    .chip {
      position: relative;
      display: inline-flex;
      align-items: center;
      padding: calc(var(--_space) * 0.5) var(--_space);
      border: 1px solid var(--_border);
      background: var(--_surface);
      color: var(--_text);
      font-size: 0.875em;
      cursor: pointer;
      user-select: none;
    }

    .segment + .segment {
      margin-inline-start: -1px;
    }

    .segment:first-of-type {
      border-start-start-radius: var(--_radius);
      border-end-start-radius: var(--_radius);
    }

    .segment:last-of-type {
      border-start-end-radius: var(--_radius);
      border-end-end-radius: var(--_radius);
    }

    .chip {
      border-radius: 999px;
    }

    .segment:has(input:checked),
    .chip:has(input:checked) {
      z-index: 1;
      border-color: var(--_accent);
      background: var(--_accent);
      color: var(--_on-accent);
    }

    /* A tick, so the chosen statuses do not rely on colour alone. */
    .chip:has(input:checked) span::before {
      content: '✓ ';
    }

    /* Fills the element; where nothing sizes the element, the list is 24rem tall and scrolls. */
    .list-frame {
      position: relative;
      flex: 1 1 24rem;
      min-block-size: 0;
    }

    /*
     * A relayout boundary (as the thread's log): a row's new preview or time lays out the list and
     * stops there. Chromium never lays out a flex or grid item on its own, so the list is placed
     * absolutely in its frame, its rows are blocks, and size and layout containment close it.
     */
    .list {
      position: absolute;
      inset: 0;
      overflow-y: auto;
      padding: 2px;
      border-radius: var(--_radius);
      contain: strict;
    }

    .item + .item {
      margin-block-start: 2px;
    }

    .list:focus {
      outline: none;
    }

    .list:focus-visible {
      box-shadow: inset 0 0 0 1px var(--_border);
    }

    .item {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto;
      column-gap: var(--_space);
      row-gap: 2px;
      padding: var(--_space) calc(var(--_space) * 1.25);
      border-radius: var(--_radius);
      cursor: pointer;
      /* A row's new preview or time restyles and repaints that row, not the list around it. */
      contain: content;
    }

    .item:hover {
      background: var(--_surface-raised);
    }

    .item[aria-selected='true'] {
      background: var(--_accent);
      color: var(--_on-accent);
    }

    .list:focus-visible .item[data-active] {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: -2px;
    }

    .list:focus-visible .item[data-active][aria-selected='true'] {
      outline-color: var(--_text);
    }

    .name,
    .subject,
    .preview,
    .assignee {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      min-inline-size: 0;
    }

    .name {
      font-weight: 600;
    }

    .item[data-unread] .subject {
      font-weight: 600;
    }

    .time {
      font-size: 0.8125em;
      white-space: nowrap;
      color: var(--_text-muted);
    }

    .subject,
    .preview,
    .meta {
      grid-column: 1 / -1;
    }

    .preview,
    .assignee {
      font-size: 0.875em;
      color: var(--_text-muted);
    }

    .item[aria-selected='true'] :is(.time, .preview, .assignee) {
      color: inherit;
    }

    .meta {
      display: flex;
      align-items: center;
      gap: var(--_space);
      min-inline-size: 0;
      margin-block-start: 2px;
    }

    .badge {
      flex: none;
      padding: 0 calc(var(--_space) * 0.75);
      border-radius: 999px;
      font-size: 0.75em;
      line-height: 1.6;
      white-space: nowrap;
    }

    .badge[hidden] {
      display: none;
    }

    .status-badge {
      border: 1px solid var(--_border);
      background: var(--_surface-raised);
      color: var(--_text);
    }

    .bot-badge {
      display: inline-grid;
      place-items: center;
      border: 1px solid var(--_border);
      background: var(--_surface-raised);
      color: var(--_text);
    }

    .bot-badge svg {
      inline-size: 0.875rem;
      block-size: 0.875rem;
    }

    .rating-badge {
      border: 1px solid var(--_border);
      background: var(--_surface-raised);
      color: var(--_text);
      font-variant-numeric: tabular-nums;
    }

    .unread-badge {
      margin-inline-start: auto;
      background: var(--_accent);
      color: var(--_on-accent);
      font-weight: 700;
      font-variant-numeric: tabular-nums;
    }

    .item[aria-selected='true'] .unread-badge {
      background: var(--_on-accent);
      color: var(--_accent);
    }

    .empty {
      color: var(--_text-muted);
      text-align: center;
      font-size: 0.875em;
    }

    .empty:empty {
      display: none;
    }

    .load-more {
      align-self: center;
      padding: calc(var(--_space) * 0.5) calc(var(--_space) * 1.5);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
      font: inherit;
      cursor: pointer;
    }

    .load-more:disabled {
      color: var(--_text-muted);
      cursor: progress;
    }
  }
`;
