/**
 * The local stack in a child process on a fresh, throw-away database, for benchmarks and browser
 * test runners: the parent's event loop stays free for its own work. Reports `{url, keys,
 * databaseUrl}` over IPC once listening; answers `{type: 'stats'}`; `{type: 'outage', down}`
 * makes the server crash and come back (see below); stops when the parent disconnects.
 * `PARLEY_LOG_FILE` appends the stack's log to a file. Auth rate limits are raised (every browser
 * and benchmark client comes from 127.0.0.1, and suites sign in hundreds of times);
 * `PARLEY_AUTH_RATE_LIMITS` (JSON, the `authRateLimits` option) sets them instead, and
 * `{type: 'auth-clock', advanceMs}` moves the clock their buckets refill by (answered with
 * `{type: 'auth-clock'}`), so a test can let a refused client wait without waiting.
 * The chatbot's worker runs alongside, as with `npm start` (`PARLEY_BOT=off` leaves it out): it
 * answers only conversations whose chatbot is on, and a fresh database starts none with it on
 * (chatbot_start 'never'), so only suites that turn the bot on meet it.
 */
import { appendFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import type { Socket } from 'node:net';
import path from 'node:path';
import { createBotWorker } from '../../worker/bot/worker.ts';
import { createLocalStack, type LocalStackOptions } from './index.ts';

export interface ChildStackBoot {
  readonly url: string;
  readonly keys: { readonly anon: string; readonly serviceRole: string; readonly jwtSecret: string };
  readonly databaseUrl: string;
}

const logFile = process.env.PARLEY_LOG_FILE;
const RAISED_RATE_LIMITS = {
  anonymousUsers: 1_000_000, signInSignUps: 1_000_000, tokenRefresh: 1_000_000, emailSent: 1_000_000, tokenVerifications: 1_000_000,
};
// Validated by createLocalStack, which names the field that is wrong.
const authRateLimits = process.env.PARLEY_AUTH_RATE_LIMITS
  ? (JSON.parse(process.env.PARLEY_AUTH_RATE_LIMITS) as LocalStackOptions['authRateLimits'])
  : RAISED_RATE_LIMITS;
let authClockAdvance = 0;
const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'parley-child-')), 'db');
const stack = await createLocalStack({
  dataDir,
  ephemeral: true,
  fsync: false,
  // Anything but an object goes as it is, for createLocalStack to refuse by name.
  authRateLimits: typeof authRateLimits === 'object' && authRateLimits !== null
    ? { ...authRateLimits, clock: () => performance.now() + authClockAdvance }
    : authRateLimits,
  // Suites sign agents up and use them at once; `PARLEY_EMAIL_CONFIRMATIONS=1` makes them wait for the mail.
  emailConfirmations: process.env.PARLEY_EMAIL_CONFIRMATIONS === '1',
  // Suites ask for mail again within a minute; the per-user interval has its own node test.
  emailMaxFrequencySeconds: 0,
  log: logFile ? (line) => appendFileSync(logFile, `${line}\n`) : () => undefined,
});
// Every open connection (HTTP keep-alive and upgraded WebSockets alike), so an outage can drop
// them; tracked from the start, the bot worker's own connections included (an untracked one kept
// the server from ever closing).
const sockets = new Set<Socket>();
stack.server.on('connection', (socket: Socket) => {
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
});
const url = await stack.listen(0);
const bot = process.env.PARLEY_BOT === 'off' ? undefined : createBotWorker({
  supabaseUrl: url, serviceRoleKey: stack.keys.serviceRole,
  log: logFile ? (line) => appendFileSync(logFile, `${line}\n`) : () => undefined,
});
await bot?.start();
const boot: ChildStackBoot = { url, keys: stack.keys, databaseUrl: stack.databaseUrl };
process.send?.(boot);

/**
 * What clients see of a crashed server that restarts on the same port: `down` stops listening
 * (new connections are refused) and drops every open connection; `up` listens on the same port
 * again. The database, keys and sessions survive, as they do when only the API process restarts.
 */
async function outage(down: boolean): Promise<void> {
  if (down) {
    const closed = new Promise<void>((resolve) => stack.server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  } else if (!stack.server.listening) {
    await stack.listen(Number(new URL(url).port));
  }
}

process.on('message', (message: { type?: string; down?: boolean; advanceMs?: number }) => {
  if (message.type === 'stats') process.send?.({ type: 'stats', stats: stack.realtime.stats() });
  if (message.type === 'auth-clock') {
    authClockAdvance += Math.max(0, Number(message.advanceMs) || 0);
    process.send?.({ type: 'auth-clock' });
  }
  if (message.type === 'outage') {
    void outage(message.down === true).then(
      () => process.send?.({ type: 'outage', down: message.down === true }),
      (error: unknown) => process.send?.({ type: 'outage', error: String(error) }),
    );
  }
});
const stop = () => void Promise.resolve(bot?.close()).then(() => stack.close()).then(() => process.exit(0));
process.on('disconnect', stop);
process.on('SIGTERM', stop);
