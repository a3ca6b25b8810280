/**
 * The local stack in its own process for benchmarks, so the server's event loop is not the one
 * running hundreds of benchmark clients. Reports its URL and keys to the parent over IPC.
 */
import { appendFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLocalStack } from '../supabase/local/src/index.ts';

const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'parley-bench-')), 'db');
const stack = await createLocalStack({
  dataDir, ephemeral: true, fsync: false,
  log: process.env.PARLEY_LOG_FILE ? (line) => appendFileSync(process.env.PARLEY_LOG_FILE ?? '', `${line}\n`) : () => undefined,
});
const url = await stack.listen(0);
process.send?.({ url, keys: stack.keys, databaseUrl: stack.databaseUrl });
process.on('message', (message: { type?: string }) => {
  if (message.type === 'stats') process.send?.({ type: 'stats', stats: stack.realtime.stats() });
});
const stop = () => void stack.close().then(() => process.exit(0));
process.on('disconnect', stop);
process.on('SIGTERM', stop);
