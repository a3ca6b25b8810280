/**
 * `npm run bench:realtime`: commit-to-client latency and sustained throughput of the local
 * Realtime server, measured with real supabase-js clients. Prints a table; it is not a test.
 *
 * Shape (issue 3): 200 conversations, each with its customer and one agent subscribed to
 * `messages` with a `conversation_id` filter, plus 5 agents on `conversations`. Every insert thus
 * fans out to 7 subscribers (the message to 2, the conversation update to 5), RLS-checked.
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import WebSocket from 'ws';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 200);
const AGENTS = 5;
const STEADY_RATE = 200;
const STEADY_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RAMP = (process.env.BENCH_RAMP ?? '500,1000,1250,1500,2000').split(',').map(Number);
const RAMP_SECONDS = 5;
/** A step counts as sustained if every delivery lands and p99 stays under this. */
const BEHIND_P99_MS = 100;

interface Boot { url: string; keys: { anon: string; serviceRole: string }; databaseUrl: string }

const child = fork(fileURLToPath(new URL('../supabase/local/src/child.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  // The chatbot's worker subscribes to every customer message: not part of what is measured here.
  env: { ...process.env, PARLEY_BOT: 'off' },
});
const boot = await new Promise<Boot>((resolve) => child.once('message', (m) => resolve(m as Boot)));
const db = new pg.Pool({ connectionString: boot.databaseUrl, max: 8 });
// Postgres Changes only, as a project that never uses scale mode would run: its triggers off.
await db.query('select private.set_broadcast_changes(false)');

function client(): SupabaseClient {
  return createClient(boot.url, boot.keys.anon, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
}

/** Arrival minus the row's own timestamp (set by the inserting transaction, just before commit). */
const latencies: number[] = [];
let delivered = 0;
const byKind = { created_at: 0, updated_at: 0, missingStamp: 0 };
function record(row: { updated_at?: string; created_at?: string }, stampKey: 'created_at' | 'updated_at'): void {
  const stamp = row[stampKey];
  if (!stamp) {
    byKind.missingStamp++;
    return;
  }
  byKind[stampKey]++;
  const arrived = performance.timeOrigin + performance.now();
  latencies.push(arrived - preciseEpochMs(stamp));
  delivered++;
}

/** Date.parse keeps milliseconds; Postgres timestamps carry microseconds, added back here. */
function preciseEpochMs(iso: string): number {
  const fraction = /\.(\d+)/.exec(iso)?.[1] ?? '';
  return Date.parse(iso) + Number(`0.${fraction.slice(3) || '0'}`);
}

console.log(`Setting up ${CONVERSATIONS} conversations with ${CONVERSATIONS} customers and ${AGENTS} agents…`);
const agents: { client: SupabaseClient; id: string }[] = [];
for (let i = 0; i < AGENTS; i++) {
  const agent = client();
  const email = `bench-agent-${i}@parley.test`;
  const admin = createClient(boot.url, boot.keys.serviceRole, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  const created = await admin.auth.admin.createUser({ email, password: 'bench-password', email_confirm: true });
  if (!created.data.user) throw new Error(created.error?.message);
  await db.query("insert into public.agents (user_id, display_name) values ($1, $2)", [created.data.user.id, `Bench ${i}`]);
  await agent.auth.signInWithPassword({ email, password: 'bench-password' });
  agents.push({ client: agent, id: created.data.user.id });
}
const conversations: string[] = [];
const customers: SupabaseClient[] = [];
for (let i = 0; i < CONVERSATIONS; i++) {
  const customer = client();
  await customer.auth.signInAnonymously();
  const { data, error } = await customer.rpc('start_conversation', { p_subject: `Bench ${i}` });
  if (error) throw new Error(error.message);
  conversations.push((data as { id: string }).id);
  customers.push(customer);
}

const seenSeqs = new Map<string, number[]>();
function seen(who: string, row: { seq?: number }): void {
  const list = seenSeqs.get(who) ?? [];
  list.push(row.seq ?? -1);
  seenSeqs.set(who, list);
}
const subscriptions: Promise<void>[] = [];
function subscribe(channel: ReturnType<SupabaseClient['channel']>): void {
  subscriptions.push(new Promise((resolve, reject) => {
    channel.on('system', {}, (payload: { extension?: string; status?: string }) => {
      if (payload.extension !== 'postgres_changes') return;
      if (payload.status === 'ok') resolve();
      else reject(new Error(JSON.stringify(payload)));
    });
    channel.subscribe();
  }));
}
for (const [i, id] of conversations.entries()) {
  const filter = { event: 'INSERT' as const, schema: 'public', table: 'messages', filter: `conversation_id=eq.${id}` };
  const customer = customers[i];
  const agent = agents[i % AGENTS];
  if (!customer || !agent) continue;
  subscribe(customer.channel(`c:${id}`).on('postgres_changes', filter, (p) => { record(p.new, 'created_at'); seen(`c ${i}`, p.new); }));
  subscribe(agent.client.channel(`a:${id}`).on('postgres_changes', filter, (p) => { record(p.new, 'created_at'); seen(`a ${i}`, p.new); }));
}
for (const agent of agents) {
  subscribe(agent.client.channel('inbox').on('postgres_changes',
    { event: 'UPDATE', schema: 'public', table: 'conversations' }, (p) => record(p.new, 'updated_at')));
}
await Promise.all(subscriptions);
const sockets = await new Promise<{ sockets: number; channels: number }>((resolve) => {
  child.once('message', (m) => resolve((m as { stats: { sockets: number; channels: number } }).stats));
  child.send({ type: 'stats' });
});
console.log(`Subscribed: ${sockets.sockets} sockets, ${sockets.channels} channels.\n`);

const FANOUT = 2 + AGENTS;
let sent = 0;
async function insert(): Promise<void> {
  const conversation = conversations[sent++ % conversations.length];
  await db.query("select private.append_message($1, gen_random_uuid(), 'agent', $2, 'benchmark message', '{}')",
    [conversation, agents[0]?.id]);
}

/**
 * The stack's PostgreSQL server process: the parent of a backend. The machine may run other
 * PostgreSQL servers (other stacks, other benchmarks); only this one's processes are counted.
 */
const postmaster = await (async () => {
  const backend = (await db.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid ?? 0;
  return Number(readFileSync(`/proc/${backend}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] ?? 0);
})();

/** CPU seconds used so far by the benchmark's clients, the stack process and its PostgreSQL (Linux /proc). */
function cpuSeconds(): { clients: number; stack: number; postgres: number } {
  const stat = (pid: number | string) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = (fields: string[]) => (Number(fields[11]) + Number(fields[12])) / 100;
  const ticksOf = (pid: number | string) => {
    try {
      return ticks(stat(pid));
    } catch {
      return 0;
    }
  };
  let postgres = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const fields = stat(pid);
      if (Number(pid) === postmaster || Number(fields[1]) === postmaster) postgres += ticks(fields);
    } catch {
      // the process ended while we looked
    }
  }
  return { clients: ticksOf(process.pid), stack: ticksOf(child.pid ?? 0), postgres };
}

/** Inserts at `rate` per second for `seconds`, then waits for the deliveries to land. */
async function run(rate: number, seconds: number) {
  latencies.length = 0;
  delivered = 0;
  byKind.created_at = byKind.updated_at = byKind.missingStamp = 0;
  const total = Math.round(rate * seconds);
  const cpuBefore = cpuSeconds();
  const start = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const p = insert().finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= 64) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  const achieved = total / elapsed;
  const cpuAfter = cpuSeconds();
  const cpu = {
    clients: (cpuAfter.clients - cpuBefore.clients) / elapsed,
    stack: (cpuAfter.stack - cpuBefore.stack) / elapsed,
    postgres: (cpuAfter.postgres - cpuBefore.postgres) / elapsed,
  };
  const expected = total * FANOUT;
  const deadline = performance.now() + 5_000;
  while (delivered < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (process.env.BENCH_DEBUG) {
    console.log(JSON.stringify({ total, byKind }));
    for (const [who, seqs] of seenSeqs) {
      const sorted = [...seqs].sort((a, b) => a - b);
      const gaps = sorted.filter((seq, index) => index > 0 && seq !== (sorted[index - 1] ?? 0) + 1);
      if (gaps.length || sorted[0] !== 1) console.log(who, 'count', seqs.length, 'first', sorted[0], 'gaps at', gaps.join(','), 'at', new Date().toISOString());
    }
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { rate, achieved, total, expected, delivered, cpu, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const header = '| target inserts/s | achieved | deliveries | p50 ms | p95 ms | p99 ms | max ms | kept up | CPU: clients / stack / postgres |';
const divider = '|---:|---:|---:|---:|---:|---:|---:|:---:|:---:|';
const percent = (n: number) => `${Math.round(n * 100)}%`;
const row = (r: Awaited<ReturnType<typeof run>>) =>
  `| ${r.rate} | ${r.achieved.toFixed(0)} | ${r.delivered}/${r.expected} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${keptUp(r) ? 'yes' : 'no'} | ${percent(r.cpu.clients)} / ${percent(r.cpu.stack)} / ${percent(r.cpu.postgres)} |`;
const keptUp = (r: Awaited<ReturnType<typeof run>>) =>
  r.delivered === r.expected && r.p99 <= BEHIND_P99_MS && r.achieved >= r.rate * 0.95;

await run(100, 2); // warm-up: JIT, plan caches, connection pools
console.log(`Steady load: ${STEADY_RATE} inserts/s for ${STEADY_SECONDS} s (${FANOUT} deliveries per insert)\n`);
const steady = await run(STEADY_RATE, STEADY_SECONDS);
console.log(header);
console.log(divider);
console.log(row(steady));
console.log(`\nTargets at 200/s: p50 ≤ 5 ms, p99 ≤ 25 ms → ${steady.p50 <= 5 && steady.p99 <= 25 ? 'met' : 'NOT met'}\n`);

console.log(`Ramp: ${RAMP_SECONDS} s per step; "kept up" = every delivery arrived, p99 ≤ ${BEHIND_P99_MS} ms, inserts reached 95% of the target\n`);
console.log(header);
console.log(divider);
let sustained = 0;
for (const rate of RAMP) {
  const result = await run(rate, RAMP_SECONDS);
  console.log(row(result));
  if (!keptUp(result)) break;
  sustained = rate;
}
console.log(`\nHighest sustained insert rate: ${sustained}/s (${sustained * FANOUT} deliveries/s); target ≥ 1,000/s → ${sustained >= 1000 ? 'met' : 'NOT met'}`);

await Promise.all([...customers, ...agents.map((a) => a.client)].map((c) => c.removeAllChannels()));
await db.end();
child.disconnect();
process.exit(0);
