/**
 * Issue 13, items 2 and 4, live: an agent's availability follows their console tabs (closing one
 * of two keeps them online, closing the last turns them offline at once) and their own choice; a
 * visitor's widget may ask who is online. Two agents in one conversation see each other there
 * ("also viewing", "writing a note"), and the visitor's page never hears any of it.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { AxeResults } from 'axe-core';
import type * as Axe from 'axe-core';
import { createRequire } from 'node:module';
import {
  AGENT, agentLog, conversationOption, environment, inbox, onlineAgentIds, pageErrors, person, receivedFrames, signInAgent,
  unique, visitorWritesAgentOpens,
} from './helpers.ts';

const JORDAN = { email: 'jordan@parley.test', password: 'parley-agent', name: 'Jordan Blake' } as const;
const SAM_ID = '00000000-0000-4000-a000-000000000002';
const JORDAN_ID = '00000000-0000-4000-a000-000000000003';
/** Where e2e/look.spec.ts puts its screenshots. */
const SCREENSHOTS = 'test-results/screenshots';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * A new agent, signed up through the Auth admin API and added to the team with the service key:
 * earlier specs' consoles (closed with their context, so their rows lapse only after the TTL)
 * never hold this one online.
 */
async function freshAgent(name: string): Promise<{ id: string; email: string; password: string; name: string }> {
  const env = environment();
  const headers = { apikey: env.serviceRoleKey, authorization: `Bearer ${env.serviceRoleKey}`, 'content-type': 'application/json' };
  const email = `${unique('agent').toLowerCase().replace(/[^a-z0-9]+/g, '-')}@parley.test`;
  const password = 'parley-agent-fresh';
  const created = await fetch(`${env.apiUrl}/auth/v1/admin/users`, {
    method: 'POST', headers, body: JSON.stringify({ email, password, email_confirm: true }),
  });
  expect(created.ok).toBe(true);
  const { id } = (await created.json()) as { id: string };
  const added = await fetch(`${env.apiUrl}/rest/v1/agents`, {
    method: 'POST', headers, body: JSON.stringify({ user_id: id, display_name: name, role: 'agent' }),
  });
  expect(added.ok).toBe(true);
  return { id, email, password, name };
}

/** Every agent back to choosing "online" (a failed run may have left someone away). */
async function everyoneChoosesOnline(): Promise<void> {
  const env = environment();
  const response = await fetch(`${env.apiUrl}/rest/v1/agents?availability=neq.online`, {
    method: 'PATCH',
    headers: { apikey: env.serviceRoleKey, authorization: `Bearer ${env.serviceRoleKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ availability: 'online' }),
  });
  expect(response.ok, await response.text()).toBe(true);
}

test.beforeEach(everyoneChoosesOnline);

function collision(page: Page): Locator {
  return inbox(page).locator('[part~="collision"]');
}

async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const { violations } = await page.evaluate(
    () => (window as unknown as { axe: typeof Axe }).axe.run(document, { resultTypes: ['violations'] }),
  ) as AxeResults;
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

test('availability: online with a console open, still online after closing one of two tabs, offline once the last closes', async ({ browser }) => {
  const avery = await freshAgent('Avery Quinn');
  const { context, page: first } = await person(browser);
  await signInAgent(first, '/console/', avery);
  await expect.poll(onlineAgentIds).toContain(avery.id);
  const second = await context.newPage();
  await second.goto(`${environment().demoUrl}/console/`);
  await expect(inbox(second).getByRole('listbox', { name: 'Conversations' })).toBeVisible({ timeout: 15_000 });
  // The header shows the agent's own status and the team.
  await inbox(second).locator('[part~="team-summary"]').click();
  await expect(inbox(second).getByRole('radio', { name: 'Online' })).toBeChecked();

  await first.close({ runBeforeUnload: true });
  // The closed tab's row went with its pagehide; the other tab still holds the agent online.
  await expect.poll(onlineAgentIds).toContain(avery.id);

  // Their own choice caps it: away is not "online" for visitors.
  await inbox(second).getByRole('radio', { name: 'Away' }).check();
  await expect.poll(onlineAgentIds).not.toContain(avery.id);
  await expect(inbox(second).locator('[part~="team-list"]')).toContainText(`${avery.name}: Away`);
  await inbox(second).getByRole('radio', { name: 'Online' }).check();
  await expect.poll(onlineAgentIds).toContain(avery.id);

  await second.close({ runBeforeUnload: true });
  await expect.poll(onlineAgentIds, { timeout: 10_000 }).not.toContain(avery.id);
  await context.close();
});

test('collision: two agents see each other in a conversation, and what the other writes; the visitor hears none of it', async ({ browser }) => {
  test.slow(); // three people and five axe runs on two shared cores
  const visitor = await person(browser);
  const sam = await person(browser);
  const jordan = await person(browser);
  const text = unique('Who else is here?');
  await visitorWritesAgentOpens(visitor.page, sam.page, text);

  await signInAgent(jordan.page, '/console/', JORDAN);
  // Jordan's first heartbeat brings the team: both agents online.
  await expect(inbox(jordan.page).locator('[part~="team-summary"]')).toContainText('2 online');
  await conversationOption(jordan.page, text).click();
  await expect(agentLog(jordan.page)).toContainText(text);

  await expect(collision(sam.page)).toHaveText(`${JORDAN.name} is also viewing`);
  await expect(collision(jordan.page)).toHaveText(`${AGENT.name} is also viewing`);

  // Jordan writes a note: Sam sees it, the visitor's page hears no typing at all.
  const jordanComposer = inbox(jordan.page).locator('parley-composer');
  await jordanComposer.getByRole('radio', { name: /Note/ }).check();
  await jordanComposer.getByRole('textbox', { name: 'Message' }).pressSequentially('Checking the order first');
  await expect(collision(sam.page)).toHaveText(`${JORDAN.name} is writing a note`);

  // Sam starts a reply: Jordan sees that; the visitor sees Sam typing (the customer's channel).
  await inbox(sam.page).getByRole('textbox', { name: 'Message' }).pressSequentially('On it');
  await expect(collision(jordan.page)).toHaveText(`${AGENT.name} is writing a reply`);

  // Screenshots of the console with the collision indicator: light and dark, desktop and phone.
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [1280, 390]) {
      await sam.page.emulateMedia({ colorScheme });
      await sam.page.setViewportSize({ width, height: width < 600 ? 800 : 860 });
      await expect(collision(sam.page)).toBeVisible();
      await sam.page.screenshot({ path: `${SCREENSHOTS}/console-collision-${colorScheme}-${width}.png` });
      expect(await axe(sam.page), `${colorScheme} ${width}px`).toEqual([]);
    }
  }
  await sam.page.setViewportSize({ width: 1280, height: 860 });
  await sam.page.emulateMedia({ colorScheme: 'light' });
  await inbox(sam.page).locator('[part~="team-summary"]').click();
  await expect(inbox(sam.page).getByRole('list', { name: 'Team availability' })).toContainText(JORDAN.name);
  await sam.page.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'));
  await sam.page.screenshot({ path: `${SCREENSHOTS}/console-team-rtl-1280.png` });
  expect(await axe(sam.page), 'rtl, team list open').toEqual([]);

  // Jordan leaves the conversation: Sam's indicator empties.
  await inbox(jordan.page).locator('parley-conversation-list').getByRole('option').filter({ hasNotText: text }).first().click();
  await expect(collision(sam.page)).toBeHidden();

  // Jordan's id reaches the visitor only as a read marker ("Seen"): never in presence, never composing.
  const heard = receivedFrames(visitor.page);
  expect(heard.filter((frame) => frame.includes('team-presence') || frame.includes('composing'))).toEqual([]);
  expect(heard.filter((frame) => frame.includes('"presence_') && (frame.includes(JORDAN_ID) || frame.includes(SAM_ID)))).toEqual([]);
  for (const who of [visitor, sam, jordan]) expect(pageErrors(who.page)).toEqual([]);
  for (const who of [visitor, sam, jordan]) await who.context.close();
});
