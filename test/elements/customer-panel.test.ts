import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { ParleyElement } from '../../src/elements/parley-element.ts';
import { CustomerPanelController } from '../../src/elements/inbox/customer-panel-controller.ts';
import { customerPanel, customerPanelToggle, type CustomerPanelHandlers, type CustomerPanelView } from '../../src/elements/inbox/customer-panel.ts';
import { customerPanelStyles } from '../../src/elements/inbox/customer-panel.styles.ts';
import { inboxStyles } from '../../src/elements/inbox/inbox.styles.ts';
import { inboxStrings, type InboxStrings } from '../../src/i18n/strings.ts';
import type { CustomerProfile } from '../../src/data/customer-profile.ts';
import type { ConversationSummary } from '../../src/data/types.ts';
import { NO_PROFILE } from '../../src/state/customer-profile.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';

/** The panel's template inside the inbox's styles, as the console lays it out. */
class PanelHost extends ParleyElement<InboxStrings> {
  static override css = [inboxStyles, customerPanelStyles];
  protected readonly defaultStrings = inboxStrings;
  @property({ attribute: false }) accessor view: CustomerPanelView | undefined;
  @property({ attribute: false }) accessor handlers: CustomerPanelHandlers | undefined;
  protected override render(): TemplateResult {
    const view = this.view as CustomerPanelView;
    return html`<div class="base console" part="base"><section class="conversation" aria-label="Conversation">
      <div class="conversation-main">${customerPanelToggle(view.t, view.open, () => undefined)}<p>Thread</p></div>
      ${customerPanel(view, this.handlers as CustomerPanelHandlers)}
    </section></div>`;
  }
}
PanelHost.define('test-customer-panel-host');

const PROFILE: CustomerProfile = {
  userId: '00000000-0000-4000-b000-0000000000aa',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  nameSource: 'token',
  emailSource: 'visitor',
  attributes: { plan: 'pro', seats: 3 },
  metadata: { company: 'Analytical Engines' },
  createdAt: '2026-12-01T09:00:00Z',
  lastSeenAt: '2026-12-20T10:00:00Z',
  visits: [
    { id: 2, url: 'https://shop.test/lamps', title: 'Lamps', referrer: 'https://search.test/', browser: 'Chrome 131', os: 'macOS',
      language: 'en-GB', timeZone: 'Europe/London', screen: '1440×900', createdAt: '2026-12-20T10:00:00Z' },
    { id: 1, url: 'javascript:alert(1)', title: null, referrer: null, browser: null, os: null, language: null, timeZone: null,
      screen: null, createdAt: '2026-12-20T09:00:00Z' },
  ],
};

const OTHER = { id: '00000000-0000-4000-c000-0000000000bb', status: 'resolved', last_message_preview: 'Where is my order?', subject: null,
  last_message_at: '2026-12-02T09:00:00Z' } as unknown as ConversationSummary;

interface Calls { toggled: number; edit: boolean[]; saved: { name: string; email: string }[]; opened: string[] }

async function mount(over: Partial<CustomerPanelView> = {}): Promise<{ el: PanelHost; root: ShadowRoot; calls: Calls }> {
  const calls: Calls = { toggled: 0, edit: [], saved: [], opened: [] };
  const view: CustomerPanelView = {
    t: inboxStrings, language: 'en', open: true, editing: false,
    profile: { ...NO_PROFILE, customerId: PROFILE.userId, profile: PROFILE },
    history: { customerId: PROFILE.userId, conversations: [OTHER], loading: false, error: null },
    ...over,
  };
  const handlers: CustomerPanelHandlers = {
    onToggle: () => void (calls.toggled += 1),
    onEdit: (editing) => void calls.edit.push(editing),
    onSave: (values) => void calls.saved.push({ name: values.name, email: values.email }),
    onOpenOther: (id) => void calls.opened.push(id),
  };
  const el = await fixture<PanelHost>(html`<test-customer-panel-host .view=${view} .handlers=${handlers}></test-customer-panel-host>`);
  await el.updateComplete;
  return { el, root: el.shadowRoot as ShadowRoot, calls };
}

describe('customer side panel', () => {
  describe('renders', () => {
    it('name and email with where each came from, first and last seen', async () => {
      const { root } = await mount();
      const name = root.querySelector('.customer-name');
      expect(name?.textContent).to.contain('Ada Lovelace');
      expect(name?.querySelector('[part~="identity-badge"]')?.textContent?.trim()).to.equal(inboxStrings.verified);
      const email = root.querySelector('.customer-email');
      expect(email?.textContent).to.contain('ada@example.com');
      expect(email?.querySelector('.badge')?.getAttribute('data-source')).to.equal('unverified');
      expect(email?.querySelector('.badge')?.textContent?.trim()).to.equal(inboxStrings.unverified);
      const facts = root.querySelector('.identity-facts')?.textContent ?? '';
      expect(facts).to.contain(inboxStrings.firstSeen).and.contain(inboxStrings.lastSeen);
      expect(root.querySelectorAll('.identity-facts time')).to.have.length(2);
    });

    it('the current page with its context, recent pages, pre-chat answers, attributes and previous conversations', async () => {
      const { root } = await mount();
      const current = root.querySelector('.current-page a');
      expect(current?.getAttribute('href')).to.equal('https://shop.test/lamps');
      expect(current?.getAttribute('rel')).to.equal('noopener noreferrer');
      const text = root.querySelector('.customer-panel')?.textContent ?? '';
      for (const value of ['Chrome 131', 'macOS', 'en-GB', 'Europe/London', '1440×900', 'https://search.test/', 'Analytical Engines', 'plan', 'pro', 'seats', 'Where is my order?']) {
        expect(text, value).to.contain(value);
      }
      const pages = root.querySelectorAll('[part~="recent-pages"] li');
      expect(pages).to.have.length(2);
      expect(pages[1]?.querySelector('a'), 'a javascript: address is never a link').to.equal(null);
      expect(pages[1]?.textContent).to.contain('javascript:alert(1)');
    });

    it('says when nothing is known yet, and when loading failed', async () => {
      const empty = await mount({ profile: { ...NO_PROFILE, customerId: PROFILE.userId, profile: { ...PROFILE, name: null, nameSource: null, visits: [], attributes: {}, metadata: {} } } });
      expect(empty.root.querySelector('.customer-name')?.textContent).to.contain(inboxStrings.notGiven);
      expect(empty.root.querySelector('.customer-name .badge')).to.equal(null);
      expect(empty.root.textContent).to.contain(inboxStrings.noPages);
      expect(empty.root.querySelector('#customer-attributes')).to.equal(null);
      const failed = await mount({ profile: { ...NO_PROFILE, customerId: PROFILE.userId, error: 'Network down' } });
      expect(failed.root.querySelector('[role="alert"]')?.textContent).to.contain('Network down');
    });

    it('is hidden when closed, and the toggle says so', async () => {
      const { root } = await mount({ open: false });
      expect(root.querySelector<HTMLElement>('.customer-panel')?.hidden).to.equal(true);
      expect(root.querySelector('.panel-toggle')?.getAttribute('aria-expanded')).to.equal('false');
    });
  });

  describe('is accessible', () => {
    it('passes axe in light and dark, reading and editing', async () => {
      const { el } = await mount();
      await expectAccessibleInBothThemes(el);
      const editing = await mount({ editing: true, profile: { ...NO_PROFILE, customerId: PROFILE.userId, profile: PROFILE, saveError: 'Email address is not valid' } });
      await expectAccessibleInBothThemes(editing.el);
    });

    it('passes axe right-to-left and at phone width (the panel covers the conversation)', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div dir="rtl" style="inline-size: 360px; block-size: 640px"></div>`);
      const { el, root } = await mount();
      wrapper.append(el);
      el.style.blockSize = '640px';
      await el.updateComplete;
      const panel = root.querySelector<HTMLElement>('.customer-panel') as HTMLElement;
      expect(getComputedStyle(panel).position).to.equal('absolute');
      expect(getComputedStyle(root.querySelector('.close-panel') as HTMLElement).display).to.not.equal('none');
      expect(panel.getBoundingClientRect().width).to.be.at.most(361);
      await expectAccessibleInBothThemes(el);
    });
  });

  describe('interaction', () => {
    it('edit opens the form; submitting hands over the typed values; Escape cancels', async () => {
      const reading = await mount();
      reading.root.querySelector<HTMLButtonElement>('[part~="edit-customer-button"]')?.click();
      expect(reading.calls.edit).to.deep.equal([true]);

      const { root, calls } = await mount({ editing: true });
      const name = root.querySelector<HTMLInputElement>('#customer-name') as HTMLInputElement;
      const email = root.querySelector<HTMLInputElement>('#customer-email') as HTMLInputElement;
      expect(name.value).to.equal('Ada Lovelace');
      expect(email.value).to.equal('ada@example.com');
      email.value = 'ada@lovelace.test';
      const form = root.querySelector('form') as HTMLFormElement;
      setTimeout(() => form.requestSubmit());
      await oneEvent(form, 'submit');
      expect(calls.saved).to.deep.equal([{ name: 'Ada Lovelace', email: 'ada@lovelace.test' }]);
      email.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
      expect(calls.edit).to.deep.equal([false]);
    });

    it('a save in flight disables the form, and its failure is announced', async () => {
      const { root } = await mount({ editing: true, profile: { ...NO_PROFILE, customerId: PROFILE.userId, profile: PROFILE, saving: true } });
      expect(root.querySelector<HTMLButtonElement>('[part~="save-customer-button"]')?.disabled).to.equal(true);
      const failed = await mount({ editing: true, profile: { ...NO_PROFILE, customerId: PROFILE.userId, profile: PROFILE, saveError: 'Email address is not valid' } });
      expect(failed.root.querySelector('#customer-form-error')?.textContent).to.contain('Email address is not valid');
      expect(failed.root.querySelector('#customer-email')?.getAttribute('aria-invalid')).to.equal('true');
    });

    it('a previous conversation opens it; the close button toggles', async () => {
      const { root, calls } = await mount();
      root.querySelector<HTMLButtonElement>('[part~="previous-conversation"]')?.click();
      expect(calls.opened).to.deep.equal([OTHER.id]);
      root.querySelector<HTMLButtonElement>('.close-panel')?.click();
      expect(calls.toggled).to.equal(1);
    });
  });
});

/** The controller in a host of its own: whether the panel shows, by width and by the agent's choice. */
class ControllerHost extends ParleyElement<InboxStrings> {
  protected readonly defaultStrings = inboxStrings;
  readonly panel = new CustomerPanelController(this, { session: () => undefined, row: () => null });
  protected override render(): TemplateResult {
    return html`${this.panel.toggle(inboxStrings)}`;
  }
}
ControllerHost.define('test-customer-panel-controller-host');

describe('customer side panel controller', () => {
  const toggle = (el: ControllerHost): HTMLButtonElement => el.shadowRoot?.querySelector('.panel-toggle') as HTMLButtonElement;
  const expanded = (el: ControllerHost): string | null => toggle(el).getAttribute('aria-expanded');
  const resized = async (el: ControllerHost, width: number): Promise<void> => {
    el.style.width = `${width}px`;
    // ResizeObserver reports after the next layout; the host renders in the task after that.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    await el.updateComplete;
  };

  it('shows beside a wide console, folds away when it narrows and comes back when it widens', async () => {
    const el = await fixture<ControllerHost>(html`<test-customer-panel-controller-host style="display:block;width:1200px"></test-customer-panel-controller-host>`);
    expect(expanded(el)).to.equal('true');
    await resized(el, 600);
    expect(expanded(el)).to.equal('false');
    await resized(el, 1100);
    expect(expanded(el)).to.equal('true');
  });

  it('keeps the agent\'s own choice whatever the width', async () => {
    const el = await fixture<ControllerHost>(html`<test-customer-panel-controller-host style="display:block;width:600px"></test-customer-panel-controller-host>`);
    expect(expanded(el)).to.equal('false');
    toggle(el).click();
    await el.updateComplete;
    expect(expanded(el)).to.equal('true');
    await resized(el, 1200);
    await resized(el, 500);
    expect(expanded(el)).to.equal('true');
  });
});
