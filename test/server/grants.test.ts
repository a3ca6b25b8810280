// What the API roles can reach, against a reviewed allow-list: every function anon, authenticated
// or PUBLIC may execute, and every table, sequence, column and schema privilege they hold, after the
// bootstrap and every migration. A migration that creates a function without revoking PUBLIC execute,
// or a table without revoking Supabase's default `grant all`, fails here until someone revokes it or
// reviews it into the list. Also the splinter lints that concern grants (search_path on security
// definer functions, security definer functions anon can run, RLS on exposed tables).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED } from '../helpers/users.ts';

/** Every privilege the API roles hold, by object. Changing this list is a security review. */
const ALLOWED: Record<string, readonly string[]> = {
  // Platform (supabase/local/sql/bootstrap.sql), as on hosted Supabase.
  'schema auth': ['anon USAGE', 'authenticated USAGE'],
  'schema extensions': ['anon USAGE', 'authenticated USAGE'],
  'schema public': ['anon USAGE', 'authenticated USAGE', 'public USAGE'],
  'schema realtime': ['anon USAGE', 'authenticated USAGE'],
  'function auth.email()': ['anon EXECUTE', 'authenticated EXECUTE'],
  'function auth.jwt()': ['anon EXECUTE', 'authenticated EXECUTE'],
  'function auth.role()': ['anon EXECUTE', 'authenticated EXECUTE'],
  'function auth.uid()': ['anon EXECUTE', 'authenticated EXECUTE'],
  // RLS on realtime.messages reads the topic; sending is for signed-in users, checked by that RLS.
  'function realtime.topic()': ['anon EXECUTE', 'authenticated EXECUTE'],
  'function realtime.send(jsonb,text,text,boolean)': ['authenticated EXECUTE'],
  'function realtime.broadcast_changes(text,text,text,text,text,record,record,text)': ['authenticated EXECUTE'],
  // Realtime authorization inserts and reads probe rows here under RLS (hosted grants the same).
  'table realtime.messages': [
    'anon INSERT', 'anon SELECT', 'anon UPDATE', 'authenticated INSERT', 'authenticated SELECT', 'authenticated UPDATE',
  ],
  // Storage (supabase/local/sql/storage.sql): RLS on the two tables decides every Storage request,
  // run under the caller's role; the helpers are what policies call (storage.foldername(name) …),
  // and list() is storage.search as the caller. Hosted grants `all`; TRUNCATE etc. are left out.
  'schema storage': ['anon USAGE', 'authenticated USAGE'],
  'table storage.buckets': [
    'anon DELETE', 'anon INSERT', 'anon SELECT', 'anon UPDATE',
    'authenticated DELETE', 'authenticated INSERT', 'authenticated SELECT', 'authenticated UPDATE',
  ],
  'table storage.objects': [
    'anon DELETE', 'anon INSERT', 'anon SELECT', 'anon UPDATE',
    'authenticated DELETE', 'authenticated INSERT', 'authenticated SELECT', 'authenticated UPDATE',
  ],
  'function storage.allow_any_operation(text[])': ['anon EXECUTE', 'authenticated EXECUTE'],
  'function storage.allow_only_operation(text)': ['anon EXECUTE', 'authenticated EXECUTE'],
  'function storage.extension(text)': ['anon EXECUTE', 'authenticated EXECUTE'],
  'function storage.filename(text)': ['anon EXECUTE', 'authenticated EXECUTE'],
  'function storage.foldername(text)': ['anon EXECUTE', 'authenticated EXECUTE'],
  'function storage.operation()': ['anon EXECUTE', 'authenticated EXECUTE'],
  'function storage.search(text,text,integer,integer,integer,text,text,text)': ['anon EXECUTE', 'authenticated EXECUTE'],

  // Parley. Helpers the RLS policies and the invoker RPC search_conversations call as the caller.
  'schema private': ['authenticated USAGE'],
  'function private.can_use_conversation_topic(text)': ['authenticated EXECUTE'],
  // Attachments (20270105000001_attachments_bucket.sql): the storage.objects policies' check.
  'function private.can_use_attachment(text)': ['authenticated EXECUTE'],
  // Scale mode's topics (20261215000001_broadcast_changes.sql): who may join which, for the policy.
  'function private.can_read_broadcast_topic(text)': ['authenticated EXECUTE'],
  'function private.fail(text,text,text)': ['authenticated EXECUTE'],
  'function private.is_admin()': ['authenticated EXECUTE'],
  'function private.is_agent()': ['authenticated EXECUTE'],
  'function private.prefix_query(text)': ['authenticated EXECUTE'],
  // search_conversations' matching (security definer: RLS hides the full-text indexes from the
  // caller); it applies the policies' rule itself and returns only ids the caller may see.
  'function private.search_conversation_ids(tsquery,text[],text,timestamp with time zone,uuid,integer)': ['authenticated EXECUTE'],
  // The RPCs: each checks who calls it (security definer, search_path = '').
  'function public.agent_outbox_key()': ['authenticated EXECUTE'],
  'function public.assign_conversation(uuid,uuid)': ['authenticated EXECUTE'],
  'function public.insert_message(uuid,uuid,text,jsonb,text,text,jsonb)': ['authenticated EXECUTE'],
  'function public.mark_read(uuid,bigint)': ['authenticated EXECUTE'],
  'function public.search_conversations(text,text[],text,timestamp with time zone,uuid,integer)': ['authenticated EXECUTE'],
  'function public.set_chatbot_enabled(uuid,boolean)': ['authenticated EXECUTE'],
  'function public.set_conversation_status(uuid,text)': ['authenticated EXECUTE'],
  'function public.start_conversation(uuid,text,text,text,jsonb)': ['authenticated EXECUTE'],
  'function public.team_profiles()': ['authenticated EXECUTE'],
  // Availability (20261220000101_agent_availability.sql): the console's beat, leave and choice
  // (agents only, checked inside); team_online() is what a signed-in visitor's widget may know:
  // whether anyone is online and their public profiles.
  'function public.console_heartbeat(uuid,integer,integer)': ['authenticated EXECUTE'],
  'function public.console_leave(uuid)': ['authenticated EXECUTE'],
  'function public.set_availability(text)': ['authenticated EXECUTE'],
  'function public.team_online()': ['authenticated EXECUTE'],
  // Collision (20261220000102_team_presence_topic.sql): agents-only presence topics, for the policy.
  'function private.can_use_team_presence_topic(text)': ['authenticated EXECUTE'],
  // Who the visitor is (20261220000201_visitor_profile.sql): a visitor writes only their own row
  // (auth.uid(), no customer id taken); agents correct name and email.
  'function public.identify_customer(text,text,jsonb)': ['authenticated EXECUTE'],
  'function public.record_visit(text,text,text,text,text,text,text,text)': ['authenticated EXECUTE'],
  'function public.update_customer(uuid,text,text)': ['authenticated EXECUTE'],
  // Workspace administration (20261230000001_workspace_admin.sql). The business-hours check runs as
  // the admin's PostgREST update (a check constraint calls it), so authenticated executes it.
  'function private.check_business_hours(jsonb)': ['authenticated EXECUTE'],
  // What a visitor's widget may know of the settings (public fields only).
  'function public.widget_settings()': ['authenticated EXECUTE'],
  // Admin-only RPCs (checked inside) and any active agent's own profile.
  'function public.invite_agent(text,text,text)': ['authenticated EXECUTE'],
  'function public.revoke_invitation(uuid)': ['authenticated EXECUTE'],
  'function public.set_agent_active(uuid,boolean)': ['authenticated EXECUTE'],
  'function public.set_agent_role(uuid,text)': ['authenticated EXECUTE'],
  'function public.update_own_profile(text,text)': ['authenticated EXECUTE'],
  // CSAT (20261231000002_csat.sql): a visitor rates their own resolved conversation once (checked
  // inside); agents read the summary (checked inside).
  'function public.rate_conversation(uuid,integer,text)': ['authenticated EXECUTE'],
  'function public.csat_summary(integer)': ['authenticated EXECUTE'],
  // Read under RLS (agents all, a visitor their own), written only by rate_conversation.
  'table public.conversation_ratings': ['authenticated SELECT'],
  // Reply emails (20261231000004_reply_emails.sql): the mailed token is the capability, so anyone
  // holding it unsubscribes (the worker's own RPCs are service_role only).
  'function public.unsubscribe_reply_emails(text)': ['anon EXECUTE', 'authenticated EXECUTE'],
  // Continue by email (20261231000101_visitor_merge.sql): an anonymous visitor takes a one-time
  // secret, the email user they sign in as hands it back to move their conversations (checked inside).
  'function public.begin_visitor_merge()': ['authenticated EXECUTE'],
  'function public.complete_visitor_merge(text)': ['authenticated EXECUTE'],
  // The chatbot (20270110000001_chatbot.sql …03_chatbot_webhook.sql). The knowledge base is read by
  // agents and written by admins under RLS; its check constraint and generated search column call
  // these pure helpers as the writer. A visitor (or an agent) asks for a person; admins rotate the
  // webhook bot's credentials (checked inside). bot_reply takes the bot key as its credential, so
  // the anon key reaches it (the worker's own RPCs are service_role only).
  'function private.text_search_config(text)': ['authenticated EXECUTE'],
  'function private.knowledge_tags_valid(text[])': ['authenticated EXECUTE'],
  'function private.knowledge_document(text,text,text[],text)': ['authenticated EXECUTE'],
  'function public.request_handover(uuid)': ['authenticated EXECUTE'],
  'function public.rotate_chatbot_credentials()': ['authenticated EXECUTE'],
  'function public.bot_reply(text,uuid,text,jsonb,boolean)': ['anon EXECUTE', 'authenticated EXECUTE'],
  'table public.knowledge_articles': ['authenticated DELETE', 'authenticated INSERT', 'authenticated SELECT', 'authenticated UPDATE'],
  // Agents read the settings, admins update them (RLS); admins read invitations (RLS), written by RPCs.
  'table public.workspace_settings': ['authenticated SELECT', 'authenticated UPDATE'],
  'table public.agent_invitations': ['authenticated SELECT'],
  // Chat tables are read under RLS and written only by the RPCs.
  'table public.conversation_reads': ['authenticated SELECT'],
  'table public.conversations': ['authenticated SELECT'],
  'table public.customers': ['authenticated SELECT'],
  'table public.customer_visits': ['authenticated SELECT'],
  'table public.messages': ['authenticated SELECT'],
  // The team is read under RLS and changed only by the RPCs above (the last-admin rule); admins
  // manage the canned replies directly, under RLS.
  'table public.agents': ['authenticated SELECT'],
  'table public.canned_responses': ['authenticated DELETE', 'authenticated INSERT', 'authenticated SELECT', 'authenticated UPDATE'],
};

const API_ROLES = ['public', 'anon', 'authenticated'];

/**
 * Security definer functions anon may run, each reviewed (splinter 0028): unsubscribing from reply
 * emails with the mailed token (one indexed lookup, nothing written for a bad or unknown token), and
 * the webhook bot's reply with its bot key (one hash compared before anything is read or written).
 */
const ANON_DEFINERS: string[] = ['public.unsubscribe_reply_emails(text)', 'public.bot_reply(text,uuid,text,jsonb,boolean)'];
const CHAT_TABLES = ['agents', 'customers', 'conversations', 'messages', 'conversation_reads', 'canned_responses'];

// Schemas PostgreSQL itself owns; everything else (the platform's and Parley's) is listed.
const USER_SCHEMA = `n.nspname <> 'information_schema' and n.nspname !~ '^pg_'`;
const NOT_IN_EXTENSION = (catalog: string, oid: string): string =>
  `not exists (select 1 from pg_depend d where d.classid = '${catalog}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;

/**
 * Every privilege of anon, authenticated and PUBLIC on functions, relations, columns and schemas
 * (extension members aside: their extension decides). Effective privileges, so a grant to PUBLIC
 * shows under all three.
 */
async function reachable(db: pg.PoolClient): Promise<Record<string, string[]>> {
  // Unqualified names only for pg_catalog, so every object prints with its schema.
  await db.query(`set search_path to ''`);
  const { rows } = await db.query<{ object: string; grant: string }>(`
    with roles(role) as (select unnest($1::text[])),
    maintain(privileges) as (
      select case when current_setting('server_version_num')::int >= 170000 then array['MAINTAIN'] else '{}' end)
    select 'function ' || p.oid::regprocedure::text as object, r.role || ' EXECUTE' as grant
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace cross join roles r
     where ${USER_SCHEMA} and ${NOT_IN_EXTENSION('pg_proc', 'p.oid')}
       and has_function_privilege(r.role, p.oid, 'EXECUTE')
    union all
    select case c.relkind when 'S' then 'sequence ' when 'v' then 'view ' when 'm' then 'materialized view '
                          when 'f' then 'foreign table ' else 'table ' end || c.oid::regclass::text,
           r.role || ' ' || privilege
      from pg_class c join pg_namespace n on n.oid = c.relnamespace cross join roles r cross join maintain m
     cross join lateral unnest(case when c.relkind = 'S' then array['USAGE', 'SELECT', 'UPDATE']
                                    else array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']
                                         || m.privileges end) privilege
     where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and ${USER_SCHEMA} and ${NOT_IN_EXTENSION('pg_class', 'c.oid')}
       and case when c.relkind = 'S' then has_sequence_privilege(r.role, c.oid, privilege)
                else has_table_privilege(r.role, c.oid, privilege) end
    union all
    -- Column grants beyond the table's own (column privileges are granted on their own).
    select 'column ' || c.oid::regclass::text || '.' || quote_ident(a.attname),
           coalesce(nullif(e.grantee, 0)::regrole::text, 'public') || ' ' || e.privilege_type
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace,
           aclexplode(a.attacl) e
     where a.attacl is not null and ${USER_SCHEMA}
       and (e.grantee = 0 or e.grantee::regrole::text = any ($1::text[]))
    union all
    select 'schema ' || quote_ident(n.nspname), r.role || ' ' || privilege
      from pg_namespace n cross join roles r cross join unnest(array['USAGE', 'CREATE']) privilege
     where ${USER_SCHEMA} and has_schema_privilege(r.role, n.oid, privilege)`, [API_ROLES]);
  await db.query('reset search_path');
  const found: Record<string, string[]> = {};
  for (const { object, grant } of rows) (found[object] ??= []).push(grant);
  for (const grants of Object.values(found)) grants.sort();
  return Object.fromEntries(Object.entries(found).sort(([a], [b]) => a.localeCompare(b)));
}

/** The allow-list in the same shape, for a readable diff. */
function allowed(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(ALLOWED)
    .map(([object, grants]): [string, string[]] => [object, [...grants].sort()])
    .sort(([a], [b]) => a.localeCompare(b)));
}

const WIDENED = 'The API roles reach something not in the reviewed allow-list (or no longer reach something in it). '
  + 'Revoke it in the migration (see the rule atop 20261206000003_function_grants.sql), or review it into ALLOWED.';

describe('what the API roles can reach', () => {
  let stack: TestStack;
  before(async () => { stack = await startTestStack(); });
  after(() => stack.close());

  async function withClient<T>(work: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    const db = await stack.db.connect();
    try {
      return await work(db);
    } finally {
      db.release();
    }
  }

  it('is exactly the reviewed allow-list', async () => {
    assert.deepEqual(await withClient(reachable), allowed(), WIDENED);
  });

  it('catches a function created without revoking PUBLIC execute, and a table left with the default grants', async () => {
    const found = await withClient(async (db) => {
      await db.query('begin');
      try {
        await db.query(`create function public.forgot_to_revoke() returns int language sql set search_path = '' as 'select 1'`);
        await db.query('create table public.forgot_to_revoke_table (id int primary key)');
        return await reachable(db);
      } finally {
        await db.query('rollback');
      }
    });
    assert.notDeepEqual(found, allowed());
    assert.deepEqual(found['function public.forgot_to_revoke()'], ['anon EXECUTE', 'authenticated EXECUTE', 'public EXECUTE']);
    assert.ok(found['table public.forgot_to_revoke_table']?.includes('anon TRUNCATE'));
  });

  it('no API role, the service role included, may MAINTAIN a chat table', async () => {
    const { rows } = await stack.db.query<{ grants: string[] }>(`
      select coalesce(array_agg(format('%s on %s', r.role, t.name)), '{}') as grants
        from unnest($1::text[]) t(name) cross join unnest(array['public', 'anon', 'authenticated', 'service_role']) r(role)
       where has_table_privilege(r.role, ('public.' || t.name)::regclass, 'MAINTAIN')`, [CHAT_TABLES]);
    assert.deepEqual(rows[0]?.grants, []);
    const refused = await withClient(async (db) => {
      await db.query('begin');
      try {
        // MAINTAIN alone lets a role lock the table against everyone (and VACUUM FULL it).
        await db.query('set local role authenticated');
        await db.query('lock table public.messages in access exclusive mode');
        return null;
      } catch (error) {
        return error as { code?: string };
      } finally {
        await db.query('rollback');
      }
    });
    assert.equal(refused?.code, '42501', 'a signed-in user cannot lock the messages table');
  });

  it('realtime.send runs as its caller: a stranger cannot broadcast on a conversation\'s private topic', async () => {
    const topic = `conversation:${SEED.customer.conversations[0]}`;
    const stored = await withClient(async (db) => {
      await db.query('begin');
      try {
        await db.query(`select set_config('request.jwt.claims', $1, true)`,
          [JSON.stringify({ sub: crypto.randomUUID(), role: 'authenticated' })]);
        await db.query('set local role authenticated');
        await db.query(`select realtime.send('{"text":"spoofed"}', 'typing', $1, true)`, [topic]);
        await db.query('reset role');
        const { rows } = await db.query<{ count: number }>('select count(*)::int as count from realtime.messages where topic = $1', [topic]);
        return rows[0]?.count;
      } finally {
        await db.query('rollback');
      }
    });
    assert.equal(stored, 0);
  });

  it('every security definer function pins its search_path, and none but the reviewed ones is anon\'s (splinter 0011, 0028)', async () => {
    const { rows } = await stack.db.query<{ name: string; problem: string }>(`
      select p.oid::regprocedure::text as name,
             case when not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%')
                  then 'search_path not set' else 'executable by anon' end as problem
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where p.prosecdef and ${USER_SCHEMA} and ${NOT_IN_EXTENSION('pg_proc', 'p.oid')}
         and (not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%')
              or (has_function_privilege('anon', p.oid, 'EXECUTE') and not p.oid = any ($1::regprocedure[])))`,
      [ANON_DEFINERS]);
    assert.deepEqual(rows, []);
  });

  it('every table in the exposed schema has row-level security on (splinter 0013)', async () => {
    const { rows } = await stack.db.query<{ name: string }>(`
      select c.oid::regclass::text as name from pg_class c
       where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity`);
    assert.deepEqual(rows, []);
  });
});
