import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

// The platform schema in order: roles, auth and realtime first, then storage, which grants to their roles.
const BOOTSTRAP_FILES = ['bootstrap.sql', 'storage.sql'].map((name) => fileURLToPath(new URL(`../sql/${name}`, import.meta.url)));
// Same rule as the Supabase CLI: `<digits>_<name>.sql`, applied in version order.
const MIGRATION_NAME = /^(\d+)_(.+)\.sql$/;

export interface MigrationResult {
  bootstrapped: boolean;
  applied: string[];
  seeded: boolean;
}

export interface MigrateOptions {
  migrationsDir: string;
  seedFile: string | null;
  log: (line: string) => void;
}

/**
 * Brings a database to the current schema: the platform bootstrap, every
 * migration not yet recorded in supabase_migrations.schema_migrations, and the seed when the
 * database was fresh. Each file runs in its own transaction so a failing file changes nothing.
 */
export async function migrate(pool: pg.Pool, options: MigrateOptions): Promise<MigrationResult> {
  const client = await pool.connect();
  try {
    // One stack at a time may migrate a database; a second start waits instead of racing.
    await client.query('select pg_advisory_lock(7218911)');
    const fresh = (await client.query<{ fresh: boolean }>(
      "select to_regclass('supabase_migrations.schema_migrations') is null as fresh",
    )).rows[0]?.fresh ?? true;

    // The bootstrap is idempotent and runs on every start, so a database created by an older
    // version of the stack gains whatever platform objects were added since.
    for (const file of BOOTSTRAP_FILES) await runFile(client, file, await readFile(file, 'utf8'));
    if (fresh) options.log('bootstrap: platform schema created');

    const applied = new Set(
      (await client.query<{ version: string }>('select version from supabase_migrations.schema_migrations')).rows
        .map((row) => row.version),
    );
    const files = (await readdir(options.migrationsDir).catch(() => []))
      .filter((name) => MIGRATION_NAME.test(name))
      .sort();
    const newlyApplied: string[] = [];
    for (const file of files) {
      const [, version = '', name = ''] = MIGRATION_NAME.exec(file) ?? [];
      if (applied.has(version)) continue;
      const fullPath = path.join(options.migrationsDir, file);
      const sql = await readFile(fullPath, 'utf8');
      await runFile(client, fullPath, sql, async () => {
        await client.query(
          'insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)',
          [version, name, [sql]],
        );
      });
      newlyApplied.push(file);
      options.log(`migration: applied ${file}`);
    }

    let seeded = false;
    if (fresh && options.seedFile) {
      const sql = await readFile(options.seedFile, 'utf8').catch(() => null);
      if (sql !== null) {
        await runFile(client, options.seedFile, sql);
        seeded = true;
        options.log(`seed: ${path.basename(options.seedFile)} loaded`);
      }
    }
    return { bootstrapped: fresh, applied: newlyApplied, seeded };
  } finally {
    await client.query('select pg_advisory_unlock(7218911)').catch(() => undefined);
    client.release();
  }
}

async function runFile(client: pg.PoolClient, file: string, sql: string, record?: () => Promise<void>): Promise<void> {
  await client.query('begin');
  try {
    await client.query(sql);
    await record?.();
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${path.basename(file)} failed: ${reason}`, { cause: error });
  }
}
