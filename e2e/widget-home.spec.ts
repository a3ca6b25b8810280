/**
 * The launcher's home screen and away mode (issue 15, items 1 and 2), in two browser contexts: an
 * agent's console signing in and out, and a visitor's widget that shows who is online live; with
 * nobody online the widget is away, takes the message and asks for an email, which reaches
 * Supabase Auth (checked through the service role).
 */
import { expect, test } from '@playwright/test';
import { axeViolations } from './axe.ts';
import {
  conversationWith, environment, inbox, launcher, onlineAgentIds, openChat, openCustomerPage, pageErrors, person, serviceRows, signInAgent, unique, updateSettings, visitorLog,
} from './helpers.ts';

test('the home screen shows the online agent live, and away mode asks for an email once nobody is online', async ({ browser }) => {
  // "Nobody online" needs every earlier spec's console gone: one closed with its context may not
  // have sent its leave, and counts until its row lapses.
  test.setTimeout(240_000);
  await expect.poll(onlineAgentIds, { timeout: 160_000, intervals: [1000] }).toEqual([]);
  const agent = await person(browser);
  await signInAgent(agent.page);
  const visitor = await person(browser);
  await openCustomerPage(visitor.page);
  await openChat(visitor.page);
  const dialog = launcher(visitor.page).getByRole('dialog');
  const team = dialog.getByRole('list', { name: 'Online now' });
  await expect(team).toContainText('Sam Rivera');
  await expect(dialog.getByRole('button', { name: 'Send us a message' })).toBeVisible();
  await expect(dialog.locator('[part~="subtitle"]')).not.toHaveAttribute('part', /away/);
  expect(await axeViolations(visitor.page)).toEqual([]);

  // The agent signs out (the console leaves): the visitor's home screen follows without a reload.
  await inbox(agent.page).getByRole('button', { name: 'Sign out' }).click();
  await expect(inbox(agent.page).getByRole('button', { name: 'Sign in' })).toBeVisible();
  await agent.context.close();
  await expect(team).toHaveCount(0, { timeout: 20_000 });
  await expect(dialog.locator('[part~="subtitle"]')).toHaveAttribute('part', /away/);

  // Away: the message is taken, then the thread asks for an email.
  const box = launcher(visitor.page).getByRole('textbox', { name: 'Message' });
  const question = unique('Is anyone there?');
  await box.fill(question);
  await box.press('Enter');
  await expect(visitorLog(visitor.page)).toContainText(question);
  const ask = dialog.locator('[part~="email-ask"]');
  await expect(ask).toBeVisible();
  const address = `e2e-${Date.now().toString(36)}@example.com`;
  await ask.getByLabel('Your email').fill(address);
  await ask.getByRole('button', { name: 'Send' }).click();
  await expect(dialog.locator('[part~="email-given"]')).toContainText(address);

  // Through the service role: the visitor's auth user has the address (applied, or awaiting its confirmation).
  const { apiUrl, serviceRoleKey } = environment();
  const [row] = await serviceRows<{ customer_id: string }>('conversations', `select=customer_id&id=eq.${await conversationWith(question)}`);
  const userId = row?.customer_id ?? '';
  const response = await fetch(`${apiUrl}/auth/v1/admin/users/${userId}`, { headers: { apikey: serviceRoleKey, authorization: `Bearer ${serviceRoleKey}` } });
  expect(response.status).toBe(200);
  const user = (await response.json()) as { email?: string; new_email?: string };
  expect([user.email, user.new_email]).toContain(address);
  expect(pageErrors(visitor.page)).toEqual([]);
  await visitor.context.close();
});

test('away mode follows the business hours at a fixed clock, with an agent online all along', async ({ browser }) => {
  const [original] = await serviceRows<{ business_hours: unknown; away_message: string }>('workspace_settings', 'select=business_hours,away_message');
  // Open Mondays 09:00–17:00 in Paris; 2026-12-07 is a Monday.
  const weekdays = { mon: [['09:00', '17:00']], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  await updateSettings({ business_hours: { enabled: true, timezone: 'Europe/Paris', weekly: weekdays, holidays: [] }, away_message: 'Back Monday at nine.' });
  const agent = await person(browser);
  try {
    await signInAgent(agent.page);
    const subtitleAt = async (instant: string) => {
      const visitor = await person(browser);
      // Only the visitor's clock is fixed: the server, the agent and the sockets' timers run on real time.
      await visitor.page.clock.setFixedTime(new Date(instant));
      await openCustomerPage(visitor.page);
      await openChat(visitor.page);
      const dialog = launcher(visitor.page).getByRole('dialog');
      await expect(dialog.getByRole('list', { name: 'Online now' })).toContainText('Sam Rivera');
      return { visitor, subtitle: dialog.locator('[part~="subtitle"]') };
    };

    // 16:30 UTC is 17:30 in Paris: closed, so away although Sam is online.
    const evening = await subtitleAt('2026-12-07T16:30:00Z');
    await expect(evening.subtitle).toHaveAttribute('part', /away/);
    await expect(evening.subtitle).toHaveText('Back Monday at nine.');
    await evening.visitor.page.screenshot({ path: 'test-results/screenshots/widget-home-away-evening.png' });
    expect(pageErrors(evening.visitor.page)).toEqual([]);
    await evening.visitor.context.close();

    // 08:30 UTC is 09:30 in Paris: open and Sam online, so the reply time, not the away message.
    const morning = await subtitleAt('2026-12-07T08:30:00Z');
    await expect(morning.subtitle).not.toHaveAttribute('part', /away/);
    await expect(morning.subtitle).not.toHaveText('Back Monday at nine.');
    expect(pageErrors(morning.visitor.page)).toEqual([]);
    await morning.visitor.context.close();
  } finally {
    await updateSettings({ business_hours: original?.business_hours, away_message: original?.away_message });
    await agent.context.close();
  }
});
