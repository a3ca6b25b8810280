/**
 * Issue 15, translations end to end: a visitor reads the shop's chat in Arabic (mirrored, on a
 * phone, dark) and an agent the console in Japanese; a message each way; axe in both; screenshots.
 */
import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import ar from '../src/i18n/locales/ar.widget.ts';
import ja from '../src/i18n/locales/ja.widget.ts';
import jaConsole from '../src/i18n/locales/ja.console.ts';
import { axeViolations } from './axe.ts';
import { AGENT, environment, inbox, launcher, pageErrors, person, unique } from './helpers.ts';

const SCREENSHOTS = 'test-results/screenshots';
mkdirSync(SCREENSHOTS, { recursive: true });

test('a visitor writes in Arabic, mirrored; an agent answers from a Japanese console', async ({ browser }) => {
  const visitor = await person(browser, { colorScheme: 'dark', width: 390 });
  const agent = await person(browser);
  const { demoUrl } = environment();
  const text = unique('مرحبا');

  await visitor.page.goto(`${demoUrl}/customer/?lang=ar`);
  await launcher(visitor.page).getByRole('button', { name: ar.launcher.open }).click();
  const dialog = launcher(visitor.page).getByRole('dialog');
  await expect(dialog).toBeVisible();
  const box = launcher(visitor.page).getByRole('textbox', { name: ar.composer.label });
  await expect(box).toBeEnabled({ timeout: 15_000 });
  await expect(box).toHaveAttribute('placeholder', ar.composer.placeholder);
  await expect(box).toHaveCSS('direction', 'rtl');
  await box.fill(text);
  await box.press('Enter');
  const visitorLog = launcher(visitor.page).getByRole('log');
  await expect(visitorLog).toContainText(text);

  await agent.page.goto(`${demoUrl}/console/?lang=ja`);
  const console = inbox(agent.page);
  await console.getByLabel(jaConsole.inbox.email).fill(AGENT.email);
  await console.getByLabel(jaConsole.inbox.password).fill(AGENT.password);
  await console.getByRole('button', { name: jaConsole.inbox.signIn }).click();
  await console.getByRole('option').filter({ hasText: text }).click({ timeout: 15_000 });
  const reply = 'ご連絡ありがとうございます';
  const agentBox = console.getByRole('textbox', { name: ja.composer.label });
  await agentBox.fill(reply);
  await agentBox.press('Enter');
  await expect(console.getByRole('log')).toContainText(reply);
  await expect(visitorLog).toContainText(reply);

  expect(await axeViolations(visitor.page)).toEqual([]);
  expect(await axeViolations(agent.page)).toEqual([]);
  await visitor.page.screenshot({ path: `${SCREENSHOTS}/languages-ar-dark-390.png` });
  await agent.page.screenshot({ path: `${SCREENSHOTS}/languages-ja-light-1280.png` });
  expect(pageErrors(visitor.page)).toEqual([]);
  expect(pageErrors(agent.page)).toEqual([]);
  await visitor.context.close();
  await agent.context.close();
});
