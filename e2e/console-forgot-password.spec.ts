/**
 * The console's "Forgot password?" loop through the local mail catcher: the agent asks for a reset
 * link, the mail arrives at the catcher (read from its JSON API, as a person reads their inbox), the
 * link opens the console signed in with the new-password form, and the new password then signs in.
 */
import { expect, test } from '@playwright/test';
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { environment, inbox, person } from './helpers.ts';

const JORDAN = { email: 'jordan@parley.test', password: 'parley-agent' } as const;

const NODE = { auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket } };

interface CaughtMail { readonly subject: string; readonly text: string; readonly links: readonly string[] }

async function mailsTo(address: string): Promise<CaughtMail[]> {
  const response = await fetch(`${environment().apiUrl}/mail/api/messages?to=${encodeURIComponent(address)}`);
  return ((await response.json()) as { messages: CaughtMail[] }).messages;
}

test('forgot password: reset mail at the catcher, recovery link, new password', async ({ browser }) => {
  const env = environment();
  const admin = createClient(env.apiUrl, env.serviceRoleKey, NODE);
  const { data: list } = await admin.auth.admin.listUsers();
  const jordan = list.users.find((user) => user.email === JORDAN.email);
  expect(jordan).toBeTruthy();
  const before = (await mailsTo(JORDAN.email)).length;
  const { context, page } = await person(browser);
  try {
    await page.goto(`${env.demoUrl}/console/`);
    const root = inbox(page);
    await root.getByRole('button', { name: 'Forgot password?' }).click();
    await root.locator('#reset-email').fill(JORDAN.email);
    await root.getByRole('button', { name: 'Send reset link' }).click();
    await expect(root.getByRole('status')).toContainText('Check your inbox');

    await expect.poll(async () => (await mailsTo(JORDAN.email)).length).toBe(before + 1);
    const [mail] = await mailsTo(JORDAN.email);
    expect(mail?.subject).toBe('Reset your password');
    const link = mail?.links.find((candidate) => candidate.includes('/auth/v1/verify?'));
    expect(link).toBeTruthy();

    // The catcher's page lists it, as a person would see it.
    const catcher = await context.newPage();
    await catcher.goto(`${env.apiUrl}/mail/?to=${encodeURIComponent(JORDAN.email)}`);
    await expect(catcher.getByRole('heading', { name: 'Reset your password' }).first()).toBeVisible();
    await catcher.screenshot({ path: 'test-results/screenshots/mail-catcher.png', fullPage: true });
    await catcher.getByRole('link', { name: /\/auth\/v1\/verify\?/ }).first().click();

    // The link lands on the console, signed in, asking for a new password.
    await expect(catcher).toHaveURL(/\/console\//);
    const recovered = inbox(catcher);
    await expect(recovered.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
    await recovered.locator('#new-password').fill('parley-new-pass');
    await catcher.screenshot({ path: 'test-results/screenshots/console-new-password.png' });
    await recovered.getByRole('button', { name: 'Save password' }).click();
    await expect(recovered.getByText('Your password was changed.')).toBeVisible();

    const client = createClient(env.apiUrl, env.anonKey, NODE);
    expect((await client.auth.signInWithPassword({ email: JORDAN.email, password: JORDAN.password })).error?.code).toBe('invalid_credentials');
    expect((await client.auth.signInWithPassword({ email: JORDAN.email, password: 'parley-new-pass' })).error).toBeNull();
  } finally {
    await context.close();
    // Other specs sign in as Jordan with the seeded password.
    if (jordan) await admin.auth.admin.updateUserById(jordan.id, { password: JORDAN.password });
  }
});
