/**
 * `npm run bench:search`: how long the console's search takes at the size real teams reach, as an
 * agent with RLS on (role authenticated and the agent's JWT claims, as the REST layer sets them for
 * each request). Prints tables; it is not a test and asserts nothing about time.
 *
 * A fresh embedded PostgreSQL with the platform bootstrap and every migration (the local stack's own
 * startDatabase and migrate), seeded in bulk by bench/search-data.ts to 20,000 conversations and
 * about 200,000 messages, then grown to 100,000 conversations and about 1,000,000 messages. At each
 * size every query runs BENCH_RUNS times through search_conversations, and BENCH_PREVIOUS_RUNS
 * times through the definition it had before 20261207000001_search_uses_indexes.sql (taken from
 * its migration file and created here as bench.search_conversations_previous): the floor the new
 * plan is measured against, printed as a ratio.
 *
 * BENCH_STAGES=conversations:customers,… picks other sizes; BENCH_DATABASE_URL runs on an existing
 * database instead (seeded rows there are kept and grown).
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startDatabase, type Database } from '../supabase/local/src/database.ts';
import { migrate } from '../supabase/local/src/migrate.ts';
import { BENCH_AGENTS, RARE_WORDS, createPreviousSearch, seedAgents, seedTo } from './search-data.ts';

const STAGES = (process.env.BENCH_STAGES ?? '20000:16000,100000:80000').split(',').map((stage) => {
  const [conversations, customers] = stage.split(':').map(Number);
  if (!conversations || !customers) throw new Error(`BENCH_STAGES: "${stage}" is not conversations:customers`);
  return { conversations, customers };
});
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const PREVIOUS_RUNS = Number(process.env.BENCH_PREVIOUS_RUNS ?? 3);
/** What the console asks for: a page of 30 and one row more to learn whether another page exists. */
const PAGE = 31;

const root = fileURLToPath(new URL('..', import.meta.url));
const MIGRATIONS = path.join(root, 'supabase/migrations');

let database: Database | undefined;
let url = process.env.BENCH_DATABASE_URL;
if (!url) {
  console.log('Starting a fresh embedded PostgreSQL with the migrations…');
  database = await startDatabase({
    dataDir: path.join(await mkdtemp(path.join(os.tmpdir(), 'parley-bench-search-')), 'db'),
    port: undefined,
    ephemeral: true,
    fsync: false,
    log: () => undefined,
  });
  await migrate(database.pool, { migrationsDir: MIGRATIONS, seedFile: null, log: () => undefined });
  url = database.url;
}
const db = database?.pool ?? new pg.Pool({ connectionString: url, max: 4 });

const agentClaims = JSON.stringify({ sub: BENCH_AGENTS[0]?.id, role: 'authenticated', aud: 'authenticated' });

/**
 * Runs one search as the agent, inside a transaction as the REST layer does, and returns the
 * milliseconds the search statement took (from the client: planning, execution and the round trip).
 */
async function timeSearch(client: pg.PoolClient, fn: string, { query, assignment = 'all', statuses = null }: Case): Promise<{ ms: number; rows: number }> {
  await client.query('begin');
  try {
    await client.query("select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)", [agentClaims]);
    const started = performance.now();
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from ${fn}(p_query => $1, p_assignment => $2, p_statuses => $3, p_limit => $4)`,
      [query, assignment, statuses, PAGE]);
    const ms = performance.now() - started;
    return { ms, rows: rows[0]?.n ?? 0 };
  } finally {
    await client.query('rollback');
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

interface Case {
  readonly label: string;
  readonly query: string | null;
  readonly assignment?: 'all' | 'mine' | 'unassigned';
  readonly statuses?: readonly string[] | null;
}

/** The queries, chosen from the data so each hits what its label says. */
async function cases(): Promise<Case[]> {
  const { rows: [picked] } = await db.query<{ rare: string | null; email: string | null }>(`
    select (select w from unnest($1::text[]) with ordinality as r(w, n)
             where exists (select 1 from public.messages m where to_tsvector('simple', m.content) @@ to_tsquery('simple', w))
             order by n limit 1) as rare,
           (select email from public.customers where email is not null order by user_id offset 1000 limit 1) as email`,
  [RARE_WORDS]);
  return [
    { label: 'common word', query: 'delivery' },
    { label: 'rare word', query: picked?.rare ?? RARE_WORDS[0] ?? 'none' },
    { label: 'name prefix', query: 'pri' },
    { label: 'first name', query: 'priya' },
    { label: 'email', query: picked?.email ?? 'nobody@example.com' },
    { label: 'phrase', query: 'tracking number' },
    // Near where a walk down the recency index and a scan of the index cost the same.
    { label: 'uncommon word', query: 'norway' },
    { label: 'common word, mine, open', query: 'delivery', assignment: 'mine', statuses: ['open'] },
    { label: 'no query', query: null },
  ];
}

/** How many rows of each source the query matches, as the database counts them (superuser, no RLS). */
async function shares(query: string | null): Promise<string> {
  if (query === null) return 'everything';
  const { rows: [row] } = await db.query<{ messages: number; subjects: number; customers: number }>(`
    with q as (select private.prefix_query($1) as q)
    select (select count(*) from public.messages m, q where to_tsvector('simple', m.content) @@ q.q)::int as messages,
           (select count(*) from public.conversations c, q
             where to_tsvector('simple', coalesce(c.subject, '')) @@ q.q)::int as subjects,
           (select count(*) from public.customers cu, q
             where to_tsvector('simple', coalesce(cu.name, '') || ' ' || coalesce(cu.email, '')) @@ q.q)::int as customers`,
  [query]);
  return row ? `${row.messages} msgs, ${row.subjects} subjects, ${row.customers} customers` : '';
}

await seedAgents(db).catch((error: unknown) => {
  // Already there on a reused database.
  if (!(error instanceof Error && /duplicate key/.test(error.message))) throw error;
});
const previousSearch = await createPreviousSearch(db, 'bench');

try {
  for (const stage of STAGES) {
    const started = performance.now();
    const counts = await seedTo(db, stage);
    console.log(`\nSeeded ${counts.conversations.toLocaleString('en')} conversations, ${counts.customers.toLocaleString('en')} customers, `
      + `${counts.messages.toLocaleString('en')} messages (${((performance.now() - started) / 1000).toFixed(0)} s).`);
    const client = await db.connect();
    try {
      const table = [
        '| query | text | matches | rows | p50 ms | p95 ms | previous p50 ms | previous ÷ new |',
        '|---|---|---|---:|---:|---:|---:|---:|',
      ];
      let slowest = 0;
      for (const test of await cases()) {
        const { label, query } = test;
        // One untimed run each, so both start from the same warm cache.
        await timeSearch(client, 'public.search_conversations', test);
        await timeSearch(client, previousSearch, test);
        const times: number[] = [];
        let rows = 0;
        for (let i = 0; i < RUNS; i++) {
          const run = await timeSearch(client, 'public.search_conversations', test);
          times.push(run.ms);
          rows = run.rows;
        }
        const previous: number[] = [];
        for (let i = 0; i < PREVIOUS_RUNS; i++) previous.push((await timeSearch(client, previousSearch, test)).ms);
        times.sort((a, b) => a - b);
        previous.sort((a, b) => a - b);
        const p50 = percentile(times, 50);
        const p95 = percentile(times, 95);
        const previousP50 = percentile(previous, 50);
        if (query !== null) slowest = Math.max(slowest, p95);
        table.push(`| ${label} | ${query === null ? '—' : `\`${query}\``} | ${await shares(query)} | ${rows} | ${fmt(p50)} | `
          + `${fmt(p95)} | ${fmt(previousP50)} | ${(previousP50 / p50).toFixed(0)}× |`);
      }
      const target = counts.messages > 500_000 ? 100 : 50;
      const heading = `Search as an agent, RLS on, ${counts.conversations.toLocaleString('en')} conversations / `
        + `${counts.messages.toLocaleString('en')} messages (${RUNS} runs each, previous plan ${PREVIOUS_RUNS}; page of ${PAGE}):`;
      console.log(`\n${heading}\n\n${table.join('\n')}\n\nSlowest p95 with search text: ${fmt(slowest)} ms (issue 12 asks under ${target} ms at this size).`);
    } finally {
      client.release();
    }
  }
} finally {
  if (database) await database.stop();
  else await db.end();
}
