/**
 * PostgREST reloads its schema cache on `NOTIFY pgrst, 'reload schema'`, which Supabase's DDL
 * event triggers send, and its in-database configuration on `'reload config'`; the stand-in reloads
 * both together. Listens on one dedicated connection of its own.
 */
export async function listenForSchemaReloads(connectionString: string, reload: () => void): Promise<() => Promise<void>> {
  const { default: pgModule } = await import('pg');
  const client = new pgModule.Client({ connectionString });
  client.on('error', () => undefined);
  client.on('notification', (notification) => {
    const payload = notification.payload ?? '';
    if (notification.channel === 'pgrst' && ['reload schema', 'reload config', ''].includes(payload)) reload();
  });
  await client.connect();
  await client.query('listen pgrst');
  return () => client.end();
}
