/**
 * The console's presence views, from what they are given: the agent's own status and the team's
 * availability in the header, and who else is in the open conversation (collision) in its header.
 * The element and its controllers own the state and the handlers.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { formatString, type InboxStrings } from '../../i18n/strings.ts';
import { AVAILABILITIES, type Availability, type TeamAvailability } from '../../data/availability.ts';
import type { Agent } from '../../data/types.ts';
import type { TeamViewer } from '../../realtime/team-presence.ts';
import { avatarColour, initials } from '../thread/sections.ts';

/** How many avatar colours the styles define (`.avatar[data-colour]`). */
const AVATAR_COLOURS = 6;

const AVAILABILITY_KEYS: Record<Availability, keyof InboxStrings> = {
  online: 'availabilityOnline',
  away: 'availabilityAway',
  offline: 'availabilityOffline',
};

export interface AvailabilityView {
  readonly t: InboxStrings;
  readonly language: string;
  /** The signed-in agent's id. */
  readonly me: string | null;
  readonly team: readonly TeamAvailability[];
  readonly busy: boolean;
  /** The status just picked, shown until the server answers (then the stored choice is). */
  readonly pending: Availability | null;
  readonly error: string;
  readonly onChoose: (value: Availability) => void;
  /** The team list was opened: a good moment to refresh it. */
  readonly onOpen: () => void;
}

/**
 * The team's availability as one disclosure in the header: its toggle shows the agent's own status
 * and how many are online; it opens on the agent's status (radios) and everyone's availability.
 * Radios, not a select: a `<select>`'s options would share the listbox role of the conversation list.
 */
export function availabilityControl(v: AvailabilityView): TemplateResult {
  const { t } = v;
  const mine = v.team.find((a) => a.user_id === v.me);
  const online = v.team.filter((a) => a.availability === 'online').length;
  const label = (value: Availability): string => t[AVAILABILITY_KEYS[value]];
  const onChange = (event: Event): void => {
    const input = event.currentTarget as HTMLInputElement;
    if (input.checked && (AVAILABILITIES as readonly string[]).includes(input.value)) v.onChoose(input.value as Availability);
  };
  const chosen = v.pending ?? mine?.chosen ?? 'online';
  return html`
    <div class="availability" part="availability">
      <details class="team" part="team" @toggle=${(e: Event) => { if ((e.currentTarget as HTMLDetailsElement).open) v.onOpen(); }}>
        <summary class="header-summary team-summary" part="team-summary">
          <span class="dot" data-availability=${mine?.availability ?? 'offline'} aria-hidden="true"></span><span class="visually-hidden">${formatString(t.teamMember, { name: t.availabilityLabel, status: label(mine?.availability ?? 'offline') }, v.language)}, </span>${formatString(t.teamOnline, { count: online }, v.language)}
        </summary>
        <div class="header-popover team-panel" part="team-panel">
          <fieldset class="my-status choices" part="availability-choice" ?disabled=${!mine} aria-busy=${v.busy ? 'true' : 'false'}>
            <legend>${t.availabilityLabel}</legend>
            ${AVAILABILITIES.map((value) => html`
              <label class="choice">
                <input type="radio" name="availability" value=${value} .checked=${live(chosen === value)} @change=${onChange} />
                <span class="dot" data-availability=${value} aria-hidden="true"></span>${label(value)}
              </label>`)}
          </fieldset>
          <ul class="team-list" part="team-list" aria-label=${t.teamLabel}>
            ${repeat(v.team, (a) => a.user_id, (a) => html`
              <li class="team-member" data-availability=${a.availability}>
                <span class="dot" data-availability=${a.availability} aria-hidden="true"></span>
                <span class="visually-hidden">${formatString(t.teamMember, { name: a.display_name, status: label(a.availability) }, v.language)}</span>
                <span class="team-name" aria-hidden="true">${a.display_name}</span>
                <span class="team-status" aria-hidden="true">${label(a.availability)}</span>
              </li>`)}
          </ul>
        </div>
      </details>
      ${v.error ? html`<p class="error" part="error" role="alert">${formatString(t.availabilityFailed, { error: v.error }, v.language)}</p>` : nothing}
    </div>
  `;
}

function avatar(agent: Pick<Agent, 'user_id' | 'display_name' | 'avatar_url'>): TemplateResult {
  return agent.avatar_url
    ? html`<img class="avatar" part="collision-avatar" src=${agent.avatar_url} alt="" width="24" height="24" referrerpolicy="no-referrer" />`
    : html`<span class="avatar" part="collision-avatar" aria-hidden="true" data-initials=${initials(agent.display_name)}
        data-colour=${avatarColour(agent.user_id, AVATAR_COLOURS)}></span>`;
}

export interface CollisionView {
  readonly t: InboxStrings;
  readonly language: string;
  readonly viewers: readonly TeamViewer[];
  /** The team, to name and picture the viewers. */
  readonly agents: readonly Agent[];
}

/** "Sam is also viewing", "Sam is writing a note": one line per other agent in the conversation. */
export function collisionIndicator(v: CollisionView): TemplateResult {
  const { t } = v;
  const known = v.viewers.flatMap((viewer) => {
    const agent = v.agents.find((a) => a.user_id === viewer.user_id);
    return agent ? [{ viewer, agent }] : [];
  });
  const words = (viewer: TeamViewer): string =>
    viewer.composing === 'note' ? t.writingNote : viewer.composing === 'reply' ? t.writingReply : t.alsoViewing;
  // The live region stays in place (empty) so that a first viewer is announced.
  return html`<div class="collision" part="collision" role="status" aria-label=${t.collisionLabel}>${repeat(known, ({ viewer }) => viewer.user_id, ({ viewer, agent }) => html`<span class="collision-viewer" part="collision-viewer" data-composing=${viewer.composing ?? 'none'}>${avatar(agent)}<span>${formatString(words(viewer), { name: agent.display_name }, v.language)}</span></span>`)}</div>`;
}
