-- Platform bootstrap for the local stack: the database objects a Supabase project has before its
-- own migrations run (supabase/postgres init scripts, supabase/auth and supabase/realtime
-- migrations), reduced to what supabase-js and this project's migrations rely on.
-- Runs once, as the superuser, on a fresh database. Idempotent so a half-finished run can repeat.

-- Roles ----------------------------------------------------------------------------------------
do $$
begin
  if not exists (select from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'supabase_auth_admin') then
    create role supabase_auth_admin nologin noinherit createrole;
  end if;
  if not exists (select from pg_roles where rolname = 'supabase_realtime_admin') then
    create role supabase_realtime_admin nologin noinherit;
  end if;
end
$$;

grant anon, authenticated, service_role to authenticator;
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';

-- Schemas and extensions -----------------------------------------------------------------------
create schema if not exists extensions;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pg_trgm with schema extensions;

grant usage on schema public to anon, authenticated, service_role;
grant usage on schema extensions to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;

-- Migration bookkeeping, the table the Supabase CLI keeps ----------------------------------------
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (
  version text primary key,
  statements text[],
  name text
);

-- auth -----------------------------------------------------------------------------------------
create schema if not exists auth authorization supabase_auth_admin;
grant usage on schema auth to anon, authenticated, service_role;

create table if not exists auth.users (
  instance_id uuid,
  id uuid primary key,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  confirmation_sent_at timestamptz,
  recovery_token varchar(255),
  recovery_sent_at timestamptz,
  email_change_token_new varchar(255),
  email_change varchar(255),
  email_change_sent_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz,
  updated_at timestamptz,
  phone text unique default null,
  phone_confirmed_at timestamptz,
  phone_change text default '',
  phone_change_token varchar(255) default '',
  phone_change_sent_at timestamptz,
  confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
  email_change_token_current varchar(255) default '',
  email_change_confirm_status smallint default 0,
  banned_until timestamptz,
  reauthentication_token varchar(255) default '',
  reauthentication_sent_at timestamptz,
  is_sso_user boolean not null default false,
  deleted_at timestamptz,
  is_anonymous boolean not null default false
);
create unique index if not exists users_email_partial_key on auth.users (email) where is_sso_user = false;

create table if not exists auth.identities (
  provider_id text not null,
  user_id uuid not null references auth.users (id) on delete cascade,
  identity_data jsonb not null,
  provider text not null,
  last_sign_in_at timestamptz,
  created_at timestamptz,
  updated_at timestamptz,
  email text generated always as (lower(identity_data ->> 'email')) stored,
  id uuid primary key default gen_random_uuid(),
  unique (provider_id, provider)
);

create table if not exists auth.sessions (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz,
  updated_at timestamptz,
  aal text,
  not_after timestamptz,
  refreshed_at timestamp,
  user_agent text,
  ip inet
);

create table if not exists auth.refresh_tokens (
  instance_id uuid,
  id bigserial primary key,
  token varchar(255) unique,
  user_id varchar(255),
  revoked boolean,
  created_at timestamptz,
  updated_at timestamptz,
  parent varchar(255),
  session_id uuid references auth.sessions (id) on delete cascade
);
create index if not exists refresh_tokens_session_id_revoked_idx on auth.refresh_tokens (session_id, revoked);

alter table auth.users owner to supabase_auth_admin;
alter table auth.identities owner to supabase_auth_admin;
alter table auth.sessions owner to supabase_auth_admin;
alter table auth.refresh_tokens owner to supabase_auth_admin;

create or replace function auth.uid() returns uuid
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.email() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;

create or replace function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

-- RLS policies call these as the API roles; PUBLIC (every other role) has no use for them.
revoke all on function auth.uid(), auth.role(), auth.email(), auth.jwt() from public;
grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt()
  to anon, authenticated, service_role;

-- realtime -------------------------------------------------------------------------------------
create schema if not exists realtime;
grant usage on schema realtime to anon, authenticated, service_role;

-- Hosted Realtime partitions this table by day; a plain table behaves the same for one machine.
create table if not exists realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp not null default now(),
  inserted_at timestamp not null default now(),
  id uuid not null default gen_random_uuid(),
  primary key (id, inserted_at)
);
alter table realtime.messages enable row level security;
grant select, insert, update on realtime.messages to anon, authenticated, service_role;

create or replace function realtime.topic() returns text
language sql stable
as $$
  select nullif(current_setting('realtime.topic', true), '')::text
$$;

-- Security invoker, as on hosted Supabase (supabase/realtime's migrations): the insert is checked by
-- the caller's RLS on realtime.messages, so only someone allowed to send on a private topic can.
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void
language plpgsql
security invoker
set search_path = ''
as $$
declare
  -- One id for the row and, unless the caller set one, the payload: clients see it as meta.id.
  generated_id uuid := gen_random_uuid();
begin
  begin
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (
      generated_id,
      case when payload ? 'id' then payload else payload || jsonb_build_object('id', generated_id) end,
      event, topic, private, 'broadcast'
    );
  exception when others then
    raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$$;

create or replace function realtime.broadcast_changes(
  topic_name text, event_name text, operation text, table_name text, table_schema text,
  new record, old record, level text default 'ROW'
) returns void
language plpgsql
as $$
declare
  row_data jsonb := jsonb_build_object(
    'old_record', case when old is null then null else to_jsonb(old) end,
    'record', case when new is null then null else to_jsonb(new) end,
    'operation', operation,
    'table', table_name,
    'schema', table_schema
  );
begin
  if level = 'STATEMENT' then
    raise exception 'function can only be triggered for each row, not for each statement';
  end if;
  perform realtime.send(row_data, event_name, topic_name);
end;
$$;

-- topic() is read by RLS policies on realtime.messages, which run as the API roles. Sending is for
-- signed-in users and the service role. Hosted Supabase grants anon execute too, but there send runs
-- as the caller and Parley's policies on realtime.messages admit only authenticated, so anon could
-- never send anyway; here the call itself is refused.
revoke all on function realtime.topic(), realtime.send(jsonb, text, text, boolean),
  realtime.broadcast_changes(text, text, text, text, text, record, record, text)
  from public, anon;
grant execute on function realtime.topic() to anon, authenticated, service_role;
grant execute on function realtime.send(jsonb, text, text, boolean),
  realtime.broadcast_changes(text, text, text, text, text, record, record, text)
  to authenticated, service_role;

-- The local Realtime server's visibility check for postgres_changes (WALRUS `apply_rls` steps 5-6,
-- batched): for each check {role, claims, rel, keys: [[pk text, ...], ...]} it runs one query as
-- that role with those claims and returns (check_index, key_index) of the rows the role can see
-- now. A check that fails (a policy raising, a missing role) sees nothing. Superuser only.
-- `committed_xids` are the transactions the checked changes come from. Their commit reaches the
-- WAL stream a moment before other sessions' snapshots stop counting them as running, so a check
-- made at once could judge a just-inserted row invisible: wait (briefly) until they are visible.
--
-- Cost: a check is one execution per claims set (policies read the claims once per execution), so
-- what one execution costs is what matters. Planning a query through its policies costs several
-- times running it, so each (table, role) query is a prepared statement of the session, planned
-- once and reused (PostgreSQL replans it when the table or its policies change; the claims are
-- read at run time, as with PostgREST's prepared statements). Each key is looked up in a LATERAL
-- subquery, where the key is a parameter: `t.pk = <parameter>` can be an index condition under
-- RLS, while a join condition computed from another relation's columns is a leaky qual, checked
-- only after the policy, on every row of the table.
drop function if exists realtime.parley_visible(jsonb);
create or replace function realtime.parley_visible(checks jsonb, committed_xids bigint[] default null)
returns table (check_index int, key_index int)
language plpgsql
set search_path = ''
-- The lookups go by primary key. A plan made while a table was tiny would otherwise scan it
-- whole for as long as the plan lives, however large the table grows.
set enable_seqscan = off
as $$
declare
  item jsonb;
  item_index int := 0;
  key_query text;
  key_index oid;
  statement_key text;
  names jsonb := '{}';
  statements text[] := '{}';
  prepared_name text;
  applied text;
  visible int[];
  waited_until timestamptz;
  spins int := 0;
begin
  waited_until := clock_timestamp() + interval '2 seconds';
  loop
    exit when committed_xids is null or not exists (
      select 1
        from unnest(committed_xids) as c(xid32),
             lateral (select pg_catalog.pg_current_snapshot() as snap) s,
             lateral (select pg_catalog.pg_snapshot_xmax(s.snap)::text::bigint as xmax) m
       where not pg_catalog.pg_visible_in_snapshot(
         -- The 64-bit id: the snapshot's epoch, one less if the 32-bit id wrapped since.
         ((((m.xmax >> 32) - case when c.xid32 - (m.xmax & 4294967295) > 2147483648 then 1 else 0 end) << 32)
           | c.xid32)::text::xid8,
         s.snap));
    if clock_timestamp() > waited_until then
      raise warning 'parley_visible: transactions % not visible after 2 s', committed_xids;
      exit;
    end if;
    -- The committing backend leaves the proc array moments after flushing its commit record, and
    -- pg_sleep waits at least a whole millisecond: look again at once a few times first.
    spins := spins + 1;
    if spins > 50 then
      perform pg_catalog.pg_sleep(0.001);
    end if;
  end loop;

  -- First, as the caller: the statement of each (table, role). Its name is derived from the role
  -- and the table's primary key index, so a backend that prepared it before finds it by name alone
  -- and the query is built from the catalog only once per backend. A changed key is a new index,
  -- so a new statement; each role keeps its own plan instead of replanning whenever consecutive
  -- checks differ in role.
  for item in select value from jsonb_array_elements(checks) loop
    statement_key := (item ->> 'rel') || ':' || (item ->> 'role');
    if not names ? statement_key then
      prepared_name := null;
      begin
        select i.indexrelid into key_index
          from pg_catalog.pg_index i where i.indrelid = (item ->> 'rel')::oid and i.indisprimary;
        if key_index is not null then
          prepared_name := 'parley_visible_' || md5((item ->> 'role') || ':' || (item ->> 'rel') || ':' || key_index);
          if not exists (select 1 from pg_catalog.pg_prepared_statements p where p.name = prepared_name) then
            select format(
                     'select pg_catalog.array_agg((k.ord - 1)::int) from pg_catalog.jsonb_array_elements($1)'
                     ' with ordinality k(value, ord) cross join lateral (select from %s t where %s limit 1) v',
                     i.indrelid::regclass,
                     string_agg(format('t.%I = (k.value ->> %s)::%s', a.attname, pk.ord - 1, format_type(a.atttypid, null)),
                                ' and ' order by pk.ord))
              into key_query
              from pg_catalog.pg_index i
              cross join unnest(i.indkey) with ordinality pk(attnum, ord)
              join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = pk.attnum
             where i.indexrelid = key_index
             group by i.indrelid;
            execute format('prepare %I(jsonb) as %s', prepared_name, key_query);
          end if;
        end if;
      exception when others then
        raise warning 'parley_visible: % (role %, relation %)', sqlerrm, item ->> 'role', item ->> 'rel';
        prepared_name := null;
      end;
      names := names || jsonb_build_object(statement_key, prepared_name);
    end if;
    statements := statements || (names ->> statement_key);
  end loop;

  -- Then the lookups. The checks come grouped by claims set, so role and claims are set when they
  -- change, not per check.
  for item in select value from jsonb_array_elements(checks) loop
    item_index := item_index + 1;
    prepared_name := statements[item_index];
    continue when prepared_name is null;
    begin
      if applied is distinct from (item ->> 'role') || ':' || (item ->> 'claims') then
        perform set_config('role', item ->> 'role', true);
        perform set_config('request.jwt.claims', item ->> 'claims', true);
        applied := (item ->> 'role') || ':' || (item ->> 'claims');
      end if;
      execute format('execute %I(%L)', prepared_name, item -> 'keys') into visible;
      return query select item_index - 1, v from unnest(visible) v;
    exception when others then
      -- The failed block's settings went with it.
      applied := null;
      raise warning 'parley_visible: % (role %, relation %)', sqlerrm, item ->> 'role', item ->> 'rel';
    end;
  end loop;
  perform set_config('role', null, true);
  perform set_config('request.jwt.claims', null, true);
end;
$$;
revoke all on function realtime.parley_visible(jsonb, bigint[]) from public, anon, authenticated, service_role;

-- Publication ------------------------------------------------------------------------------------
do $$
begin
  if not exists (select from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
  if not exists (select from pg_publication where pubname = 'supabase_realtime_messages_publication') then
    create publication supabase_realtime_messages_publication for table realtime.messages;
  end if;
end
$$;

-- Schema reloads ---------------------------------------------------------------------------------
-- As on Supabase: DDL sends `NOTIFY pgrst, 'reload schema'`, and the REST service reloads its
-- schema cache, so tables and functions created at run time are reachable without a restart.
create or replace function extensions.pgrst_ddl_watch() returns event_trigger
language plpgsql
as $$
declare
  command record;
begin
  for command in select * from pg_event_trigger_ddl_commands() loop
    if command.schema_name is distinct from 'pg_temp' and command.object_type is distinct from 'temporary table' then
      notify pgrst, 'reload schema';
      return;
    end if;
  end loop;
end;
$$;

create or replace function extensions.pgrst_drop_watch() returns event_trigger
language plpgsql
as $$
declare
  dropped record;
begin
  for dropped in select * from pg_event_trigger_dropped_objects() loop
    if not dropped.is_temporary then
      notify pgrst, 'reload schema';
      return;
    end if;
  end loop;
end;
$$;

-- Only the event triggers call these.
revoke all on function extensions.pgrst_ddl_watch(), extensions.pgrst_drop_watch() from public;

do $$
begin
  if not exists (select from pg_event_trigger where evtname = 'pgrst_ddl_watch') then
    create event trigger pgrst_ddl_watch on ddl_command_end execute procedure extensions.pgrst_ddl_watch();
  end if;
  if not exists (select from pg_event_trigger where evtname = 'pgrst_drop_watch') then
    create event trigger pgrst_drop_watch on sql_drop execute procedure extensions.pgrst_drop_watch();
  end if;
end
$$;
