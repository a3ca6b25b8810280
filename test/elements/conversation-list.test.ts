import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.ts';
import { SEARCH_DEBOUNCE_MS, formatRelativeTime } from '../../src/elements/conversation-list/conversation-list.ts';
import { msUntilRelativeChange } from '../../src/elements/conversation-list/relative-time.ts';
import type { DebounceTimer, ParleyConversationList } from '../../src/elements/conversation-list/conversation-list.ts';
import {
  ParleyConversationSelectEvent,
  ParleyFilterChangeEvent,
  ParleyLoadMoreEvent,
  ParleySearchEvent,
} from '../../src/elements/events.ts';
import { conversationListStrings } from '../../src/i18n/strings.ts';
import type { ConversationSummary } from '../../src/data/types.ts';
import { DEFAULT_LIST_FILTER } from '../../src/state/conversations.ts';
import type { ListFilter } from '../../src/state/conversations.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import { collectConsoleOutput } from '../browser-helpers/console-guard.ts';
import { expectRelayoutBoundary } from '../browser-helpers/relayout-boundary.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';
const NOW = Date.parse('2026-11-24T12:00:00Z');

function minutesAgo(minutes: number): string {
  return new Date(NOW - minutes * 60_000).toISOString();
}

function conversation(id: string, overrides: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id,
    customer_id: `cust-${id}`,
    status: 'open',
    assigned_agent_id: null,
    chatbot_enabled: false,
    subject: `Subject ${id}`,
    last_seq: 1,
    inbound_count: 1,
    last_message_at: minutesAgo(5),
    last_message_preview: `Preview ${id}`,
    created_at: minutesAgo(60),
    updated_at: minutesAgo(5),
    customer: { name: `Customer ${id}`, email: `${id}@example.com` },
    ...overrides,
  };
}

const A = conversation('a', { customer: { name: 'Ada Lovelace', email: 'ada@example.com' }, assigned_agent_id: 'agent-1' });
const B = conversation('b', { customer: { name: null, email: 'bob@example.com' }, status: 'pending', last_message_at: minutesAgo(90) });
const C = conversation('c', { customer: null, subject: null, status: 'resolved', last_message_preview: null, last_message_at: minutesAgo(60 * 30) });
const LIST = [A, B, C];
const AGENTS = new Map([['agent-1', 'Grace']]);

/** A debounce timer the test advances by hand. */
function fakeTimer(): DebounceTimer & { pending: number; lastDelay: number | null; advance(ms: number): void } {
  let now = 0;
  let lastDelay: number | null = null;
  let nextHandle = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    get pending() {
      return timers.size;
    },
    get lastDelay() {
      return lastDelay;
    },
    set(callback, ms) {
      lastDelay = ms;
      const handle = nextHandle++;
      timers.set(handle, { at: now + ms, callback });
      return handle;
    },
    clear(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      now += ms;
      for (const [handle, timer] of [...timers]) {
        if (timer.at <= now) {
          timers.delete(handle);
          timer.callback();
        }
      }
    },
  };
}

async function mount(props: Partial<ParleyConversationList> = {}): Promise<ParleyConversationList> {
  const el = await fixture<ParleyConversationList>(html`<parley-conversation-list lang="en"></parley-conversation-list>`);
  el.clock = () => NOW;
  el.conversations = LIST;
  el.agentNames = AGENTS;
  Object.assign(el, props);
  await el.updateComplete;
  return el;
}

function root(el: ParleyConversationList): ShadowRoot {
  if (!el.shadowRoot) throw new Error('no shadow root');
  return el.shadowRoot;
}

function listbox(el: ParleyConversationList): HTMLElement | null {
  return root(el).querySelector<HTMLElement>('[role="listbox"]');
}

function items(el: ParleyConversationList): HTMLElement[] {
  return [...root(el).querySelectorAll<HTMLElement>('[role="option"]')];
}

function item(el: ParleyConversationList, id: string): HTMLElement {
  const found = items(el).find((option) => option.dataset['id'] === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
}

function field(option: HTMLElement, name: string): string {
  return option.querySelector(`.${name}`)?.textContent?.trim() ?? '';
}

function searchBox(el: ParleyConversationList): HTMLInputElement {
  return root(el).querySelector('input[type="search"]') as HTMLInputElement;
}

function radio(el: ParleyConversationList, value: string): HTMLInputElement {
  return root(el).querySelector(`input[type="radio"][value="${value}"]`) as HTMLInputElement;
}

function checkbox(el: ParleyConversationList, value: string): HTMLInputElement {
  return root(el).querySelector(`input[type="checkbox"][value="${value}"]`) as HTMLInputElement;
}

function activeId(el: ParleyConversationList): string | null {
  const id = listbox(el)?.getAttribute('aria-activedescendant');
  if (!id) return null;
  return root(el).getElementById(id)?.dataset['id'] ?? null;
}

function recordSelects(el: ParleyConversationList): string[] {
  const ids: string[] = [];
  el.addEventListener('parley-conversation-select', (event) => ids.push(event.detail.id));
  return ids;
}

function recordFilters(el: ParleyConversationList): ListFilter[] {
  const filters: ListFilter[] = [];
  el.addEventListener('parley-filter-change', (event) => filters.push(event.detail.filter));
  return filters;
}

async function press(el: ParleyConversationList, key: string): Promise<void> {
  await sendKeys({ press: key });
  await el.updateComplete;
}

async function focusList(el: ParleyConversationList): Promise<void> {
  listbox(el)?.focus();
  await el.updateComplete;
}

describe('<parley-conversation-list>', () => {
  describe('renders', () => {
    it("lays its list out on its own: a row's new preview or time relayouts the list, not the console", async () => {
      const el = await mount();
      const list = listbox(el);
      if (!list) throw new Error('no listbox');
      expectRelayoutBoundary(list, 'the list');
      expect(list.getBoundingClientRect().height, 'the list fills its frame').to.be.greaterThan(0);
    });

    it('one option per conversation with name, subject, preview, time, status and assignee', async () => {
      const el = await mount();
      const options = items(el);
      expect(options.map((o) => o.dataset['id'])).to.deep.equal(['a', 'b', 'c']);
      expect(listbox(el)?.getAttribute('aria-label')).to.equal(conversationListStrings.listLabel);

      const a = item(el, 'a');
      expect(field(a, 'name')).to.equal('Ada Lovelace');
      expect(field(a, 'subject')).to.equal('Subject a');
      expect(field(a, 'preview')).to.equal('Preview a');
      expect(field(a, 'time')).to.equal('5 minutes ago');
      expect(a.querySelector('time')?.getAttribute('datetime')).to.equal(A.last_message_at);
      expect(field(a, 'status-badge')).to.equal('Open');
      expect(field(a, 'assignee')).to.equal('Grace');

      const b = item(el, 'b');
      expect(field(b, 'name')).to.equal('bob@example.com', 'email when there is no name');
      expect(field(b, 'time')).to.equal('1 hour ago');
      expect(field(b, 'status-badge')).to.equal('Pending');
      expect(field(b, 'assignee')).to.equal('Unassigned');

      const c = item(el, 'c');
      expect(field(c, 'name')).to.equal('Visitor USTC', 'an anonymous visitor, told apart by a code from their id');
      expect(field(c, 'subject')).to.equal('No subject');
      expect(field(c, 'preview')).to.equal('');
      expect(field(c, 'time')).to.equal('yesterday');
      expect(field(c, 'status-badge')).to.equal('Resolved');
    });

    it("name, subject and preview each take their own text's direction", async () => {
      const arabic = conversation('d', { customer: { name: 'ليلى', email: null }, subject: 'طلب متأخر', last_message_preview: 'أين طلبي؟' });
      const el = await mount({ conversations: [arabic, A] });
      for (const name of ['name', 'subject', 'preview']) {
        expect(getComputedStyle(item(el, 'd').querySelector(`.${name}`) as Element).direction, name).to.equal('rtl');
        expect(getComputedStyle(item(el, 'a').querySelector(`.${name}`) as Element).direction, name).to.equal('ltr');
      }
    });

    it('an unread badge with an accessible count, hidden at 0', async () => {
      const el = await mount({ unread: new Map([['a', 3], ['b', 0]]) });
      const badgeA = item(el, 'a').querySelector<HTMLElement>('[part~="unread-badge"]');
      expect(badgeA?.hidden).to.equal(false);
      expect(badgeA?.querySelector('[aria-hidden="true"]')?.textContent).to.equal('3');
      expect(badgeA?.querySelector('.visually-hidden')?.textContent).to.equal('3 unread');
      expect(item(el, 'a').hasAttribute('data-unread')).to.equal(true);
      for (const id of ['b', 'c']) {
        const badge = item(el, id).querySelector<HTMLElement>('[part~="unread-badge"]');
        expect(badge?.hidden).to.equal(true, `badge of ${id}`);
        expect(getComputedStyle(badge as HTMLElement).display).to.equal('none');
      }
      el.unread = { b: 12 };
      await el.updateComplete;
      expect(item(el, 'a').querySelector<HTMLElement>('[part~="unread-badge"]')?.hidden).to.equal(true);
      expect(item(el, 'b').querySelector('[part~="unread-badge"] .visually-hidden')?.textContent).to.equal('12 unread');
    });

    it('a rating badge with the latest score, only on rated conversations, following the row', async () => {
      const rated = conversation('r', { status: 'resolved', resolutions: 1, rating: { score: 4, scale: 5, resolution: 1 } });
      const el = await mount({ conversations: [rated, A] });
      const badge = item(el, 'r').querySelector<HTMLElement>('[part~="rating-badge"]');
      expect(badge?.querySelector('[aria-hidden="true"]')?.textContent?.trim()).to.equal('★ 4/5');
      expect(badge?.querySelector('.visually-hidden')?.textContent?.trim()).to.equal('Rated 4 of 5');
      expect(item(el, 'a').querySelector('[part~="rating-badge"]')).to.equal(null);
      el.conversations = [{ ...rated, rating: { score: 2, scale: 3, resolution: 2 }, resolutions: 2 }, A];
      await el.updateComplete;
      expect(item(el, 'r').querySelector('[part~="rating-badge"] .visually-hidden')?.textContent?.trim()).to.equal('Rated 2 of 3');
    });

    it('a robot badge on conversations whose chatbot is on, gone once it hands over', async () => {
      const bot = conversation('bot', { chatbot_enabled: true });
      const el = await mount({ conversations: [bot, A] });
      const badge = item(el, 'bot').querySelector<HTMLElement>('[part~="bot-badge"]');
      expect(badge?.querySelector('svg')?.getAttribute('aria-hidden')).to.equal('true');
      expect(badge?.querySelector('.visually-hidden')?.textContent?.trim()).to.equal('Chatbot answers');
      expect(badge?.title).to.equal('Chatbot answers');
      expect(item(el, 'a').querySelector('[part~="bot-badge"]')).to.equal(null);
      el.conversations = [{ ...bot, chatbot_enabled: false, handed_over_at: new Date().toISOString() }, A];
      await el.updateComplete;
      expect(item(el, 'bot').querySelector('[part~="bot-badge"]')).to.equal(null);
    });

    it('relative times in the element language', async () => {
      const el = await mount();
      el.setAttribute('lang', 'fr');
      el.requestUpdate();
      await el.updateComplete;
      expect(field(item(el, 'a'), 'time')).to.equal('il y a 5 minutes');
      expect(formatRelativeTime(minutesAgo(0), NOW, 'en')).to.equal('now');
      expect(formatRelativeTime(minutesAgo(60 * 24 * 10), NOW, 'en')).to.equal('last week');
    });

    it('relative times that move on by themselves, with one refresh timer released on disconnect', async () => {
      const refreshTimer = fakeTimer();
      let now = NOW;
      const el = await mount({ refreshTimer, clock: () => now });
      expect(field(item(el, 'a'), 'time')).to.equal('5 minutes ago');
      expect(refreshTimer.pending).to.equal(1);
      // Due when the soonest label moves on ("5 minutes ago" at 5:59.5), not at a fixed interval.
      expect(refreshTimer.lastDelay).to.equal(59_500);
      now += 10 * 60_000;
      refreshTimer.advance(59_500);
      await el.updateComplete;
      expect(field(item(el, 'a'), 'time')).to.equal('15 minutes ago');
      expect(refreshTimer.pending, 'the next refresh is scheduled').to.equal(1);
      el.remove();
      expect(refreshTimer.pending).to.equal(0);
    });

    it('sleeps as long as no label changes: hours for old conversations, no timer for none', async () => {
      const refreshTimer = fakeTimer();
      const el = await mount({ refreshTimer, clock: () => NOW, conversations: [C] });
      expect(field(item(el, 'c'), 'time')).to.equal('yesterday');
      // 30 hours ago reads "yesterday" until 48 hours (less the half second formatRelativeTime rounds).
      expect(refreshTimer.lastDelay).to.equal(18 * 3_600_000 - 500);
      el.conversations = [];
      await el.updateComplete;
      expect(refreshTimer.pending).to.equal(0);
    });

    it('knows when each relative time moves on', () => {
      const at = (secondsAgo: number): string => new Date(NOW - secondsAgo * 1000).toISOString();
      expect(msUntilRelativeChange(at(0), NOW)).to.equal(59_500);
      expect(msUntilRelativeChange(at(150), NOW)).to.equal(29_500);
      expect(msUntilRelativeChange(at(3599), NOW)).to.equal(1000, 'at least a second');
      // 29 days read "4 weeks ago" until "last month" at 30 days, before the next week would.
      expect(msUntilRelativeChange(at(29 * 86_400), NOW)).to.equal(86_400_000 - 500);
      expect(msUntilRelativeChange('not a time', NOW)).to.equal(null);
      expect(msUntilRelativeChange(at(-30), NOW), 'a time ahead of the clock').to.equal(60_000);
    });

    it('an empty state, which says when filters narrow it', async () => {
      const el = await mount({ conversations: [] });
      expect(listbox(el)).to.equal(null);
      const empty = root(el).querySelector('[part="empty"]');
      expect(empty?.textContent?.trim()).to.equal(conversationListStrings.empty);
      expect(el.matches(':state(empty)')).to.equal(true);
      el.filter = { ...DEFAULT_LIST_FILTER, search: 'zzz' };
      await el.updateComplete;
      expect(empty?.textContent?.trim()).to.equal(conversationListStrings.emptyFiltered);
    });

    it('a loading state', async () => {
      const el = await mount({ conversations: [], loading: true });
      const status = root(el).querySelector('[part="empty"]');
      expect(status?.getAttribute('role')).to.equal('status');
      expect(status?.textContent?.trim()).to.equal(conversationListStrings.loading);
      expect(el.matches(':state(loading)')).to.equal(true);
      el.conversations = LIST;
      await el.updateComplete;
      expect(listbox(el)?.getAttribute('aria-busy')).to.equal('true');
      el.loading = false;
      await el.updateComplete;
      expect(status?.textContent?.trim()).to.equal('');
      expect(listbox(el)?.getAttribute('aria-busy')).to.equal('false');
    });

    it('hostile customer text as text', async () => {
      const hostile = conversation('h', {
        customer: { name: HOSTILE, email: null },
        subject: HOSTILE,
        last_message_preview: HOSTILE,
      });
      const el = await mount({ conversations: [hostile] });
      expect(root(el).querySelector('img')).to.equal(null);
      expect(field(item(el, 'h'), 'name')).to.equal(HOSTILE);
      expect(field(item(el, 'h'), 'subject')).to.equal(HOSTILE);
      expect(field(item(el, 'h'), 'preview')).to.equal(HOSTILE);
    });

    it('truncates long text with an ellipsis instead of wrapping', async () => {
      const long = conversation('l', { last_message_preview: 'word '.repeat(200), subject: 'subject '.repeat(100) });
      const el = await mount({ conversations: [long] });
      el.style.width = '280px';
      await el.updateComplete;
      const preview = item(el, 'l').querySelector('.preview') as HTMLElement;
      expect(getComputedStyle(preview).textOverflow).to.equal('ellipsis');
      expect(preview.scrollWidth).to.be.greaterThan(preview.clientWidth);
      expect(preview.getBoundingClientRect().height).to.be.lessThan(30);
    });

    it('mirrors under dir="rtl": the time sits at the inline end, on the left', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div dir="rtl" style="width: 360px"><parley-conversation-list lang="en"></parley-conversation-list></div>`,
      );
      const el = wrapper.querySelector('parley-conversation-list') as ParleyConversationList;
      el.conversations = [A];
      await el.updateComplete;
      const name = item(el, 'a').querySelector('.name')?.getBoundingClientRect();
      const time = item(el, 'a').querySelector('.time')?.getBoundingClientRect();
      expect(time?.right).to.be.at.most((name?.left ?? 0) + 1);
    });

    it('writes no Lit dev-mode warnings', async () => {
      const output = await collectConsoleOutput(async () => {
        const el = await mount({ unread: { a: 1 }, hasMore: true, selectedId: 'a' });
        await focusList(el);
        await press(el, 'ArrowDown');
        await press(el, 'Enter');
        el.conversations = [C, B, A];
        el.theme = 'dark';
        el.loading = true;
        await el.updateComplete;
        el.remove();
      });
      expect(output).to.deep.equal([]);
    });
  });

  describe('is accessible', () => {
    it('with conversations, a selection, unread counts and Load more, light and dark', async () => {
      const el = await mount({ selectedId: 'b', unread: new Map([['a', 2], ['b', 1]]), hasMore: true });
      await focusList(el);
      await expectAccessibleInBothThemes(el);
    });

    it('empty and loading, light and dark', async () => {
      const el = await mount({ conversations: [], loading: true });
      await expectAccessibleInBothThemes(el);
    });
  });

  describe('properties', () => {
    it('marks the selectedId option aria-selected', async () => {
      const el = await mount({ selectedId: 'b' });
      expect(items(el).map((o) => o.getAttribute('aria-selected'))).to.deep.equal(['false', 'true', 'false']);
      el.selectedId = 'c';
      await el.updateComplete;
      expect(items(el).map((o) => o.getAttribute('aria-selected'))).to.deep.equal(['false', 'false', 'true']);
      el.selectedId = null;
      await el.updateComplete;
      expect(items(el).some((o) => o.getAttribute('aria-selected') === 'true')).to.equal(false);
    });

    it('shows filter in the controls without emitting', async () => {
      const el = await mount();
      let events = 0;
      for (const type of ['parley-filter-change', 'parley-search'] as const) el.addEventListener(type, () => (events += 1));
      expect(radio(el, 'all').checked).to.equal(true);
      el.filter = { statuses: ['pending', 'closed'], assignment: 'unassigned', search: 'refund' };
      await el.updateComplete;
      expect(radio(el, 'unassigned').checked).to.equal(true);
      expect(radio(el, 'all').checked).to.equal(false);
      expect(['open', 'pending', 'resolved', 'closed'].map((s) => checkbox(el, s).checked)).to.deep.equal([false, true, false, true]);
      expect(searchBox(el).value).to.equal('refund');
      expect(events).to.equal(0);
    });

    it('takes any visible string from strings', async () => {
      const el = await mount({ unread: { a: 4 } });
      el.strings = { visitor: 'Besucher', unread: '{count} ungelesen', searchLabel: 'Suchen' };
      await el.updateComplete;
      expect(field(item(el, 'c'), 'name')).to.equal('Besucher');
      expect(item(el, 'a').querySelector('[part~="unread-badge"] .visually-hidden')?.textContent).to.equal('4 ungelesen');
      expect(searchBox(el).labels?.[0]?.textContent?.trim()).to.equal('Suchen');
    });
  });

  describe('events', () => {
    it('a click selects with a composed parley-conversation-select', async () => {
      const el = await mount();
      const heard = oneEvent(document, 'parley-conversation-select');
      item(el, 'b').click();
      const event = await heard;
      expect(event).to.be.instanceOf(ParleyConversationSelectEvent);
      expect(event.detail.id).to.equal('b');
      expect(event.composed).to.equal(true);
      await el.updateComplete;
      expect(item(el, 'b').getAttribute('aria-selected')).to.equal('true');
    });

    it('keeps the selection when parley-conversation-select is prevented', async () => {
      const el = await mount({ selectedId: 'a' });
      el.addEventListener('parley-conversation-select', (event) => event.preventDefault());
      item(el, 'c').click();
      await el.updateComplete;
      expect(el.selectedId).to.equal('a');
      expect(item(el, 'c').getAttribute('aria-selected')).to.equal('false');
    });

    it('search emits once, 250 ms after the last keystroke', async () => {
      const timer = fakeTimer();
      const el = await mount({ timer });
      const queries: string[] = [];
      el.addEventListener('parley-search', (event) => {
        expect(event).to.be.instanceOf(ParleySearchEvent);
        queries.push(event.detail.query);
      });
      searchBox(el).focus();
      await sendKeys({ type: 'ref' });
      timer.advance(SEARCH_DEBOUNCE_MS - 1);
      await sendKeys({ type: 'und ' });
      timer.advance(SEARCH_DEBOUNCE_MS - 1);
      expect(queries).to.deep.equal([]);
      timer.advance(1);
      expect(queries).to.deep.equal(['refund']);
      timer.advance(SEARCH_DEBOUNCE_MS * 4);
      expect(queries).to.deep.equal(['refund']);
      expect(timer.pending).to.equal(0);
    });

    it('Enter in the search box emits at once', async () => {
      const timer = fakeTimer();
      const el = await mount({ timer });
      const queries: string[] = [];
      el.addEventListener('parley-search', (event) => queries.push(event.detail.query));
      searchBox(el).focus();
      await sendKeys({ type: 'ada' });
      await sendKeys({ press: 'Enter' });
      expect(queries).to.deep.equal(['ada']);
      expect(timer.pending).to.equal(0);
    });

    it('the host echoing an older search does not overwrite what is being typed', async () => {
      const timer = fakeTimer();
      const el = await mount({ timer });
      el.addEventListener('parley-search', (event) => {
        el.filter = { ...el.filter, search: event.detail.query };
      });
      searchBox(el).focus();
      await sendKeys({ type: 'ab' });
      timer.advance(SEARCH_DEBOUNCE_MS);
      await sendKeys({ type: 'c' });
      await el.updateComplete;
      expect(searchBox(el).value).to.equal('abc');
      el.filter = { ...el.filter, assignment: 'mine' };
      await el.updateComplete;
      expect(searchBox(el).value).to.equal('abc');
    });

    it('the assignment radios emit parley-filter-change with the new ListFilter', async () => {
      const el = await mount();
      el.filter = { statuses: ['open'], assignment: 'all', search: 'x' };
      await el.updateComplete;
      const heard = oneEvent(document, 'parley-filter-change');
      radio(el, 'mine').click();
      const event = await heard;
      expect(event).to.be.instanceOf(ParleyFilterChangeEvent);
      expect(event.composed).to.equal(true);
      expect(event.detail.filter).to.deep.equal({ statuses: ['open'], assignment: 'mine', search: 'x' });
      await el.updateComplete;
      expect(radio(el, 'mine').checked).to.equal(true);
    });

    it('the status chips emit parley-filter-change, statuses in vocabulary order', async () => {
      const el = await mount();
      const filters = recordFilters(el);
      checkbox(el, 'resolved').click();
      await el.updateComplete;
      checkbox(el, 'open').click();
      await el.updateComplete;
      checkbox(el, 'resolved').click();
      await el.updateComplete;
      expect(filters.map((f) => f.statuses)).to.deep.equal([['resolved'], ['open', 'resolved'], ['open']]);
      expect(filters.every((f) => f.assignment === 'all' && f.search === '')).to.equal(true);
    });

    it('Load more emits parley-load-more; no button without hasMore', async () => {
      const el = await mount();
      expect(root(el).querySelector('[part="load-more"]')).to.equal(null);
      el.hasMore = true;
      await el.updateComplete;
      const button = root(el).querySelector<HTMLButtonElement>('[part="load-more"]');
      expect(button?.textContent?.trim()).to.equal(conversationListStrings.loadMore);
      const heard = oneEvent(document, 'parley-load-more');
      button?.click();
      expect(await heard).to.be.instanceOf(ParleyLoadMoreEvent);
      el.loading = true;
      await el.updateComplete;
      expect(button?.disabled).to.equal(true);
    });
  });

  describe('interaction', () => {
    it('focus starts on the selected option; arrows, Home and End move the active option', async () => {
      const el = await mount({ selectedId: 'b' });
      await focusList(el);
      expect(root(el).activeElement).to.equal(listbox(el));
      expect(activeId(el)).to.equal('b');
      expect(item(el, 'b').hasAttribute('data-active')).to.equal(true);
      await press(el, 'ArrowDown');
      expect(activeId(el)).to.equal('c');
      await press(el, 'ArrowDown');
      expect(activeId(el)).to.equal('c', 'stops at the end');
      await press(el, 'Home');
      expect(activeId(el)).to.equal('a');
      await press(el, 'ArrowUp');
      expect(activeId(el)).to.equal('a', 'stops at the start');
      await press(el, 'End');
      expect(activeId(el)).to.equal('c');
      await press(el, 'ArrowUp');
      expect(activeId(el)).to.equal('b');
    });

    it('Enter and Space select the active option', async () => {
      const el = await mount();
      const selected = recordSelects(el);
      await focusList(el);
      expect(activeId(el)).to.equal('a');
      await press(el, 'ArrowDown');
      await press(el, 'Enter');
      expect(selected).to.deep.equal(['b']);
      expect(item(el, 'b').getAttribute('aria-selected')).to.equal('true');
      await press(el, 'ArrowDown');
      await press(el, 'Space');
      expect(selected).to.deep.equal(['b', 'c']);
    });

    it('a reordered list keeps the keyboard on the same conversation', async () => {
      const el = await mount();
      await focusList(el);
      await press(el, 'ArrowDown');
      expect(activeId(el)).to.equal('b');
      const d = conversation('d');
      el.conversations = [d, C, B, A];
      await el.updateComplete;
      expect(items(el).map((o) => o.dataset['id'])).to.deep.equal(['d', 'c', 'b', 'a']);
      expect(root(el).activeElement).to.equal(listbox(el));
      expect(activeId(el)).to.equal('b');
      await press(el, 'ArrowDown');
      expect(activeId(el)).to.equal('a', 'the next one in the new order');

      // The active conversation leaving the list: the next keystroke starts over at the top.
      el.conversations = [d, C, B];
      await el.updateComplete;
      expect(activeId(el)).to.equal(null);
      await press(el, 'ArrowDown');
      expect(activeId(el)).to.equal('d');
    });
  });
});
