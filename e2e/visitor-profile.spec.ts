/**
 * Who the visitor is (issue 13, item 3), in two browser contexts: the visitor navigates (a
 * single-page push and a full page load) and the host page identifies them, and the agent's side
 * panel shows it all; identify with the host's verified token shows "Verified", without it
 * "Unverified"; an agent's edit of the email persists across a reload. Screenshots of the console
 * with the side panel, light and dark, desktop and phone; axe in each.
 */
import { mkdirSync } from 'node:fs';
import { SignJWT } from 'jose';
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  agentLog, conversationOption, conversationWith, environment, inbox, launcher, openChat, openCustomerPage, pageErrors,
  person, serviceRows, signInAgent, unique, visitorSends,
} from './helpers.ts';
import { axeViolations } from './axe.ts';
import { DEFAULT_JWT_SECRET } from '../supabase/local/src/keys.ts';

const SCREENSHOTS = 'test-results/screenshots';
mkdirSync(SCREENSHOTS, { recursive: true });

function panel(page: Page): Locator {
  return inbox(page).locator('[part~="customer-panel"]');
}

/** The panel, shown: wide consoles show it at once, narrow ones behind the toggle. */
async function showPanel(page: Page): Promise<Locator> {
  const toggle = inbox(page).getByRole('button', { name: 'Customer details' });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(panel(page)).toBeVisible();
  return panel(page);
}

async function customerOf(conversationId: string): Promise<string> {
  const [row] = await serviceRows<{ customer_id: string }>('conversations', `select=customer_id&id=eq.${conversationId}`);
  if (!row) throw new Error(`no conversation ${conversationId}`);
  return row.customer_id;
}

/** A user of the host site, and the token the site's backend signs for them (third-party auth). */
async function hostToken(claims: Record<string, unknown>): Promise<string> {
  const { apiUrl, serviceRoleKey } = environment();
  const response = await fetch(`${apiUrl}/auth/v1/admin/users`, {
    method: 'POST',
    headers: { apikey: serviceRoleKey, authorization: `Bearer ${serviceRoleKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email: `site-${Math.random().toString(36).slice(2)}@shop.test`, email_confirm: true }),
  });
  if (!response.ok) throw new Error(`create user: ${response.status} ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  return new SignJWT({ role: 'authenticated', aud: 'authenticated', ...claims })
    .setProtectedHeader({ alg: 'HS256' }).setSubject(id).setIssuedAt().setExpirationTime('1h')
    .sign(new TextEncoder().encode(process.env['JWT_SECRET'] ?? DEFAULT_JWT_SECRET));
}

test('the visitor navigates two pages and is identified; the agent\'s side panel shows it, unverified', async ({ browser }) => {
  const text = unique('Which frame suits the lamp print?');
  const visitor = await person(browser);
  await openCustomerPage(visitor.page);
  await openChat(visitor.page);
  await visitorSends(visitor.page, text);
  const customerId = await customerOf(await conversationWith(text));
  await expect.poll(async () => (await serviceRows('customer_visits', `select=id&customer_id=eq.${customerId}`)).length,
    'the page the conversation started on').toBe(1);

  // A single-page navigation: heard, not patched in.
  await visitor.page.evaluate(() => {
    history.pushState({}, '', '/customer/lamps');
    document.title = 'Lamps · Lumen Prints';
  });
  await expect.poll(async () => (await serviceRows<{ url: string }>('customer_visits', `select=url&customer_id=eq.${customerId}&order=id`)).map((v) => v.url))
    .toEqual([expect.stringMatching(/\/customer\/$/), expect.stringMatching(/\/customer\/lamps$/)]);

  // A full page load, identified at once: the call waits on the stub until the chat is loaded.
  await visitor.page.goto(`${environment().demoUrl}/customer/?print=harbour`);
  await visitor.page.evaluate(() => customElements.whenDefined('parley-launcher').then(() => {
    document.querySelector('parley-launcher')?.identify({ name: 'Ada Visitor', email: 'Ada.Visitor@Example.com', plan: 'pro', orders: 3 });
  }));
  await expect.poll(async () => (await serviceRows<{ email: string | null }>('customers', `select=email&user_id=eq.${customerId}`))[0]?.email,
    'identified after the returning visitor connected on idle').toBe('ada.visitor@example.com');
  await expect.poll(async () => (await serviceRows('customer_visits', `select=id&customer_id=eq.${customerId}`)).length).toBe(3);

  // Bad input is refused at once, on the stub, and changes nothing.
  const refused = await visitor.page.evaluate(() => {
    try {
      document.querySelector('parley-launcher')?.identify({ plan: { nested: true } } as unknown as { plan: string });
      return '';
    } catch (error) {
      return String(error);
    }
  });
  expect(refused).toContain('attribute "plan" must be a string');

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [1280, 390]) {
      const agent = await person(browser, { colorScheme, width });
      await signInAgent(agent.page);
      await conversationOption(agent.page, text).click();
      await expect(agentLog(agent.page)).toContainText(text);
      const side = await showPanel(agent.page);
      await expect(side.locator('.customer-name')).toContainText('Ada Visitor');
      await expect(side.locator('.customer-name')).toContainText('Unverified');
      await expect(side.locator('.customer-email')).toContainText('ada.visitor@example.com');
      await expect(side.locator('.customer-email')).toContainText('Unverified');
      await expect(side.locator('.current-page a')).toHaveAttribute('href', /\/customer\/\?print=harbour$/);
      const pages = side.locator('[part~="recent-pages"] li');
      await expect(pages).toHaveCount(3);
      await expect(pages.nth(1)).toContainText('Lamps · Lumen Prints');
      await expect(side).toContainText(/Chrom(e|ium) \d+/);
      await expect(side).toContainText('Linux');
      await expect(side.locator('#customer-attributes')).toBeVisible();
      await expect(side).toContainText('plan');
      await expect(side).toContainText('pro');
      await agent.page.screenshot({ path: `${SCREENSHOTS}/console-customer-panel-${colorScheme}-${width}.png` });
      expect(await axeViolations(agent.page), `${colorScheme} ${width}px`).toEqual([]);
      expect(pageErrors(agent.page)).toEqual([]);
      await agent.context.close();
    }
  }
  expect(pageErrors(visitor.page)).toEqual([]);
  await visitor.context.close();
});

test('identify through the host\'s verified token shows Verified; the payload cannot override it', async ({ browser }) => {
  const text = unique('Signed in on the shop');
  const token = await hostToken({ name: 'Grace Hopper', email: 'grace@navy.test' });
  const visitor = await person(browser);
  await openCustomerPage(visitor.page);
  await visitor.page.evaluate((value) => {
    const el = document.querySelector('parley-launcher');
    if (el) el.accessToken = async () => value;
  }, token);
  await openChat(visitor.page);
  await visitorSends(visitor.page, text);
  await visitor.page.evaluate(() => document.querySelector('parley-launcher')?.identify({ name: 'Not Grace', email: 'spoof@evil.test', tier: 'gold' }));
  const customerId = await customerOf(await conversationWith(text));
  await expect.poll(async () => (await serviceRows<{ attributes: Record<string, unknown> }>('customers', `select=attributes&user_id=eq.${customerId}`))[0]?.attributes)
    .toEqual({ tier: 'gold' });

  const agent = await person(browser);
  await signInAgent(agent.page);
  await conversationOption(agent.page, text).click();
  const side = await showPanel(agent.page);
  await expect(side.locator('.customer-name')).toContainText('Grace Hopper');
  await expect(side.locator('.customer-name [part~="identity-badge"]')).toHaveText('Verified');
  await expect(side.locator('.customer-email')).toContainText('grace@navy.test');
  await expect(side.locator('.customer-email [part~="identity-badge"]')).toHaveText('Verified');
  await expect(side).not.toContainText('spoof@evil.test');
  expect(pageErrors(visitor.page)).toEqual([]);
  await Promise.all([visitor.context.close(), agent.context.close()]);
});

test('an agent edits the customer\'s email; it persists after a reload and renames them in the list', async ({ browser }) => {
  const text = unique('Please use my work address');
  const visitor = await person(browser);
  await openCustomerPage(visitor.page);
  await openChat(visitor.page);
  await visitorSends(visitor.page, text);
  await launcher(visitor.page).evaluate((el) => (el as HTMLElement & { identify(v: object): void }).identify({ email: 'home@example.com' }));
  const customerId = await customerOf(await conversationWith(text));
  await expect.poll(async () => (await serviceRows<{ email: string | null }>('customers', `select=email&user_id=eq.${customerId}`))[0]?.email).toBe('home@example.com');

  const agent = await person(browser);
  await signInAgent(agent.page);
  await conversationOption(agent.page, text).click();
  const side = await showPanel(agent.page);
  await expect(side.locator('.customer-email')).toContainText('home@example.com');
  await side.getByRole('button', { name: 'Edit name and email' }).click();
  const email = side.getByLabel('Email', { exact: true });
  await expect(side.getByLabel('Name', { exact: true }), 'focus moves into the form').toBeFocused();
  await side.getByLabel('Name', { exact: true }).fill('Robin Work');
  await email.fill('robin@work.test');
  await side.getByRole('button', { name: 'Save' }).click();
  await expect(side.locator('.customer-email')).toContainText('robin@work.test');
  await expect(side.locator('.customer-email [part~="identity-badge"]')).toHaveText('Edited by your team');
  await expect(conversationOption(agent.page, text)).toContainText('Robin Work');

  await agent.page.reload();
  await expect(agentLog(agent.page)).toContainText(text, { timeout: 15_000 });
  const again = await showPanel(agent.page);
  await expect(again.locator('.customer-email')).toContainText('robin@work.test');
  await expect(again.locator('.customer-name')).toContainText('Robin Work');
  const [row] = await serviceRows<{ email: string; email_source: string }>('customers', `select=email,email_source&user_id=eq.${customerId}`);
  expect(row).toEqual({ email: 'robin@work.test', email_source: 'agent' });
  expect(pageErrors(agent.page)).toEqual([]);
  await Promise.all([visitor.context.close(), agent.context.close()]);
});
