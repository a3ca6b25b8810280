import { css } from 'lit';

/** The console's availability control, team list and collision line (presence-templates.ts). */
export const presenceStyles = css`
  @layer parley {
    .header {
      flex-wrap: wrap;
    }

    .availability {
      position: relative;
      display: flex;
      align-items: center;
      gap: var(--_space);
    }

    .dot {
      flex: none;
      display: inline-block;
      inline-size: 0.625rem;
      block-size: 0.625rem;
      border-radius: 50%;
      background: var(--_neutral);
      /* Away is a ring, offline an empty circle: the state does not rest on colour alone. */
      box-sizing: border-box;
    }

    .dot[data-availability='online'] {
      background: var(--_success);
    }

    .dot[data-availability='away'] {
      background: transparent;
      border: 0.1875rem solid var(--_warning);
    }

    .dot[data-availability='offline'] {
      background: transparent;
      border: 0.125rem solid var(--_neutral);
    }

    .team-summary {
      gap: calc(var(--_space) * 0.75);
    }

    .team-panel {
      min-inline-size: 14rem;
      max-block-size: 24rem;
      overflow-y: auto;
    }

    .my-status {
      display: grid;
      gap: calc(var(--_space) * 0.25);
      margin: 0 0 var(--_space);
      padding: 0 0 var(--_space);
      border: 0;
      border-block-end: 1px solid var(--_border);
    }


    .team-list {
      margin: 0;
      padding: 0;
      list-style: none;
    }

    .team-member {
      display: flex;
      align-items: center;
      gap: var(--_space);
      padding: calc(var(--_space) * 0.5);
      font-size: 0.875rem;
    }

    .team-name {
      flex: 1 1 auto;
      min-inline-size: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }

    .team-status {
      color: var(--_text-muted);
    }

    .collision {
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--_space) * 0.5) calc(var(--_space) * 1.5);
      inline-size: 100%;
      font-size: 0.875rem;
      color: var(--_text-muted);
    }

    .collision:empty {
      display: none;
    }

    .collision-viewer {
      display: inline-flex;
      align-items: center;
      gap: calc(var(--_space) * 0.5);
    }

    .collision-viewer[data-composing='note'] {
      color: var(--_note-border);
      font-weight: 600;
    }

    .collision-viewer[data-composing='reply'] {
      color: var(--_text);
      font-weight: 600;
    }

    .collision .avatar {
      box-sizing: border-box;
      inline-size: 1.5rem;
      block-size: 1.5rem;
      border-radius: 50%;
      object-fit: cover;
      display: inline-grid;
      place-items: center;
      background: #2f5fb3;
      color: #ffffff;
      font-size: 0.6875rem;
      font-weight: 700;
      line-height: 1;
    }

    .collision .avatar::before {
      content: attr(data-initials);
    }

    /* White initials on each reads at 4.5:1 or more (the thread's palette). */
    .collision .avatar[data-colour='1'] { background: #1e7b34; }
    .collision .avatar[data-colour='2'] { background: #6d28d9; }
    .collision .avatar[data-colour='3'] { background: #be185d; }
    .collision .avatar[data-colour='4'] { background: #0e7490; }
    .collision .avatar[data-colour='5'] { background: #9a3412; }

    @container (max-width: 720px) {
      .availability {
        margin-inline-start: auto;
      }

      .availability ~ .button {
        margin-inline-start: 0;
      }
    }
  }
`;
