/**
 * The admin screen inside the demo console (issue 14): the admin signs in on `/console/#settings`,
 * changes the brand and the accent colour and a visitor's open widget follows live; a role change and
 * a deactivation made in the Team section reach the other agent's open console at once; an
 * invitation made there is accepted by signing up (supabase-js in Node; the local stack confirms at
 * once) and that person then works in the console. axe on every section, screenshots light and
 * dark, desktop and phone. Agents are made fresh for each test, and the settings put back after.
 */
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { axeViolations } from './axe.ts';
import {
  ADMIN, bubble, environment, inbox, launcher, openChat, openCustomerPage, pageErrors, person, serviceRows, visitorLog, visitorSends,
} from './helpers.ts';

const SCREENSHOTS = 'test-results/screenshots';
mkdirSync(SCREENSHOTS, { recursive: true });

const SECTIONS = [
  ['workspace', 'Workspace'], ['hours', 'Business hours'], ['team', 'Team'], ['canned', 'Canned replies'], ['chatbot', 'Chatbot'],
  ['embed', 'Embed snippet'],
] as const;
const FIELDS = 'brand_name,accent_color,reply_email_after_minutes,reply_email_interval_minutes,chatbot_start,chatbot_kind,chatbot_name';
const DEACTIVATED = 'Your access to this workspace was turned off by an admin.';

/** supabase-js in Node, as a person with no browser (sign-up, the admin's set-up and clean-up). */
function nodeClient(): SupabaseClient {
  const { apiUrl, anonKey } = environment();
  return createClient(apiUrl, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
}

let admin: SupabaseClient;
let original: Record<string, unknown> = {};
/** Agents this spec made: deactivated afterwards, so no other spec meets them in the team. */
const made: string[] = [];

test.beforeAll(async () => {
  admin = nodeClient();
  const { error } = await admin.auth.signInWithPassword(ADMIN);
  if (error) throw error;
  [original = {}] = await serviceRows<Record<string, unknown>>('workspace_settings', `select=${FIELDS}`);
});

test.afterAll(async () => {
  const { error } = await admin.from('workspace_settings').update(original).eq('id', true);
  if (error) throw error;
  for (const id of made) await admin.rpc('set_agent_active', { p_agent_id: id, p_active: false });
});

/** Signs up `email` in Node, as someone following an invitation would; the stack confirms at once. */
async function signUp(email: string, password: string): Promise<string> {
  const { data, error } = await nodeClient().auth.signUp({ email, password });
  if (error) throw error;
  expect(data.session, 'signed in at sign-up: no confirmation email on the local stack').not.toBeNull();
  if (!data.user) throw new Error('no user');
  made.push(data.user.id);
  return data.user.id;
}

/** A fresh agent, invited by the admin (through the RPC the Team section calls) and signed up. */
async function newAgent(name: string): Promise<{ id: string; email: string; password: string; name: string }> {
  const email = `e2e-${randomUUID().slice(0, 8)}@parley.test`;
  const password = 'parley-agent';
  const { error } = await admin.rpc('invite_agent', { p_email: email, p_role: 'agent', p_display_name: name });
  if (error) throw error;
  return { id: await signUp(email, password), email, password, name };
}

/** Signs in on the console page at `path`; resolves once the console (inbox or settings) shows. */
async function signIn(page: Page, who: { email: string; password: string }, path = '/console/'): Promise<void> {
  await page.goto(`${environment().demoUrl}${path}`);
  const console = inbox(page);
  await console.getByLabel('Email').fill(who.email);
  await console.getByLabel('Password').fill(who.password);
  await console.getByRole('button', { name: 'Sign in' }).click();
  await expect(console.locator('[part~="header"]')).toBeVisible({ timeout: 15_000 });
}

function settings(page: Page): Locator {
  return inbox(page).locator('parley-settings');
}

const settingsButton = (page: Page): Locator => inbox(page).locator('[part~="settings-button"]');

async function openSection(page: Page, label: string): Promise<void> {
  await settings(page).getByRole('tab', { name: label }).click();
  await expect(settings(page).getByRole('tab', { name: label })).toHaveAttribute('aria-selected', 'true');
  await expect(settings(page).getByText('Loading settings…')).toHaveCount(0);
}

test('the admin opens #settings, changes the brand and the accent colour, and an open widget follows live', async ({ browser }) => {
  const visitor = await person(browser);
  await openCustomerPage(visitor.page);
  await openChat(visitor.page);

  const adminSide = await person(browser);
  await signIn(adminSide.page, ADMIN, '/console/#settings');
  await expect(inbox(adminSide.page)).toHaveAttribute('view', 'settings');
  await expect(settingsButton(adminSide.page)).toHaveAttribute('aria-current', 'page');
  const brand = `Lumen ${randomUUID().slice(0, 4)}`;
  await settings(adminSide.page).getByLabel('Brand name').fill(brand);
  await settings(adminSide.page).getByLabel('Accent colour (hex)').fill('#0f766e');
  await settings(adminSide.page).getByRole('button', { name: 'Save' }).click();
  await expect(settings(adminSide.page).locator('[part~="form-status"]')).toHaveText('Saved.');

  const heading = launcher(visitor.page).getByRole('dialog').getByRole('heading', { level: 2 });
  await expect(heading).toHaveText(brand);
  await expect(bubble(visitor.page)).toHaveCSS('background-color', 'rgb(15, 118, 110)');

  // Back to the inbox: the hash follows, and the way back by the browser's history opens the settings again.
  await inbox(adminSide.page).getByRole('button', { name: 'Back to inbox' }).click();
  await expect(inbox(adminSide.page).getByRole('listbox', { name: 'Conversations' })).toBeVisible();
  expect(new URL(adminSide.page.url()).hash).toBe('');
  await adminSide.page.goBack();
  await expect(settings(adminSide.page)).toBeVisible();
  expect(pageErrors(adminSide.page)).toEqual([]);
  await Promise.all([visitor.context.close(), adminSide.context.close()]);
});

test('reply email minutes: a save persists across a reload; an out-of-range value is refused with its message and nothing is saved', async ({ browser }) => {
  const { context, page } = await person(browser);
  await signIn(page, ADMIN, '/console/#settings');
  const form = settings(page);
  const after = form.getByLabel('Email an unseen reply after (minutes)');
  const interval = form.getByLabel('At most one email per conversation every (minutes)');
  await after.fill('25');
  await interval.fill('120');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.locator('[part~="form-status"]')).toHaveText('Saved.');
  const stored = async (): Promise<unknown> =>
    (await serviceRows('workspace_settings', 'select=reply_email_after_minutes,reply_email_interval_minutes'))[0];
  expect(await stored()).toEqual({ reply_email_after_minutes: 25, reply_email_interval_minutes: 120 });

  await page.reload();
  await expect(settings(page)).toBeVisible({ timeout: 15_000 });
  await expect(after).toHaveValue('25');
  await expect(interval).toHaveValue('120');

  await interval.fill('3');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(interval).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('Enter whole minutes from 5 to 10080.')).toBeVisible();
  await form.locator('[part~="reply-emails"]').screenshot({ path: `${SCREENSHOTS}/console-settings-reply-emails-refused.png` });
  expect(await stored()).toEqual({ reply_email_after_minutes: 25, reply_email_interval_minutes: 120 });
  expect(pageErrors(page)).toEqual([]);
  await context.close();
});

test('every settings section in the console is axe clean, light and dark, desktop and phone', async ({ browser }) => {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [1280, 390]) {
      const { context, page } = await person(browser, { colorScheme, width });
      await signIn(page, ADMIN, '/console/#settings');
      await expect(settings(page)).toBeVisible();
      for (const [section, label] of SECTIONS) {
        await openSection(page, label);
        expect(await axeViolations(page), `${section} ${colorScheme} ${width}`).toEqual([]);
        await page.screenshot({ path: `${SCREENSHOTS}/console-settings-${section}-${colorScheme}-${width}.png` });
      }
      expect(pageErrors(page)).toEqual([]);
      await context.close();
    }
  }
});

test('a role change in the Team section shows or hides Settings in that agent\'s open console at once', async ({ browser }) => {
  const agent = await newAgent(`Role ${randomUUID().slice(0, 4)}`);
  const agentSide = await person(browser);
  await signIn(agentSide.page, agent);
  await expect(settingsButton(agentSide.page)).toHaveCount(0);

  const adminSide = await person(browser);
  await signIn(adminSide.page, ADMIN, '/console/#settings');
  await openSection(adminSide.page, 'Team');
  const role = settings(adminSide.page).getByLabel(`Role of ${agent.name}`);
  await role.selectOption('admin');
  await expect(settingsButton(agentSide.page)).toBeVisible();
  await settingsButton(agentSide.page).click();
  await expect(settings(agentSide.page)).toBeVisible();
  expect(new URL(agentSide.page.url()).hash).toBe('#settings');

  await role.selectOption('agent');
  await expect(settingsButton(agentSide.page)).toHaveCount(0);
  await expect(settings(agentSide.page)).toHaveCount(0);
  await expect(inbox(agentSide.page).getByRole('listbox', { name: 'Conversations' })).toBeVisible();
  await expect.poll(() => new URL(agentSide.page.url()).hash, 'the hash follows the console').toBe('');
  expect(pageErrors(agentSide.page)).toEqual([]);
  await Promise.all([agentSide.context.close(), adminSide.context.close()]);
});

test('deactivation in the Team section cuts that agent\'s open console off with a notice', async ({ browser }) => {
  const agent = await newAgent(`Leaving ${randomUUID().slice(0, 4)}`);
  const agentSide = await person(browser);
  await signIn(agentSide.page, agent);
  await expect(inbox(agentSide.page).getByRole('listbox', { name: 'Conversations' })).toBeVisible();

  const adminSide = await person(browser);
  await signIn(adminSide.page, ADMIN, '/console/#settings');
  await openSection(adminSide.page, 'Team');
  await settings(adminSide.page).getByRole('button', { name: `Deactivate ${agent.name}` }).click();
  await expect(settings(adminSide.page).getByRole('button', { name: `Reactivate ${agent.name}` })).toBeVisible();

  await expect(inbox(agentSide.page).getByRole('alert')).toHaveText(DEACTIVATED);
  await expect(inbox(agentSide.page).getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(inbox(agentSide.page).getByRole('listbox', { name: 'Conversations' })).toHaveCount(0);
  await Promise.all([agentSide.context.close(), adminSide.context.close()]);
});

test('an invitation made in the Team section is accepted by signing up, and that person works in the console', async ({ browser }) => {
  const email = `invited-${randomUUID().slice(0, 8)}@parley.test`;
  const adminSide = await person(browser);
  await signIn(adminSide.page, ADMIN, '/console/#settings');
  await openSection(adminSide.page, 'Team');
  const form = settings(adminSide.page).locator('[part~="invite-form"]');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption('agent');
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await expect(form.locator('[part~="form-status"]')).toContainText('Invitation saved');
  await expect(settings(adminSide.page).locator('[part~="invitation"]').filter({ hasText: email })).toBeVisible();

  await signUp(email, 'parley-invited');
  const invited = await person(browser);
  await signIn(invited.page, { email, password: 'parley-invited' });
  await expect(inbox(invited.page).getByRole('listbox', { name: 'Conversations' })).toBeVisible();
  await expect(settingsButton(invited.page)).toHaveCount(0);
  expect(pageErrors(invited.page)).toEqual([]);
  await Promise.all([adminSide.context.close(), invited.context.close()]);
});

test('an article the admin writes in the Chatbot section answers a visitor at once; deleted, it answers no more', async ({ browser }) => {
  const adminSide = await person(browser);
  await signIn(adminSide.page, ADMIN, '/console/#settings');
  await openSection(adminSide.page, 'Chatbot');
  const form = settings(adminSide.page);
  await form.getByLabel('Start new conversations with the chatbot').selectOption('always');
  await form.getByLabel('Bot name').fill('Lumen helper');
  await form.locator('[part~="chatbot-save-button"]').click();
  await expect(form.locator('[part~="chatbot-form"] [part~="form-status"]')).toHaveText('Saved.');

  // A word no seeded article has, so only this article can match.
  const word = `zorbex${randomUUID().slice(0, 6)}`;
  const answer = `Zorbex frames ship flat-packed (${word}).`;
  await form.getByRole('button', { name: 'New article' }).click();
  await form.getByLabel('Question', { exact: true }).fill(`Do you sell ${word} frames?`);
  await form.getByLabel('Answer', { exact: true }).fill(answer);
  await form.getByLabel('Tags', { exact: true }).fill(`${word}, frames`);
  await form.locator('[part~="article-save-button"]').click();
  await expect(form.locator('[part~="article"]').filter({ hasText: word })).toHaveCount(1);

  const visitor = await person(browser);
  await openCustomerPage(visitor.page);
  await openChat(visitor.page);
  await visitorSends(visitor.page, `Hello, do you sell ${word} frames?`);
  await expect(visitorLog(visitor.page).getByText(answer)).toBeVisible();
  await expect(visitorLog(visitor.page).getByText('Lumen helper')).toBeVisible();
  await visitor.page.screenshot({ path: `${SCREENSHOTS}/console-settings-chatbot-answer.png` });

  const article = form.locator('[part~="article"]').filter({ hasText: word });
  await article.getByRole('button', { name: 'Delete' }).click();
  await article.locator('[part~="confirm-delete-button"]').click();
  await expect(form.locator('[part~="article"]').filter({ hasText: word })).toHaveCount(0);
  expect(await serviceRows('knowledge_articles', `select=id&answer=eq.${encodeURIComponent(answer)}`)).toEqual([]);
  expect(pageErrors(adminSide.page)).toEqual([]);
  expect(pageErrors(visitor.page)).toEqual([]);
  await Promise.all([visitor.context.close(), adminSide.context.close()]);
});
