/**
 * What the person had on screen, kept for a reload of the same tab (sessionStorage): the launcher's
 * open panel and composer draft, and the console's open conversation and a draft per conversation.
 * One key per Supabase project (by host, like the outbox and auth keys), and for the console per
 * agent too. Free of Lit and supabase-js, so the launcher stub (src/embed) can read it.
 *
 * Reading never throws and tolerates junk (another build, a host page); writing is best effort.
 */

/** The launcher's panel as the visitor left it. */
export interface LauncherUi {
  readonly open: boolean;
  readonly draft: string;
  /** The current conversation showed, not the home screen: a reload shows it again. */
  readonly thread: boolean;
}

/** The console as the agent left it: the open conversation and the unsent text of each. */
export interface ConsoleUi {
  readonly open: string | null;
  readonly drafts: Readonly<Record<string, string>>;
}

// Not frozen: Object.freeze() at module level is a side effect bundlers keep even where unused.
export const CLOSED_LAUNCHER: LauncherUi = { open: false, draft: '', thread: false };
export const EMPTY_CONSOLE: ConsoleUi = { open: null, drafts: {} };

/** The tab's sessionStorage, or null where reading it throws (sandboxed frames, blocked storage). */
function tabStorage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

function host(projectUrl: string): string {
  try {
    return new URL(projectUrl).host;
  } catch {
    return '';
  }
}

export function launcherUiKey(projectUrl: string): string {
  return `parley-launcher:${host(projectUrl)}`;
}

export function consoleUiKey(projectUrl: string, agentId: string): string {
  return `parley-console:${host(projectUrl)}:${agentId}`;
}

function readJson(key: string): Record<string, unknown> | null {
  try {
    const raw = tabStorage()?.getItem(key) ?? null;
    const value: unknown = raw === null ? null : JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function writeJson(key: string, value: object | null): void {
  try {
    const storage = tabStorage();
    if (value === null) storage?.removeItem(key);
    else storage?.setItem(key, JSON.stringify(value));
  } catch {
    // Best effort: a full or blocked storage loses only what a reload would restore.
  }
}

/** The launcher's stored panel state for the project, or the closed state. Read only. */
export function readLauncherUi(projectUrl: string): LauncherUi {
  const value = readJson(launcherUiKey(projectUrl));
  if (!value) return CLOSED_LAUNCHER;
  return { open: value['open'] === true, draft: typeof value['draft'] === 'string' ? value['draft'] : '', thread: value['thread'] === true };
}

/** Stores the launcher's panel state; a closed panel without a draft leaves nothing behind. */
export function writeLauncherUi(projectUrl: string, ui: LauncherUi): void {
  writeJson(launcherUiKey(projectUrl), ui.open || ui.draft !== '' ? { open: ui.open, draft: ui.draft, thread: ui.thread } : null);
}

/** The console's stored state for the agent on the project, or the empty state. */
export function readConsoleUi(projectUrl: string, agentId: string): ConsoleUi {
  const value = readJson(consoleUiKey(projectUrl, agentId));
  if (!value) return EMPTY_CONSOLE;
  const drafts: Record<string, string> = {};
  const stored = value['drafts'];
  if (typeof stored === 'object' && stored !== null) {
    for (const [id, text] of Object.entries(stored)) if (typeof text === 'string' && text !== '') drafts[id] = text;
  }
  return { open: typeof value['open'] === 'string' ? value['open'] : null, drafts };
}

/** Stores the console's state; an empty state removes the key. */
export function writeConsoleUi(projectUrl: string, agentId: string, ui: ConsoleUi): void {
  const empty = ui.open === null && Object.keys(ui.drafts).length === 0;
  writeJson(consoleUiKey(projectUrl, agentId), empty ? null : ui);
}

/** Forgets the console's state of the agent (on sign-out: the next person in this tab sees none of it). */
export function clearConsoleUi(projectUrl: string, agentId: string): void {
  writeJson(consoleUiKey(projectUrl, agentId), null);
}

/** The same project URL supabase-js was created for, from a host client (its realtime endpoint has the same host). */
export function projectUrlOf(options: { readonly client?: { readonly realtime?: { readonly endPoint?: string } } | undefined; readonly supabaseUrl: string }): string {
  return options.client ? (options.client.realtime?.endPoint ?? '') : options.supabaseUrl;
}
