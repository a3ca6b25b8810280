import { css } from 'lit';

export const inboxStyles = css`
  @layer parley {
    :host {
      block-size: 100%;
      min-block-size: 24rem;
    }

    .base {
      box-sizing: border-box;
      block-size: 100%;
      background: var(--_surface);
      container-type: inline-size;
    }

    .notice {
      display: grid;
      place-items: center;
      padding: calc(var(--_space) * 3);
    }

    .console {
      position: relative;
      display: grid;
      grid-template-rows: auto minmax(0, 1fr);
    }

    /* Below the header, at the sign-out button's end; over the panes, which it does not block. */
    .confirm {
      position: absolute;
      z-index: 1;
      inset-block-start: 3.25rem;
      inset-inline-end: calc(var(--_space) * 2);
      max-inline-size: min(24rem, calc(100% - var(--_space) * 4));
      padding: calc(var(--_space) * 2);
      background: var(--_surface-raised);
      color: var(--_text);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      box-shadow: 0 0.5rem 1.5rem rgb(0 0 0 / 0.2);
    }

    .confirm-title {
      margin: 0 0 var(--_space);
      font-size: 1rem;
    }

    .confirm p {
      margin: 0 0 calc(var(--_space) * 1.5);
    }

    .confirm-actions {
      display: flex;
      gap: var(--_space);
      justify-content: flex-end;
    }

    .header {
      display: flex;
      align-items: center;
      gap: calc(var(--_space) * 1.5);
      padding: var(--_space) calc(var(--_space) * 2);
      border-block-end: 1px solid var(--_border);
      min-inline-size: 0;
    }

    .title {
      margin: 0;
      font-size: 1.125rem;
    }

    .who {
      margin-inline-start: auto;
      color: var(--_text-muted);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      min-inline-size: 0;
    }

    .panes {
      display: grid;
      grid-template-columns: minmax(16rem, 22rem) minmax(0, 1fr);
      grid-template-rows: minmax(0, 1fr);
      min-block-size: 0;
    }

    .list-pane {
      display: flex;
      flex-direction: column;
      min-block-size: 0;
      border-inline-end: 1px solid var(--_border);
    }

    .list-pane parley-conversation-list {
      flex: 1;
      min-block-size: 0;
    }

    .conversation {
      display: flex;
      flex-direction: column;
      min-block-size: 0;
      min-inline-size: 0;
    }

    .conversation.empty {
      align-items: center;
      justify-content: center;
      color: var(--_text-muted);
    }

    .conversation parley-thread {
      flex: 1;
      min-block-size: 0;
    }

    .conversation-header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_space) calc(var(--_space) * 2);
      padding: var(--_space) calc(var(--_space) * 2);
      border-block-end: 1px solid var(--_border);
    }

    .identity {
      flex: 1 1 12rem;
      min-inline-size: 0;
    }

    .customer {
      margin: 0;
      font-size: 1rem;
      overflow-wrap: anywhere;
    }

    .subject {
      margin: 0;
      color: var(--_text-muted);
      font-size: 0.875rem;
      overflow-wrap: anywhere;
    }

    /* A row of its own under the name and the controls, so previews have the header's width. */
    .history {
      flex: 1 0 100%;
      font-size: 0.875rem;
    }

    .history-summary {
      inline-size: fit-content;
      color: var(--_accent);
      cursor: pointer;
      border-radius: calc(var(--_radius) * 0.5);
    }

    .history-list {
      max-inline-size: 48rem;
      margin: calc(var(--_space) * 0.5) 0 0;
      padding: 0;
      list-style: none;
      max-block-size: 12rem;
      overflow-y: auto;
    }

    .history-item {
      display: grid;
      grid-template-columns: auto auto minmax(0, 1fr);
      align-items: baseline;
      gap: var(--_space);
      inline-size: 100%;
      font: inherit;
      color: var(--_text);
      text-align: start;
      background: transparent;
      border: 0;
      border-radius: calc(var(--_radius) * 0.5);
      padding: calc(var(--_space) * 0.5);
      cursor: pointer;
    }

    .history-item:hover {
      background: var(--_surface-raised);
    }

    .history-date {
      color: var(--_text-muted);
      white-space: nowrap;
    }

    .history-status {
      padding: 0 calc(var(--_space) * 0.5);
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) * 0.5);
      font-size: 0.75rem;
      white-space: nowrap;
    }

    .history-preview {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }

    .history-summary:focus-visible,
    .history-item:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 2px;
    }

    .controls {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_space) calc(var(--_space) * 1.5);
    }

    .control {
      display: inline-flex;
      align-items: center;
      gap: calc(var(--_space) * 0.75);
      font-size: 0.875rem;
    }

    select,
    input {
      font: inherit;
      color: var(--_text);
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) * 0.75);
      padding: calc(var(--_space) * 0.5) var(--_space);
    }

    .switch input {
      inline-size: 1.1rem;
      block-size: 1.1rem;
      accent-color: var(--_accent);
    }

    .button {
      font: inherit;
      font-size: 0.875rem;
      color: var(--_text);
      background: var(--_surface-raised);
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) * 0.75);
      padding: calc(var(--_space) * 0.5) calc(var(--_space) * 1.25);
      cursor: pointer;
    }

    .button.primary {
      background: var(--_accent);
      color: var(--_on-accent);
      border-color: var(--_accent);
    }

    .button:disabled,
    select:disabled,
    input:disabled {
      cursor: not-allowed;
      opacity: 0.6;
    }

    .button:focus-visible,
    select:focus-visible,
    input:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 2px;
    }

    .back {
      display: none;
    }

    .error {
      margin: 0;
      color: var(--_danger);
      font-size: 0.875rem;
    }

    .error:empty {
      display: none;
    }

    .list-error {
      padding: var(--_space) calc(var(--_space) * 2);
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_space);
    }

    .sign-in {
      box-sizing: border-box;
      display: grid;
      gap: var(--_space);
      inline-size: min(100%, 22rem);
      padding: calc(var(--_space) * 3);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
    }

    .password-help { display: grid; justify-items: center; gap: 0.5rem; margin-block-start: 0.75rem; }
    .link-button { background: none; border: none; padding: 0.25rem; color: var(--_accent); text-decoration: underline; cursor: pointer; font: inherit; }
    /* Like the sign-out confirmation: over the panes, below the header, until saved or dismissed. */
    .password-recovery {
      position: absolute; z-index: 1; inset-block-start: 3.25rem; inset-inline: 0; margin-inline: auto;
      display: grid; gap: var(--_space); inline-size: min(24rem, calc(100% - var(--_space) * 4)); box-sizing: border-box;
      padding: calc(var(--_space) * 2); background: var(--_surface-raised); color: var(--_text);
      border: 1px solid var(--_border); border-radius: var(--_radius); box-shadow: 0 0.5rem 1.5rem rgb(0 0 0 / 0.2);
    }
    .password-recovery h3 { margin: 0; font-size: 1rem; }
    .sign-in-title {
      margin: 0 0 var(--_space);
      font-size: 1.25rem;
    }

    .sign-in input {
      padding: var(--_space);
    }

    .sign-in .button {
      padding: var(--_space);
      font-size: 1rem;
    }

    @container (max-width: 720px) {
      .panes {
        grid-template-columns: minmax(0, 1fr);
      }

      .list-pane {
        border-inline-end: 0;
      }

      [data-view='conversation'] .list-pane,
      [data-view='list'] .conversation {
        display: none;
      }

      .back {
        display: inline-block;
      }

      .who {
        display: none;
      }

      .header .button {
        margin-inline-start: auto;
      }
    }

    /* The header's disclosures (the team, the alerts): a button-like toggle and the panel it opens. */
    .header-summary {
      display: inline-flex;
      align-items: center;
      gap: calc(var(--_space) * 0.5);
      font-size: 0.875rem;
      cursor: pointer;
      padding: calc(var(--_space) * 0.5) var(--_space);
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) * 0.75);
      background: var(--_surface-raised);
      list-style: none;
      white-space: nowrap;
    }

    .header-summary::-webkit-details-marker {
      display: none;
    }

    .header-summary:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 2px;
    }

    .header-popover {
      position: absolute;
      z-index: 2;
      inset-block-start: calc(100% + var(--_space) * 0.5);
      inset-inline-end: 0;
      box-sizing: border-box;
      max-inline-size: min(20rem, 90vw);
      padding: var(--_space);
      background: var(--_surface-raised);
      color: var(--_text);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      box-shadow: 0 0.5rem 1.5rem rgb(0 0 0 / 0.2);
    }

    /* The header's choice lists (the agent's status, the alerts): a muted legend, one row a choice. */
    .choices legend {
      padding: 0;
      margin-block-end: calc(var(--_space) * 0.5);
      font-size: 0.8125rem;
      font-weight: 600;
      color: var(--_text-muted);
    }

    .choice {
      display: flex;
      align-items: center;
      gap: var(--_space);
      padding: calc(var(--_space) * 0.25) calc(var(--_space) * 0.5);
      font-size: 0.875rem;
      cursor: pointer;
    }

    .choice input {
      margin: 0;
      accent-color: var(--_accent);
    }

    .choice input:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 2px;
    }
  }
`;
