/** The list's filter controls: assignment as a segmented radio group, statuses as checkbox chips. */
import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { ConversationListStrings } from '../../i18n/strings.ts';
import { ASSIGNMENT_FILTERS, CONVERSATION_STATUSES } from '../../data/types.ts';
import type { AssignmentFilter, ConversationStatus } from '../../data/types.ts';
import type { ListFilter } from '../../state/conversations.ts';
import { STATUS_KEYS } from './list-item.ts';

const ASSIGNMENT_KEYS: Record<AssignmentFilter, keyof ConversationListStrings> = {
  all: 'assignmentAll',
  mine: 'assignmentMine',
  unassigned: 'assignmentUnassigned',
};

export function renderAssignment(t: ConversationListStrings, filter: ListFilter, change: (value: AssignmentFilter) => void): TemplateResult {
  return html`<fieldset class="segmented">
    <legend class="visually-hidden">${t.assignmentLabel}</legend>
    ${ASSIGNMENT_FILTERS.map(
      (value) => html`<label class="segment">
        <input
          class="visually-hidden"
          type="radio"
          name="assignment"
          .value=${value}
          .checked=${live(filter.assignment === value)}
          @change=${() => change(value)}
        />
        <span>${t[ASSIGNMENT_KEYS[value]]}</span>
      </label>`,
    )}
  </fieldset>`;
}

export function renderStatuses(t: ConversationListStrings, filter: ListFilter, toggle: (status: ConversationStatus, on: boolean) => void): TemplateResult {
  return html`<fieldset class="chips">
    <legend class="visually-hidden">${t.statusLabel}</legend>
    ${CONVERSATION_STATUSES.map(
      (status) => html`<label class="chip">
        <input
          class="visually-hidden"
          type="checkbox"
          .value=${status}
          .checked=${live(filter.statuses.includes(status))}
          @change=${(event: Event) => toggle(status, (event.target as HTMLInputElement).checked)}
        />
        <span>${t[STATUS_KEYS[status]]}</span>
      </label>`,
    )}
  </fieldset>`;
}
