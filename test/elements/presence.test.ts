// The console's presence views (src/elements/inbox/presence-templates.ts) in a host with the
// console's styles: the team disclosure with the agent's status radios, and the collision line.
// Their live behaviour (two agents, the visitor hearing nothing) is e2e/presence.spec.ts.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { html as litHtml, type TemplateResult } from 'lit';
import { ParleyElement } from '../../src/elements/parley-element.ts';
import { availabilityControl, collisionIndicator } from '../../src/elements/inbox/presence-templates.ts';
import { inboxStyles } from '../../src/elements/inbox/inbox.styles.ts';
import { presenceStyles } from '../../src/elements/inbox/presence.styles.ts';
import { inboxStrings, type InboxStrings } from '../../src/i18n/strings.ts';
import type { Availability, TeamAvailability } from '../../src/data/availability.ts';
import type { Agent } from '../../src/data/types.ts';
import type { TeamViewer } from '../../src/realtime/team-presence.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';

const TEAM: TeamAvailability[] = [
  { user_id: 'u-jordan', display_name: 'Jordan Blake', avatar_url: null, chosen: 'online', availability: 'online' },
  { user_id: 'u-maya', display_name: 'Maya Chen', avatar_url: null, chosen: 'online', availability: 'offline' },
  { user_id: 'u-sam', display_name: 'Sam Rivera', avatar_url: null, chosen: 'away', availability: 'away' },
];
const AGENTS: Agent[] = TEAM.map((a) => ({ user_id: a.user_id, display_name: a.display_name, avatar_url: a.avatar_url, role: 'agent' }));

class PresenceHost extends ParleyElement<InboxStrings> {
  static override css = [inboxStyles, presenceStyles];
  static override properties = { viewers: { attribute: false }, pending: { attribute: false } };
  declare viewers: readonly TeamViewer[];
  declare pending: Availability | null;
  chosen: Availability[] = [];
  opened = 0;
  protected readonly defaultStrings = inboxStrings;

  constructor() {
    super();
    this.viewers = [];
    this.pending = null;
  }

  protected override render(): TemplateResult {
    return litHtml`<div class="base console" part="base">
      <div class="header" part="header">
        <h2 class="title">Inbox</h2>
        ${availabilityControl({
          t: this.text, language: 'en', me: 'u-sam', team: TEAM, busy: this.pending !== null, pending: this.pending, error: '',
          onChoose: (value) => this.chosen.push(value), onOpen: () => { this.opened += 1; },
        })}
      </div>
      <div class="conversation-header">${collisionIndicator({ t: this.text, language: 'en', viewers: this.viewers, agents: AGENTS })}</div>
    </div>`;
  }
}
PresenceHost.define('test-presence-host');

function root(el: PresenceHost): ShadowRoot {
  if (!el.shadowRoot) throw new Error('no shadow root');
  return el.shadowRoot;
}

describe('console presence views', () => {
  it('renders the agent\'s own status, the online count and everyone\'s availability', async () => {
    const el = await fixture<PresenceHost>(html`<test-presence-host></test-presence-host>`);
    const summary = root(el).querySelector('[part~="team-summary"]');
    expect(summary?.textContent?.replace(/\s+/g, ' ').trim()).to.equal('Your status: Away, 1 online');
    const checked = root(el).querySelector<HTMLInputElement>('input[name="availability"]:checked');
    expect(checked?.value).to.equal('away');
    const members = [...root(el).querySelectorAll('.team-member .visually-hidden')].map((n) => n.textContent);
    expect(members).to.deep.equal(['Jordan Blake: Online', 'Maya Chen: Offline', 'Sam Rivera: Away']);
  });

  it('reports a pick, shows it while pending, and asks for a refresh when opened', async () => {
    const el = await fixture<PresenceHost>(html`<test-presence-host></test-presence-host>`);
    const details = root(el).querySelector<HTMLDetailsElement>('details');
    const toggled = oneEvent(details as HTMLDetailsElement, 'toggle');
    (root(el).querySelector('summary') as HTMLElement).click();
    await toggled;
    expect(el.opened).to.equal(1);
    root(el).querySelector<HTMLInputElement>('input[value="online"]')?.click();
    expect(el.chosen).to.deep.equal(['online']);
    el.pending = 'online';
    await el.updateComplete;
    expect(root(el).querySelector<HTMLInputElement>('input[name="availability"]:checked')?.value).to.equal('online');
  });

  it('names who else is in the conversation and what they write, and is empty (hidden) with nobody', async () => {
    const el = await fixture<PresenceHost>(html`<test-presence-host></test-presence-host>`);
    const line = (): HTMLElement => root(el).querySelector('[part~="collision"]') as HTMLElement;
    expect(getComputedStyle(line()).display).to.equal('none');
    el.viewers = [{ user_id: 'u-jordan', composing: 'note' }, { user_id: 'u-maya', composing: null }, { user_id: 'unknown', composing: 'reply' }];
    await el.updateComplete;
    expect([...line().querySelectorAll('[part~="collision-viewer"]')].map((n) => n.textContent?.trim()))
      .to.deep.equal(['Jordan Blake is writing a note', 'Maya Chen is also viewing']);
    expect(line().getAttribute('role')).to.equal('status');
    expect(line().querySelector('[part~="collision-avatar"]')?.getAttribute('data-initials')).to.equal('JB');
  });

  it('is accessible with the team open and someone in the conversation: light, dark, right-to-left, phone width', async () => {
    const el = await fixture<PresenceHost>(html`<div style="inline-size: 360px"><test-presence-host></test-presence-host></div>`)
      .then((wrapper) => wrapper.querySelector('test-presence-host') as PresenceHost);
    el.viewers = [{ user_id: 'u-jordan', composing: 'reply' }];
    await el.updateComplete;
    (root(el).querySelector('details') as HTMLDetailsElement).open = true;
    await expectAccessibleInBothThemes(el);
    el.setAttribute('dir', 'rtl');
    await expectAccessibleInBothThemes(el);
  });
});
