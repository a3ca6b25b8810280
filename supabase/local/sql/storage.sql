-- Platform bootstrap, part 2: the `storage` schema a Supabase project has before its own migrations
-- run (supabase/storage's tenant migrations 0001–0063, reduced to what storage-js, the local Storage
-- service and this project's migrations rely on; ../shared/design/SUPABASE-STORAGE.md §4).
-- Runs on every start after bootstrap.sql, as the superuser. Idempotent.
--
-- The tables belong to supabase_storage_admin, as on hosted, so a migration that alters them
-- (even `enable row level security`) fails here as it would there, while `create policy` and
-- `insert into storage.buckets` work in both places.

do $$
begin
  if not exists (select from pg_roles where rolname = 'supabase_storage_admin') then
    create role supabase_storage_admin nologin noinherit createrole;
  end if;
end
$$;

create schema if not exists storage authorization supabase_storage_admin;
grant usage on schema storage to anon, authenticated, service_role;
grant all on schema storage to supabase_storage_admin;

do $$
begin
  if not exists (select from pg_type t join pg_namespace n on n.oid = t.typnamespace
                  where n.nspname = 'storage' and t.typname = 'buckettype') then
    create type storage.buckettype as enum ('STANDARD', 'ANALYTICS', 'VECTOR');
  end if;
end
$$;

create table if not exists storage.buckets (
  id text primary key,
  name text not null,
  owner uuid,
  owner_id text,
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  type storage.buckettype not null default 'STANDARD',
  versioning_status text not null default 'DISABLED'
);
create unique index if not exists bname on storage.buckets using btree (name);

create table if not exists storage.objects (
  id uuid primary key default gen_random_uuid(),
  bucket_id text references storage.buckets (id),
  name text,
  owner uuid,
  owner_id text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  user_metadata jsonb,
  version text,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  archived_at timestamptz,
  is_delete_marker boolean,
  is_versioned boolean
);
create unique index if not exists bucketid_objname on storage.objects using btree (bucket_id, name);
create index if not exists name_prefix_search on storage.objects (name text_pattern_ops);
create index if not exists idx_objects_bucket_id_name on storage.objects (bucket_id, name collate "C");
create index if not exists idx_objects_lower_name on storage.objects (bucket_id, lower(name) collate "C");

alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;

-- Helpers policies use --------------------------------------------------------------------------
create or replace function storage.foldername(name text) returns text[]
language plpgsql immutable
as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[1:array_length(_parts, 1) - 1];
end
$$;

create or replace function storage.filename(name text) returns text
language plpgsql immutable
as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[array_length(_parts, 1)];
end
$$;

-- With no dot, the whole file name, as on hosted (`extension('README') = 'README'`).
create or replace function storage.extension(name text) returns text
language plpgsql immutable
as $$
declare
  _parts text[];
  _filename text;
begin
  select string_to_array(name, '/') into _parts;
  select _parts[array_length(_parts, 1)] into _filename;
  return reverse(split_part(reverse(_filename), '.', 1));
end
$$;

create or replace function storage.operation() returns text
language plpgsql stable
as $$
begin
  return current_setting('storage.operation', true);
end
$$;

create or replace function storage.allow_only_operation(expected_operation text) returns boolean
language sql stable
as $$
  select coalesce(current_setting('storage.operation', true), '') = expected_operation
$$;

create or replace function storage.allow_any_operation(expected_operations text[]) returns boolean
language sql stable
as $$
  select coalesce(current_setting('storage.operation', true), '') = any(expected_operations)
$$;

-- list(): the direct children of `prefix` (a folder, '' or ending in '/') whose names start with
-- `search`, case-insensitively; files by their name relative to the prefix, folders as synthetic rows
-- with null id. Security invoker, so the caller's RLS decides what is listed, and a folder shows only
-- when a visible object lies under it.
create or replace function storage.search(
  prefix text, bucketname text, limits int default 100, levels int default 1, offsets int default 0,
  search text default '', sortcolumn text default 'name', sortorder text default 'asc'
) returns table (
  name text, id uuid, updated_at timestamptz, created_at timestamptz, last_accessed_at timestamptz, metadata jsonb
)
language plpgsql stable security invoker
as $$
declare
  pattern text := lower(replace(replace(replace(coalesce(prefix, '') || coalesce(search, ''), '\', '\\'), '%', '\%'), '_', '\_')) || '%';
  cut int := length(coalesce(prefix, '')) + 1;
  direction text := case when lower(sortorder) = 'desc' then 'desc' else 'asc' end;
  ordering text;
begin
  if sortcolumn not in ('name', 'updated_at', 'created_at', 'last_accessed_at') then
    sortcolumn := 'name';
  end if;
  ordering := case when sortcolumn = 'name'
    then format('lower(c.name) collate "C" %s', direction)
    else format('c.is_folder desc, c.%I %s, lower(c.name) collate "C" asc', sortcolumn, direction) end;
  return query execute format($q$
    with matched as (
      select substr(o.name, $1) as rest, o.id, o.updated_at, o.created_at, o.last_accessed_at, o.metadata
        from storage.objects o
       where o.bucket_id = $2 and lower(o.name) like $3
    ), children as (
      select distinct split_part(m.rest, '/', 1) as name, null::uuid as id, null::timestamptz as updated_at,
             null::timestamptz as created_at, null::timestamptz as last_accessed_at, null::jsonb as metadata,
             true as is_folder
        from matched m where strpos(m.rest, '/') > 0
      union all
      select m.rest, m.id, m.updated_at, m.created_at, m.last_accessed_at, m.metadata, false
        from matched m where strpos(m.rest, '/') = 0
    )
    select c.name, c.id, c.updated_at, c.created_at, c.last_accessed_at, c.metadata
      from children c
     order by %s
     limit $4 offset $5$q$, ordering)
    using cut, bucketname, pattern, limits, offsets;
end
$$;

-- Triggers ---------------------------------------------------------------------------------------
create or replace function storage.update_updated_at_column() returns trigger
language plpgsql
as $$
begin
  new.updated_at = now();
  return new;
end
$$;

-- Rows and files go together: only the Storage API, which also removes the bytes, may delete rows.
create or replace function storage.protect_delete() returns trigger
language plpgsql
as $$
begin
  if coalesce(current_setting('storage.allow_delete_query', true), 'false') != 'true' then
    raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
      using hint = 'This prevents accidental data loss from orphaned objects.', errcode = '42501';
  end if;
  return null;
end
$$;

create or replace function storage.enforce_bucket_name_length() returns trigger
language plpgsql
as $$
begin
  if length(new.name) > 100 then
    raise exception 'bucket name "%" is too long (% characters). Max is 100.', new.name, length(new.name);
  end if;
  return new;
end
$$;

do $$
begin
  if not exists (select from pg_trigger where tgname = 'update_objects_updated_at' and tgrelid = 'storage.objects'::regclass) then
    create trigger update_objects_updated_at before update on storage.objects
      for each row execute function storage.update_updated_at_column();
  end if;
  if not exists (select from pg_trigger where tgname = 'protect_objects_delete' and tgrelid = 'storage.objects'::regclass) then
    create trigger protect_objects_delete before delete on storage.objects
      for each statement execute function storage.protect_delete();
  end if;
  if not exists (select from pg_trigger where tgname = 'protect_buckets_delete' and tgrelid = 'storage.buckets'::regclass) then
    create trigger protect_buckets_delete before delete on storage.buckets
      for each statement execute function storage.protect_delete();
  end if;
  if not exists (select from pg_trigger where tgname = 'enforce_bucket_name_length_trigger' and tgrelid = 'storage.buckets'::regclass) then
    create trigger enforce_bucket_name_length_trigger before insert or update of name on storage.buckets
      for each row execute function storage.enforce_bucket_name_length();
  end if;
end
$$;

-- Ownership and grants, as on hosted ----------------------------------------------------------------
alter table storage.buckets owner to supabase_storage_admin;
alter table storage.objects owner to supabase_storage_admin;
alter type storage.buckettype owner to supabase_storage_admin;
alter function storage.foldername(text) owner to supabase_storage_admin;
alter function storage.filename(text) owner to supabase_storage_admin;
alter function storage.extension(text) owner to supabase_storage_admin;
alter function storage.operation() owner to supabase_storage_admin;
alter function storage.allow_only_operation(text) owner to supabase_storage_admin;
alter function storage.allow_any_operation(text[]) owner to supabase_storage_admin;
alter function storage.search(text, text, int, int, int, text, text, text) owner to supabase_storage_admin;
alter function storage.update_updated_at_column() owner to supabase_storage_admin;
alter function storage.protect_delete() owner to supabase_storage_admin;
alter function storage.enforce_bucket_name_length() owner to supabase_storage_admin;

-- Hosted grants `all`; the API roles get the four statements RLS governs, since TRUNCATE would skip
-- both RLS and the delete guard, and nothing storage-js reaches needs TRIGGER or REFERENCES.
grant select, insert, update, delete on storage.buckets, storage.objects to anon, authenticated;
grant all on storage.buckets, storage.objects to service_role;
-- Policies call the helpers as the API roles; the trigger functions are for the triggers only.
revoke all on all functions in schema storage from public;
grant execute on function storage.foldername(text), storage.filename(text), storage.extension(text),
  storage.operation(), storage.allow_only_operation(text), storage.allow_any_operation(text[]),
  storage.search(text, text, int, int, int, text, text, text)
  to anon, authenticated, service_role;
