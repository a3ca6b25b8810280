// The feed's logical replication slots: one per running feed, named with a random suffix, and
// dropped on close; slots left behind by a crashed process are dropped at the next start.

import type pg from 'pg';

export const SLOT_PREFIX = 'parley_realtime_';

export async function createSlot(pool: pg.Pool, slot: string): Promise<void> {
  await pool.query("select pg_create_logical_replication_slot($1, 'pgoutput')", [slot]);
}

export async function dropStaleSlots(pool: pg.Pool, log: (line: string) => void): Promise<void> {
  const { rows } = await pool.query<{ slot_name: string }>(`
    select slot_name from pg_replication_slots
     where slot_name like 'parley\\_realtime\\_%' and not active and database = current_database()`);
  for (const { slot_name: name } of rows) {
    try {
      await pool.query('select pg_drop_replication_slot($1)', [name]);
      log(`realtime: dropped stale replication slot ${name}`);
    } catch (error) {
      log(`realtime: could not drop stale replication slot ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

export async function dropSlot(pool: pg.Pool, slot: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { rows } = await pool.query<{ active_pid: number | null }>('select active_pid from pg_replication_slots where slot_name = $1', [slot]);
    const row = rows[0];
    if (!row) return;
    if (row.active_pid !== null) {
      // The walsender may still be exiting after the connection closed.
      if (attempt >= 50) await pool.query('select pg_terminate_backend($1)', [row.active_pid]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    try {
      await pool.query('select pg_drop_replication_slot($1)', [slot]);
      return;
    } catch (error) {
      if (attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
