/**
 * The local stack in a child process on a fresh, throw-away database, for benchmarks and browser
 * test runners: the parent's event loop stays free for its own work. Reports `{url, keys,
 * databaseUrl}` over IPC once listening; answers `{type: 'stats'}`; stops when the parent
 * disconnects. `PARLEY_LOG_FILE` appends the stack's log to a file.
 */
import { appendFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLocalStack } from './index.ts';

export interface ChildStackBoot {
  readonly url: string;
  readonly keys: { readonly anon: string; readonly serviceRole: string; readonly jwtSecret: string };
  readonly databaseUrl: string;
}

const logFile = process.env.PARLEY_LOG_FILE;
const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'parley-child-')), 'db');
const stack = await createLocalStack({
  dataDir,
  ephemeral: true,
  fsync: false,
  log: logFile ? (line) => appendFileSync(logFile, `${line}\n`) : () => undefined,
});
const url = await stack.listen(0);
const boot: ChildStackBoot = { url, keys: stack.keys, databaseUrl: stack.databaseUrl };
process.send?.(boot);
process.on('message', (message: { type?: string }) => {
  if (message.type === 'stats') process.send?.({ type: 'stats', stats: stack.realtime.stats() });
});
const stop = () => void stack.close().then(() => process.exit(0));
process.on('disconnect', stop);
process.on('SIGTERM', stop);
