-- Who the visitor is (issue 13, item 3): the pages they visited and the browser they use, what the
-- host page told about them (`identify()` on the launcher), whether that came through a verified
-- token, and agents' corrections of name and email.
--
-- "Verified" means the value is a claim of the JWT the request ran with, read here from auth.jwt()
-- (never from the client's payload): the top-level `name` and `email` claims of a token that is not
-- anonymous and does not say `email_verified: false`. Supabase verifies that token before the
-- request reaches the database: a host's own token (third-party auth, `accessToken` on the
-- launcher), or a Supabase Auth user's. For Supabase Auth's email users the email claim is as good
-- as the project's "Confirm email" setting. Anything the page passes to identify() without such a
-- claim is stored as unverified. Agents' edits are their own source ('agent').
--
-- Follows the rule atop 20261206000003_function_grants.sql (each function revoked right after it
-- is created) and the bounds rule of 20261206000004_schema_bounds.sql (every text column bounded).

---------------------------------------------------------------------------------------------------
-- The customer's identity sources, custom attributes and last visit.

alter table public.customers
  add column name_source text check (name_source in ('visitor', 'token', 'agent')),
  add column email_source text check (email_source in ('visitor', 'token', 'agent')),
  -- Flat scalars from identify(): at most 50 keys of 1..64 characters, strings up to 256 characters
  -- (the RPC checks each; the constraint bounds every writer).
  add column attributes jsonb not null default '{}' constraint customers_attributes_bounded
    check (jsonb_typeof(attributes) = 'object' and octet_length(attributes::text) <= 16384),
  add column last_seen_at timestamptz;

comment on column public.customers.name_source is
  'Where the name came from: visitor (typed or passed by the page, unverified), token (a verified JWT claim), agent (edited by the team).';
comment on column public.customers.email_source is 'As name_source, for the email.';

-- Any write that changes the name or email without saying where it came from (start_conversation's
-- pre-chat form, a direct write) marks it as the visitor's: only the two RPCs below, which set
-- `parley.identity_write` for their own transaction, choose the source (a JWT claim, an agent).
create function private.customers_identity_source() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if coalesce(current_setting('parley.identity_write', true), '') = 'on' then
    null;
  elsif tg_op = 'INSERT' then
    if new.name is not null and new.name_source is null then new.name_source := 'visitor'; end if;
    if new.email is not null and new.email_source is null then new.email_source := 'visitor'; end if;
  else
    if new.name is distinct from old.name and new.name_source is not distinct from old.name_source then
      new.name_source := 'visitor';
    end if;
    if new.email is distinct from old.email and new.email_source is not distinct from old.email_source then
      new.email_source := 'visitor';
    end if;
  end if;
  if new.name is null then new.name_source := null; end if;
  if new.email is null then new.email_source := null; end if;
  return new;
end;
$$;
revoke all on function private.customers_identity_source() from public, anon, authenticated;

create trigger customers_identity_source before insert or update of name, email, name_source, email_source
  on public.customers for each row execute function private.customers_identity_source();

---------------------------------------------------------------------------------------------------
-- Page visits: the newest 20 per customer (record_visit drops older ones).

create table public.customer_visits (
  id bigint generated always as identity primary key,
  customer_id uuid not null references public.customers (user_id) on delete cascade,
  url text not null check (char_length(url) between 1 and 2048),
  title text check (char_length(title) <= 300),
  referrer text check (char_length(referrer) <= 2048),
  browser text check (char_length(browser) <= 60),
  os text check (char_length(os) <= 60),
  language text check (char_length(language) <= 35),
  time_zone text check (char_length(time_zone) <= 64),
  screen text check (char_length(screen) <= 20),
  created_at timestamptz not null default now()
);
comment on table public.customer_visits is 'Pages a customer opened with the launcher connected, newest 20 kept.';
create index customer_visits_customer_idx on public.customer_visits (customer_id, created_at desc, id desc);

alter table public.customer_visits enable row level security;
revoke all on public.customer_visits from anon, authenticated;
revoke all on sequence public.customer_visits_id_seq from anon, authenticated;
grant select on public.customer_visits to authenticated;
do $$
begin
  if current_setting('server_version_num')::integer >= 170000 then
    execute 'revoke maintain on public.customer_visits from public, anon, authenticated, service_role';
  end if;
end
$$;

create policy "Customers see their visits; agents see all"
  on public.customer_visits for select to authenticated
  using (customer_id = (select auth.uid()) or (select private.is_agent()));

---------------------------------------------------------------------------------------------------
-- record_visit: the signed-in visitor's own page view. No customer id is taken: the row is always
-- the caller's (auth.uid()). Over-long fields are cut, not refused (the widget cuts them first; a
-- page's long title should not lose the visit).
create function public.record_visit(
  p_url text,
  p_title text default null,
  p_referrer text default null,
  p_browser text default null,
  p_os text default null,
  p_language text default null,
  p_time_zone text default null,
  p_screen text default null
) returns void
language plpgsql security definer set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  clean_url text := left(nullif(btrim(p_url), ''), 2048);
begin
  if caller is null then
    perform private.fail('PT401', 'Sign in before recording a visit', 'not_signed_in');
  end if;
  if private.is_agent() then
    perform private.fail('PT403', 'Agents have no visits to record', 'agent_not_customer');
  end if;
  if clean_url is null then
    perform private.fail('PT400', 'A visit needs the page address', 'url_required');
  end if;

  insert into public.customers as cu (user_id, last_seen_at) values (caller, now())
  on conflict (user_id) do update set last_seen_at = now();

  insert into public.customer_visits (customer_id, url, title, referrer, browser, os, language, time_zone, screen)
  values (caller, clean_url,
          left(nullif(btrim(p_title), ''), 300), left(nullif(btrim(p_referrer), ''), 2048),
          left(nullif(btrim(p_browser), ''), 60), left(nullif(btrim(p_os), ''), 60),
          left(nullif(btrim(p_language), ''), 35), left(nullif(btrim(p_time_zone), ''), 64),
          left(nullif(btrim(p_screen), ''), 20));

  delete from public.customer_visits v
   where v.customer_id = caller
     and v.id not in (select k.id from public.customer_visits k where k.customer_id = caller
                       order by k.created_at desc, k.id desc limit 20);
end;
$$;
revoke all on function public.record_visit(text, text, text, text, text, text, text, text) from public, anon, authenticated;
grant execute on function public.record_visit(text, text, text, text, text, text, text, text) to authenticated;

-- A customer's name and email as start_conversation (20261206000004) bounds them, for the two
-- functions below that write them: trimmed and lower-cased by the caller, null for none.
create function private.check_customer_identity(p_name text, p_email text) returns void
language plpgsql set search_path = ''
as $$
begin
  if p_name is not null and char_length(p_name) > 120 then
    perform private.fail('PT400', 'Name is longer than 120 characters', 'name_too_long');
  end if;
  if p_email is not null
     and (char_length(p_email) > 254 or p_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$') then
    perform private.fail('PT400', 'Email address is not valid', 'email_invalid');
  end if;
end;
$$;
revoke all on function private.check_customer_identity(text, text) from public, anon, authenticated;

---------------------------------------------------------------------------------------------------
-- identify_customer: what the host page says about its signed-in user, for the caller's own row.
-- A verified claim (see the top of this file) wins over the payload and over an agent's edit; a
-- payload value fills in only what no token and no agent has set. Attributes merge into the
-- customer's (a null value removes that key).
create function public.identify_customer(
  p_name text default null,
  p_email text default null,
  p_attributes jsonb default null
) returns public.customers
language plpgsql security definer set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  claims jsonb := coalesce(auth.jwt(), '{}');
  trusted boolean;
  claim_name text;
  claim_email text;
  clean_name text := nullif(btrim(p_name), '');
  clean_email text := lower(nullif(btrim(p_email), ''));
  current_row public.customers;
  merged jsonb;
  item record;
  stored public.customers;
begin
  if caller is null then
    perform private.fail('PT401', 'Sign in before identifying', 'not_signed_in');
  end if;
  if private.is_agent() then
    perform private.fail('PT403', 'Agents cannot identify as customers', 'agent_not_customer');
  end if;
  perform private.check_customer_identity(clean_name, clean_email);
  if p_attributes is not null then
    if jsonb_typeof(p_attributes) <> 'object' then
      perform private.fail('PT400', 'Attributes must be a JSON object', 'attributes_invalid');
    end if;
    for item in select key, value from jsonb_each(p_attributes) loop
      if char_length(item.key) not between 1 and 64 then
        perform private.fail('PT400', 'Attribute names are 1 to 64 characters long', 'attribute_name_invalid');
      end if;
      if jsonb_typeof(item.value) not in ('string', 'number', 'boolean', 'null') then
        perform private.fail('PT400', 'Attribute "' || item.key || '" must be a string, number, boolean or null', 'attribute_not_scalar');
      end if;
      if jsonb_typeof(item.value) = 'string' and char_length(item.value #>> '{}') > 256 then
        perform private.fail('PT400', 'Attribute "' || item.key || '" is longer than 256 characters', 'attribute_too_long');
      end if;
    end loop;
  end if;

  -- Claims count only from a signed-in, non-anonymous token that does not deny its email.
  trusted := coalesce(claims ->> 'role', '') = 'authenticated' and coalesce((claims ->> 'is_anonymous')::boolean, false) = false;
  if trusted then
    claim_name := nullif(btrim(claims ->> 'name'), '');
    if claim_name is not null and char_length(claim_name) > 120 then claim_name := null; end if;
    if coalesce(claims ->> 'email_verified', '') <> 'false' then
      claim_email := lower(nullif(btrim(claims ->> 'email'), ''));
      if claim_email is not null
         and (char_length(claim_email) > 254 or claim_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$') then
        claim_email := null;
      end if;
    end if;
  end if;

  insert into public.customers (user_id) values (caller) on conflict (user_id) do nothing;
  -- Locked, so two calls at once cannot both pass the count check and merge past it.
  select * into current_row from public.customers where user_id = caller for update;

  merged := current_row.attributes;
  if p_attributes is not null then
    merged := jsonb_strip_nulls(merged || p_attributes);
    if (select count(*) from jsonb_object_keys(merged)) > 50 then
      perform private.fail('PT400', 'A customer has at most 50 attributes', 'attributes_too_many');
    end if;
  end if;

  perform set_config('parley.identity_write', 'on', true);
  update public.customers cu
     set name = case when claim_name is not null then claim_name
                     when clean_name is not null and coalesce(cu.name_source, 'visitor') = 'visitor' then clean_name
                     else cu.name end,
         name_source = case when claim_name is not null then 'token'
                            when clean_name is not null and coalesce(cu.name_source, 'visitor') = 'visitor' then 'visitor'
                            else cu.name_source end,
         email = case when claim_email is not null then claim_email
                      when clean_email is not null and coalesce(cu.email_source, 'visitor') = 'visitor' then clean_email
                      else cu.email end,
         email_source = case when claim_email is not null then 'token'
                             when clean_email is not null and coalesce(cu.email_source, 'visitor') = 'visitor' then 'visitor'
                             else cu.email_source end,
         attributes = merged,
         last_seen_at = now(),
         updated_at = now()
   where cu.user_id = caller
  returning * into stored;
  perform set_config('parley.identity_write', '', true);
  return stored;
end;
$$;
revoke all on function public.identify_customer(text, text, jsonb) from public, anon, authenticated;
grant execute on function public.identify_customer(text, text, jsonb) to authenticated;

---------------------------------------------------------------------------------------------------
-- update_customer: an agent corrects a customer's name and email (null or blank clears one). The
-- values are the team's own ('agent'), never shown as verified.
create function public.update_customer(p_customer_id uuid, p_name text, p_email text) returns public.customers
language plpgsql security definer set search_path = ''
as $$
declare
  clean_name text := nullif(btrim(p_name), '');
  clean_email text := lower(nullif(btrim(p_email), ''));
  stored public.customers;
begin
  if auth.uid() is null then
    perform private.fail('PT401', 'Sign in to change a customer', 'not_signed_in');
  end if;
  if not private.is_agent() then
    perform private.fail('PT403', 'Only agents can change a customer', 'not_agent');
  end if;
  perform private.check_customer_identity(clean_name, clean_email);

  perform set_config('parley.identity_write', 'on', true);
  update public.customers cu
     set name = clean_name,
         name_source = case when clean_name is distinct from cu.name then 'agent' else cu.name_source end,
         email = clean_email,
         email_source = case when clean_email is distinct from cu.email then 'agent' else cu.email_source end,
         updated_at = now()
   where cu.user_id = p_customer_id
  returning * into stored;
  if not found then
    perform private.fail('PT404', 'Customer not found', 'customer_not_found');
  end if;
  perform set_config('parley.identity_write', '', true);
  return stored;
end;
$$;
revoke all on function public.update_customer(uuid, text, text) from public, anon, authenticated;
grant execute on function public.update_customer(uuid, text, text) to authenticated;

notify pgrst, 'reload schema';
