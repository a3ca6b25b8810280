/**
 * What every end-to-end spec shares: where the demo and the stack run (set by global-setup.ts),
 * the two people (a visitor on the customer page, an agent in the console) and the database as
 * the service role sees it, to check what the pages claim.
 */
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';

export interface E2eEnvironment {
  readonly demoUrl: string;
  readonly apiUrl: string;
  readonly anonKey: string;
  readonly serviceRoleKey: string;
}

export function environment(): E2eEnvironment {
  const { PARLEY_E2E_DEMO_URL, PARLEY_E2E_API_URL, PARLEY_E2E_ANON_KEY, PARLEY_E2E_SERVICE_KEY } = process.env;
  if (!PARLEY_E2E_DEMO_URL || !PARLEY_E2E_API_URL || !PARLEY_E2E_ANON_KEY || !PARLEY_E2E_SERVICE_KEY) {
    throw new Error('e2e: the global setup did not run (start the suite with `npm run test:e2e`)');
  }
  return {
    demoUrl: PARLEY_E2E_DEMO_URL,
    apiUrl: PARLEY_E2E_API_URL,
    anonKey: PARLEY_E2E_ANON_KEY,
    serviceRoleKey: PARLEY_E2E_SERVICE_KEY,
  };
}

export const AGENT = { email: 'agent@parley.test', password: 'parley-agent', name: 'Sam Rivera' } as const;
export const ADMIN = { email: 'admin@parley.test', password: 'parley-admin', name: 'Maya Chen' } as const;

/**
 * The realtime transport the running Playwright project gives the pages (playwright.config.ts): the
 * `broadcast` project runs the key specs again in scale mode.
 */
export function realtimeTransport(): 'postgres-changes' | 'broadcast' {
  return test.info().project.metadata['realtime'] === 'broadcast' ? 'broadcast' : 'postgres-changes';
}

/** Realtime frames each page sent and received (text, and binary broadcasts as UTF-8), across reloads. */
const frames = new WeakMap<Page, { sent: string[]; received: string[] }>();

/**
 * A fresh browser context (its own storage: a new visitor or a signed-out agent) and one page in it.
 * In the `broadcast` project every `<parley-launcher>` and `<parley-inbox>` of its pages gets
 * `realtime="broadcast"` before the page's scripts run, as a site would write it.
 */
export async function person(browser: Browser, options: { colorScheme?: 'light' | 'dark'; width?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const width = options.width ?? 1280;
  const context = await browser.newContext({
    viewport: { width, height: width < 600 ? 800 : 860 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const transport = realtimeTransport();
  if (transport !== 'postgres-changes') {
    // Parsing ends ("interactive") before module scripts run, so the roots have it when they start.
    await context.addInitScript((value) => document.addEventListener('readystatechange', () => {
      for (const root of document.querySelectorAll('parley-launcher, parley-inbox')) root.setAttribute('realtime', value);
    }), transport);
  }
  const page = await context.newPage();
  const log = { sent: [] as string[], received: [] as string[] };
  frames.set(page, log);
  page.on('websocket', (socket) => {
    if (!socket.url().includes('/realtime/v1/websocket')) return;
    socket.on('framesent', ({ payload }) => log.sent.push(String(payload)));
    socket.on('framereceived', ({ payload }) => log.received.push(String(payload)));
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  (page as Page & { parleyErrors?: string[] }).parleyErrors = errors;
  return { context, page };
}

/** Every realtime frame the page of {@link person} received so far, as text. */
export function receivedFrames(page: Page): readonly string[] {
  return frames.get(page)?.received ?? [];
}

/**
 * The page heard the chat through the project's transport: in scale mode it joined the private
 * `parley:` topics and asked for no postgres_changes; otherwise the reverse.
 */
export function expectRealtimeTransport(page: Page): void {
  const joins = (frames.get(page)?.sent ?? []).filter((frame) => frame.includes('"phx_join"'));
  // The chat's broadcast topics; agents' presence topics (`parley:team-presence:`) join on either transport.
  const broadcast = joins.some((frame) => /"realtime:parley:(thread|team-thread|customer|inbox)\b/.test(frame));
  // The console's own channel (`parley-console:`: its agent row and the canned replies) stays on
  // postgres_changes in both modes: agents only, and rare changes.
  const changes = joins.some((frame) => frame.includes('"postgres_changes":[{') && !frame.includes('"realtime:parley-console:'));
  expect({ broadcast, changes }, `the page's realtime joins (${realtimeTransport()})`)
    .toEqual(realtimeTransport() === 'broadcast' ? { broadcast: true, changes: false } : { broadcast: false, changes: true });
}

/** Console errors and uncaught exceptions the page logged so far. */
export function pageErrors(page: Page): readonly string[] {
  return (page as Page & { parleyErrors?: string[] }).parleyErrors ?? [];
}

// ---- the visitor --------------------------------------------------------------------------------

export function launcher(page: Page): Locator {
  return page.locator('parley-launcher');
}

/** The launcher's bubble, whatever its current name ("Open chat", "Open chat, 2 unread", "Hide chat"). */
export function bubble(page: Page): Locator {
  return launcher(page).getByRole('button', { name: /chat/i }).last();
}

export function visitorLog(page: Page): Locator {
  return launcher(page).getByRole('log');
}

export async function openCustomerPage(page: Page): Promise<void> {
  await page.goto(`${environment().demoUrl}/customer/`);
  await expect(bubble(page)).toBeVisible();
}

export async function openChat(page: Page): Promise<void> {
  await launcher(page).getByRole('button', { name: /^Open chat/ }).click();
  await expect(launcher(page).getByRole('dialog')).toBeVisible();
  await expect(launcher(page).getByRole('textbox', { name: 'Message' })).toBeEnabled({ timeout: 15_000 });
}

/** Tells the page it is hidden (or shown again), as switching tabs does. */
export async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hide) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hide ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hide });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

export async function visitorSends(page: Page, text: string): Promise<void> {
  const box = launcher(page).getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await expect(visitorLog(page)).toContainText(text);
}

// ---- the agent ----------------------------------------------------------------------------------

export function inbox(page: Page): Locator {
  return page.locator('parley-inbox');
}

export async function signInAgent(page: Page, path = '/console/', who: { email: string; password: string } = AGENT): Promise<void> {
  await page.goto(`${environment().demoUrl}${path}`);
  const console = inbox(page);
  await console.getByLabel('Email').fill(who.email);
  await console.getByLabel('Password').fill(who.password);
  await console.getByRole('button', { name: 'Sign in' }).click();
  await expect(console.getByRole('listbox', { name: 'Conversations' })).toBeVisible({ timeout: 15_000 });
}

/** The list option of the conversation whose preview or subject shows `text`. */
export function conversationOption(page: Page, text: string): Locator {
  return inbox(page).getByRole('option').filter({ hasText: text });
}

export function agentLog(page: Page): Locator {
  return inbox(page).getByRole('log');
}

export async function agentReplies(page: Page, text: string): Promise<void> {
  const box = inbox(page).getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await expect(agentLog(page)).toContainText(text);
}

export function connectionStatus(page: Page, root: Locator): Locator {
  return root.locator('parley-status');
}

// ---- the server ----------------------------------------------------------------------------------

/**
 * Takes the stack down (`true`: new connections refused, open ones dropped, as after a crash) or
 * brings it back on the same port (`false`); resolves once done. global-setup.ts serves this.
 */
export async function serverOutage(down: boolean): Promise<void> {
  const control = process.env['PARLEY_E2E_CONTROL_URL'];
  if (!control) throw new Error('e2e: the global setup did not start its control endpoint');
  const response = await fetch(`${control}/outage?down=${down ? 1 : 0}`, { method: 'POST' });
  if (!response.ok) throw new Error(`outage(${down}): ${response.status} ${await response.text()}`);
}

// ---- the database, as the service role sees it ----------------------------------------------------

/** Rows of a table through PostgREST with the service role (RLS bypassed): what really is stored. */
/** `count` attachments in `root`, every thumbnail loaded and every file card linked. */
export async function expectAttachmentsShown(root: Locator, count: number): Promise<void> {
  await expect(root.locator('parley-attachment')).toHaveCount(count, { timeout: 20_000 });
  await expect.poll(() => root.locator('parley-attachment').evaluateAll((nodes) => nodes.every((node) => {
    const img = node.shadowRoot?.querySelector('img');
    return img ? img.complete && img.naturalWidth > 0 : node.shadowRoot?.querySelector('a[href]') != null;
  })), { timeout: 20_000 }).toBe(true);
}

/** Changes the workspace settings row as the service role (the admin screen's own tests go through the UI). */
export async function updateSettings(changes: Record<string, unknown>): Promise<void> {
  const { apiUrl, serviceRoleKey } = environment();
  const response = await fetch(`${apiUrl}/rest/v1/workspace_settings?id=eq.true`, {
    method: 'PATCH',
    headers: { apikey: serviceRoleKey, authorization: `Bearer ${serviceRoleKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(changes),
  });
  if (!response.ok) throw new Error(`settings: ${response.status} ${await response.text()}`);
}

export async function serviceRows<T>(table: string, query: string): Promise<T[]> {
  const env = environment();
  const response = await fetch(`${env.apiUrl}/rest/v1/${table}?${query}`, {
    headers: { apikey: env.serviceRoleKey, authorization: `Bearer ${env.serviceRoleKey}` },
  });
  if (!response.ok) throw new Error(`${table}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T[];
}

export async function messagesOf(conversationId: string): Promise<{ seq: number; content: string; sender_type: string }[]> {
  return serviceRows('messages', `select=seq,content,sender_type&conversation_id=eq.${conversationId}&order=seq.asc`);
}

/** The conversation a visitor message started, found by its unique text. */
export async function conversationWith(text: string): Promise<string> {
  await expect.poll(async () => (await serviceRows('messages', `select=conversation_id&content=eq.${encodeURIComponent(text)}`)).length).toBe(1);
  const [row] = await serviceRows<{ conversation_id: string }>('messages', `select=conversation_id&content=eq.${encodeURIComponent(text)}`);
  if (!row) throw new Error(`no message "${text}"`);
  return row.conversation_id;
}

/** A text no other test (or earlier run) could have sent. */
export function unique(label: string): string {
  return `${label} ${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * The opening most two-person specs share: the visitor writes `text` from the shop, the agent signs
 * in and opens that conversation. Both pages are then live on one conversation.
 */
export async function visitorWritesAgentOpens(visitor: Page, agent: Page, text: string): Promise<void> {
  await openCustomerPage(visitor);
  await openChat(visitor);
  await visitorSends(visitor, text);
  await signInAgent(agent);
  await conversationOption(agent, text).click();
  await expect(agentLog(agent)).toContainText(text);
}

let teamReader: string | null = null;

/**
 * Who a visitor's widget shows as online (`team_online()`, as an anonymous visitor's session). A console
 * closed with its context may never send its leave; its row lapses after the TTL (150 s).
 */
export async function onlineAgentIds(): Promise<string[]> {
  const env = environment();
  if (teamReader === null) {
    // An anonymous sign-in, as the widget makes one: the anon key alone runs no function.
    const signUp = await fetch(`${env.apiUrl}/auth/v1/signup`, {
      method: 'POST', headers: { apikey: env.anonKey, 'content-type': 'application/json' }, body: '{}',
    });
    expect(signUp.ok).toBe(true);
    teamReader = ((await signUp.json()) as { access_token: string }).access_token;
  }
  const response = await fetch(`${env.apiUrl}/rest/v1/rpc/team_online`, {
    method: 'POST',
    headers: { apikey: env.anonKey, authorization: `Bearer ${teamReader}`, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(response.ok).toBe(true);
  const body = (await response.json()) as { online: boolean; agents: { id: string }[] };
  return body.agents.map((a) => a.id).sort();
}
