import { startTestStack } from '/work/main/test/helpers/stack.ts';
const t0 = Date.now();
const s = await startTestStack({ log: (l) => console.log('LOG', l.slice(0, 200)) });
console.log('up in', Date.now() - t0, s.url, s.stack.migrations);
const r = await s.db.query("select current_setting('wal_level') w, version() v, (select count(*) from pg_roles where rolname in ('anon','authenticated','service_role')) roles");
console.log(r.rows);
await s.close();
console.log('closed');
