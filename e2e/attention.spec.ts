/**
 * Attention (#13.1), live in Chromium against the local stack. Sounds are counted through the
 * injectable `audioSink` of each root, never by timing; a desktop notification is Chromium's own
 * (permission granted to the context), recorded as it is constructed and clicked by dispatching the
 * event a click on it fires. Headless pages are always visible, so "the tab is hidden" is the
 * page's visibility state overridden and announced as the browser would.
 */
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { expect, test, type BrowserContext, type Locator, type Page } from '@playwright/test';
import type * as Axe from 'axe-core';
import {
  agentLog, agentReplies, conversationOption, conversationWith, environment, inbox, launcher, openChat, openCustomerPage, pageErrors, person, setHidden, signInAgent, unique, visitorLog, visitorSends,
} from './helpers.ts';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const SCREENSHOTS = 'test-results/screenshots';
const CONSOLE_TITLE = 'Agent console · Parley demo';

declare global {
  interface Window {
    __plays?: string[];
    __notes?: Notification[];
    __selected?: string;
  }
}

/** Records every notification the page constructs (the real API underneath). */
async function recordNotifications(context: BrowserContext): Promise<void> {
  await context.grantPermissions(['notifications'], { origin: environment().demoUrl });
  await context.addInitScript(() => {
    const Real = window.Notification;
    window.__notes = [];
    class Recorded extends Real {
      static override get permission(): NotificationPermission {
        return Real.permission;
      }
      static override requestPermission(): Promise<NotificationPermission> {
        return Real.requestPermission();
      }
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        window.__notes?.push(this);
      }
    }
    window.Notification = Recorded;
  });
}

/** Console errors of a page opened without {@link person} (a second tab). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

/** Gives the root a sink that counts what it plays. */
async function countSounds(root: Locator): Promise<void> {
  await root.evaluate((el) => {
    window.__plays = [];
    (el as HTMLElement & { audioSink: unknown }).audioSink = { play: (sound: string) => window.__plays?.push(sound) };
  });
}

function plays(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window.__plays ?? [])]);
}

function notes(page: Page): Promise<{ title: string; body: string }[]> {
  return page.evaluate(() => (window.__notes ?? []).map((n) => ({ title: n.title, body: n.body })));
}

/** The total of the unread badges the list shows. */
async function shownUnreadTotal(page: Page): Promise<number> {
  return inbox(page).locator('parley-conversation-list [part~="unread-badge"]:not([hidden]) [aria-hidden="true"]')
    .evaluateAll((badges) => badges.reduce((sum, badge) => sum + Number(badge.textContent), 0));
}

function alerts(page: Page): Locator {
  return inbox(page).locator('[part~="alerts"]');
}

async function openAlerts(page: Page): Promise<void> {
  await alerts(page).locator('summary').click();
  await expect(alerts(page).getByRole('group', { name: 'How the console gets your attention' })).toBeVisible();
}

mkdirSync(SCREENSHOTS, { recursive: true });

test('two console tabs: one rings and notifies, a click opens the conversation, the title counts, the other takes over', async ({ browser }) => {
  const agent = await person(browser);
  await recordNotifications(agent.context);
  const first = agent.page;
  await signInAgent(first);
  // Same context: the second tab shares the sign-in and queues for the same lock.
  const second = await agent.context.newPage();
  const secondErrors = watchErrors(second);
  await second.goto(`${environment().demoUrl}/console/`);
  await expect(inbox(second).getByRole('listbox', { name: 'Conversations' })).toBeVisible({ timeout: 15_000 });
  await countSounds(inbox(first));
  await countSounds(inbox(second));

  // The agent turns desktop notifications on, in the first tab (the click asks the browser).
  await openAlerts(first);
  const notify = alerts(first).getByRole('checkbox', { name: 'Desktop notifications' });
  await expect(notify).not.toBeChecked();
  await notify.check();
  await expect(notify).toBeChecked();
  // The other tab follows the choice (it may be the one that rings later).
  await openAlerts(second);
  await expect(alerts(second).getByRole('checkbox', { name: 'Desktop notifications' })).toBeChecked();

  const visitor = await person(browser);
  const hello = unique('Is the linen cover in stock?');
  await openCustomerPage(visitor.page);
  await openChat(visitor.page);
  await visitorSends(visitor.page, hello);

  // Both tabs listed it, so both have judged it: exactly one rang, once, for a new conversation.
  await expect(conversationOption(first, hello)).toBeVisible();
  await expect(conversationOption(second, hello)).toBeVisible();
  const rung = [...await plays(first), ...await plays(second)];
  expect(rung).toEqual(['conversation']);
  const leader = (await plays(first)).length === 1 ? first : second;
  const other = leader === first ? second : first;
  expect(await notes(leader)).toEqual([expect.objectContaining({ title: expect.stringMatching(/^New conversation from /), body: hello })]);
  expect(await notes(other)).toEqual([]);

  // The tab title carries the unread count, in both tabs.
  for (const page of [first, second]) {
    await expect.poll(async () => `${await page.title()} / ${await shownUnreadTotal(page)}`)
      .toMatch(new RegExp(`^\\((\\d+)\\) ${CONSOLE_TITLE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} / \\1$`));
  }

  // A click on the notification focuses that conversation in its tab, and the host hears the pick.
  await inbox(leader).evaluate((el) => el.addEventListener('parley-conversation-select', (e) => {
    window.__selected = (e as CustomEvent<{ id: string }>).detail.id;
  }));
  await leader.evaluate(() => window.__notes?.[0]?.dispatchEvent(new Event('click')));
  await expect(agentLog(leader)).toContainText(hello);
  expect(await leader.evaluate(() => window.__selected)).toBe(await conversationWith(hello));

  // A message in the conversation the agent is looking at rings nothing.
  const again = unique('Also, do you gift wrap?');
  await visitorSends(visitor.page, again);
  await expect(agentLog(leader)).toContainText(again);
  await expect(conversationOption(other, again)).toBeVisible();
  expect([...await plays(first), ...await plays(second)]).toEqual(['conversation']);

  // The ringing tab closes: the other takes over and rings for a message it is not looking at.
  await leader.close();
  const third = unique('Hello? Anyone there?');
  await visitorSends(visitor.page, third);
  await expect(conversationOption(other, third)).toBeVisible();
  await expect.poll(() => plays(other)).toEqual(['message']);

  expect(leader === first ? secondErrors : pageErrors(first)).toEqual([]);
  expect(pageErrors(visitor.page)).toEqual([]);
  await visitor.context.close();
  await agent.context.close();
});

test('settings: each channel turns off and stays off after a reload; axe clean; light, dark, phone, rtl', async ({ browser }) => {
  for (const [colorScheme, width, dir] of [['light', 1280, 'ltr'], ['dark', 1280, 'ltr'], ['light', 390, 'ltr'], ['light', 1280, 'rtl']] as const) {
    const { context, page } = await person(browser, { colorScheme, width });
    await signInAgent(page);
    if (dir === 'rtl') await page.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'));
    await openAlerts(page);
    await page.screenshot({ path: `${SCREENSHOTS}/console-alerts-${colorScheme}-${width}-${dir}.png` });
    await page.addScriptTag({ path: AXE });
    const { violations } = await page.evaluate(() => (window as unknown as { axe: typeof Axe }).axe.run(document, { resultTypes: ['violations'] }));
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }

  const { context, page } = await person(browser);
  await signInAgent(page);
  await countSounds(inbox(page));
  await openAlerts(page);
  const sound = alerts(page).getByRole('checkbox', { name: 'Sound' });
  const title = alerts(page).getByRole('checkbox', { name: 'Unread count in the tab' });
  await expect(sound).toBeChecked();
  await expect(title).toBeChecked();
  await expect(page).toHaveTitle(/^\(\d+\) /);
  await title.uncheck();
  await expect(page).toHaveTitle(CONSOLE_TITLE);
  await sound.uncheck();
  await page.reload();
  await expect(inbox(page).getByRole('listbox', { name: 'Conversations' })).toBeVisible({ timeout: 15_000 });
  await countSounds(inbox(page));
  await openAlerts(page);
  await expect(alerts(page).getByRole('checkbox', { name: 'Sound' })).not.toBeChecked();
  await expect(alerts(page).getByRole('checkbox', { name: 'Unread count in the tab' })).not.toBeChecked();
  await expect(page).toHaveTitle(CONSOLE_TITLE);

  // With sound off, a new conversation plays nothing (judged once the list shows it).
  const visitor = await person(browser);
  const hello = unique('Quiet please');
  await openCustomerPage(visitor.page);
  await openChat(visitor.page);
  await visitorSends(visitor.page, hello);
  await expect(conversationOption(page, hello)).toBeVisible();
  expect(await plays(page)).toEqual([]);
  expect(pageErrors(page)).toEqual([]);
  await visitor.context.close();
  await context.close();
});

test('visitor: a reply in a hidden tab changes the title until they come back; the sound plays only with `sound`', async ({ browser }) => {
  const visitor = await person(browser);
  const agent = await person(browser);
  const page = visitor.page;
  await openCustomerPage(page);
  const shopTitle = await page.title();
  await openChat(page);
  // The script tag's element mounts the full launcher inside itself once the chat loads: the sink is its property.
  await launcher(page).evaluate((el) => {
    window.__plays = [];
    const app = [...(el.shadowRoot?.querySelectorAll('*') ?? [])].find((node) => 'audioSink' in node);
    if (!app) throw new Error('the full launcher is not mounted');
    (app as Element & { audioSink: unknown }).audioSink = { play: (sound: string) => window.__plays?.push(sound) };
  });
  const hello = unique('When does my order ship?');
  await visitorSends(page, hello);
  await signInAgent(agent.page);
  await conversationOption(agent.page, hello).click();
  await expect(agentLog(agent.page)).toContainText(hello);

  // Visible: a reply changes nothing.
  const seen = unique('Tomorrow morning.');
  await agentReplies(agent.page, seen);
  await expect(visitorLog(page)).toContainText(seen);
  await expect(page).toHaveTitle(shopTitle);

  // Hidden, without `sound`: the title changes, nothing plays.
  await setHidden(page, true);
  const quiet = unique('It is packed.');
  await agentReplies(agent.page, quiet);
  await expect(visitorLog(page)).toContainText(quiet);
  await expect(page).toHaveTitle(`New reply · ${shopTitle}`);
  expect(await plays(page)).toEqual([]);
  await setHidden(page, false);
  await expect(page).toHaveTitle(shopTitle);

  // With `sound` on the host element: one soft sound per reply while hidden.
  await launcher(page).evaluate((el) => el.setAttribute('sound', ''));
  await setHidden(page, true);
  const loud = unique('Shipped!');
  await agentReplies(agent.page, loud);
  await expect(visitorLog(page)).toContainText(loud);
  await expect(page).toHaveTitle(`New reply · ${shopTitle}`);
  expect(await plays(page)).toEqual(['reply']);
  await setHidden(page, false);
  await expect(page).toHaveTitle(shopTitle);

  expect(pageErrors(page)).toEqual([]);
  expect(pageErrors(agent.page)).toEqual([]);
  await visitor.context.close();
  await agent.context.close();
});
