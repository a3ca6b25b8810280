-- Workspace settings and team administration (issue 14), on Supabase alone: RLS and security definer
-- RPCs decide who may change what, so the admin screen needs no server of its own and no
-- service-role key in any browser.
--
--   * public.workspace_settings: one row. Active agents read it; admins UPDATE it through PostgREST
--     (under RLS). Every rule is a named check constraint, so a refused write names the field
--     (`workspace_settings_<field>_...`); business hours are checked by private.business_hours_problem()
--     whose constraint error says what is wrong. A trigger stamps updated_at/updated_by.
--   * Visitors see only the public fields, through widget_settings() (authenticated: visitors sign in
--     anonymously) and live through a public Realtime broadcast on 'parley:settings'.
--   * Agents gain `active`: private.is_agent()/is_admin() count only active agents, so every policy,
--     RPC and realtime check drops a deactivated agent at once; the row (and their name on past
--     messages) stays.
--   * Team changes go through RPCs only (invite_agent, revoke_invitation, set_agent_role,
--     set_agent_active, update_own_profile); direct writes to public.agents are revoked. The
--     workspace never loses its last active admin ('last_admin').
--   * An invitation is accepted by a trigger on auth.users once that address is confirmed (on sign-up,
--     on confirmation, or on the next sign-in of an existing account).
--   * canned_responses and agents join the realtime publication (by their RLS: agents see canned
--     replies and the team; everyone their own agent row, so a console hears its role change).
--   * start_conversation auto-assigns round-robin to online agents when auto_assign is on.
--
-- Follows the rule atop 20261206000003_function_grants.sql and the bounds rule of
-- 20261206000004_schema_bounds.sql.

---------------------------------------------------------------------------------------------------
-- Agents: active or deactivated, and when each last got an automatic assignment.

alter table public.agents
  add column active boolean not null default true,
  add column deactivated_at timestamptz,
  -- Round-robin order for auto-assignment: the online agent served longest ago goes next.
  add column last_auto_assigned_at timestamptz;
comment on column public.agents.active is
  'False once an admin deactivates the agent: no agent access at all, but the row (and the name on past messages) stays.';

create or replace function private.is_agent() returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return exists (select 1 from public.agents where user_id = auth.uid() and active);
end;
$$;

create or replace function private.is_admin() returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return exists (select 1 from public.agents where user_id = auth.uid() and role = 'admin' and active);
end;
$$;
revoke all on function private.is_agent(), private.is_admin() from public, anon, authenticated;
grant execute on function private.is_agent(), private.is_admin() to authenticated, service_role;

-- The team changes only through the RPCs below, which keep the last-admin rule; a plain UPDATE
-- could demote the last admin, and DELETE would take names off past messages.
drop policy "Admins add agents" on public.agents;
drop policy "Admins change agents" on public.agents;
drop policy "Admins remove agents" on public.agents;
revoke insert, update, delete on public.agents from authenticated;

-- Each person reads their own agent row even once deactivated, and the table streams through
-- Realtime: an open console hears at once that its agent's role changed or that they were
-- deactivated (the team's rows stay visible to active agents only).
create policy "People see their own agent row"
  on public.agents for select to authenticated
  using (user_id = (select auth.uid()));
alter publication supabase_realtime add table public.agents;

-- Deactivated agents are nobody's availability: not online for visitors, not in the console's list.
create or replace function private.team_availability()
returns table (user_id uuid, display_name text, avatar_url text, chosen text, availability text)
language sql stable security definer set search_path = ''
as $$
  select a.user_id, a.display_name, a.avatar_url, a.availability,
         case
           when p.agent_id is null or a.availability = 'offline' then 'offline'
           when a.availability = 'away' or not p.active then 'away'
           else 'online'
         end
    from public.agents a
    left join (
      select s.agent_id, bool_or(now() - s.last_input_at < make_interval(secs => s.away_after)) as active
        from private.console_sessions s
       where s.last_seen > now() - private.console_session_ttl()
       group by s.agent_id
    ) p on p.agent_id = a.user_id
   where a.active
   order by a.display_name, a.user_id
$$;
revoke all on function private.team_availability() from public, anon, authenticated;

-- As in 20261206000001_visibility_and_reads.sql, but a deactivated agent takes no conversation.
create or replace function public.assign_conversation(p_conversation_id uuid, p_agent_id uuid)
returns public.conversations
language plpgsql security definer set search_path = ''
as $$
declare
  before public.conversations;
  after public.conversations;
  actor uuid := auth.uid();
  note text;
begin
  before := private.lock_for_agent(p_conversation_id);
  if p_agent_id is not null and not exists (select 1 from public.agents where user_id = p_agent_id and active) then
    perform private.fail('PT400', 'That person is not an active agent', 'agent_unknown');
  end if;
  if before.assigned_agent_id is not distinct from p_agent_id then
    return before;
  end if;
  update public.conversations set assigned_agent_id = p_agent_id, updated_at = clock_timestamp()
   where id = p_conversation_id;
  note := case
    when p_agent_id is null then private.actor_name(actor) || ' unassigned the conversation'
    when p_agent_id = actor then private.actor_name(actor) || ' took the conversation'
    else private.actor_name(actor) || ' assigned the conversation to ' || private.actor_name(p_agent_id)
  end;
  if not (p_agent_id = actor and before.assigned_agent_id is null) then
    perform private.append_system_message(
      p_conversation_id, note,
      jsonb_build_object('event', 'assigned', 'from', before.assigned_agent_id, 'to', p_agent_id, 'by', actor),
      'internal');
  end if;
  if p_agent_id is not null then
    perform private.append_system_message(
      p_conversation_id, private.actor_name(p_agent_id) || ' joined the conversation',
      jsonb_build_object('event', 'joined', 'agent', p_agent_id),
      'public');
  end if;
  select * into after from public.conversations where id = p_conversation_id;
  return after;
end;
$$;
revoke all on function public.assign_conversation(uuid, uuid) from public, anon, authenticated;
grant execute on function public.assign_conversation(uuid, uuid) to authenticated, service_role;

---------------------------------------------------------------------------------------------------
-- Workspace settings.

-- What is wrong with a business-hours value, or null when nothing is. One function for the check
-- constraint (which names the problem in its error) and for tests.
create function private.business_hours_problem(value jsonb) returns text
language plpgsql immutable set search_path = ''
as $$
declare
  day text;
  ranges jsonb;
  slot jsonb;
  previous_end text;
  holiday jsonb;
  starts text;
  ends text;
begin
  if value is null or jsonb_typeof(value) <> 'object' then
    return 'business hours must be an object';
  end if;
  if exists (select 1 from jsonb_object_keys(value) k where k not in ('enabled', 'timezone', 'weekly', 'holidays')) then
    return 'business hours have an unknown key';
  end if;
  if jsonb_typeof(value -> 'enabled') is distinct from 'boolean' then
    return 'enabled must be true or false';
  end if;
  if jsonb_typeof(value -> 'timezone') is distinct from 'string' or char_length(value ->> 'timezone') > 64 then
    return 'timezone must be a time zone name';
  end if;
  if jsonb_typeof(value -> 'weekly') is distinct from 'object'
     or exists (select 1 from jsonb_object_keys(value -> 'weekly') k
                 where k not in ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'))
     or (select count(*) from jsonb_object_keys(value -> 'weekly')) <> 7 then
    return 'weekly must list mon, tue, wed, thu, fri, sat and sun';
  end if;
  foreach day in array array['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] loop
    ranges := value -> 'weekly' -> day;
    if jsonb_typeof(ranges) <> 'array' then
      return day || ' must be a list of [start, end] ranges';
    end if;
    if jsonb_array_length(ranges) > 4 then
      return day || ' has more than 4 ranges';
    end if;
    previous_end := null;
    for slot in select r from jsonb_array_elements(ranges) r loop
      if jsonb_typeof(slot) <> 'array' or jsonb_array_length(slot) <> 2
         or jsonb_typeof(slot -> 0) <> 'string' or jsonb_typeof(slot -> 1) <> 'string' then
        return day || ' has a range that is not [start, end]';
      end if;
      starts := slot ->> 0;
      ends := slot ->> 1;
      if starts !~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' or ends !~ '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$' then
        return day || ' has a time that is not HH:MM between 00:00 and 24:00';
      end if;
      if starts >= ends then
        return day || ' has a range that does not end after it starts';
      end if;
      -- Ranges in order and apart: each starts at or after the previous one's end.
      if previous_end is not null and starts < previous_end then
        return day || ' has overlapping or unordered ranges';
      end if;
      previous_end := ends;
    end loop;
  end loop;
  if jsonb_typeof(value -> 'holidays') is distinct from 'array' then
    return 'holidays must be a list of dates';
  end if;
  if jsonb_array_length(value -> 'holidays') > 100 then
    return 'there are more than 100 holidays';
  end if;
  for holiday in select h from jsonb_array_elements(value -> 'holidays') h loop
    if jsonb_typeof(holiday) <> 'string' or (holiday #>> '{}') !~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' then
      return 'holidays must be dates as YYYY-MM-DD';
    end if;
    begin
      perform (holiday #>> '{}')::date;
    exception when others then
      return 'holiday ' || (holiday #>> '{}') || ' is not a calendar date';
    end;
  end loop;
  return null;
end;
$$;
revoke all on function private.business_hours_problem(jsonb) from public, anon, authenticated;

-- The check constraint's function: raises (as a check violation naming the constraint) with the
-- problem, so the admin sees "mon has overlapping ranges" rather than only a constraint name. The
-- time zone is checked here, not in the immutable function above: the zone list is the server's.
create function private.check_business_hours(value jsonb) returns boolean
language plpgsql stable security definer set search_path = ''
as $$
declare
  problem text := private.business_hours_problem(value);
begin
  if problem is null and not exists (select 1 from pg_catalog.pg_timezone_names z where z.name = value ->> 'timezone') then
    problem := 'timezone ' || left(value ->> 'timezone', 64) || ' is not a known time zone';
  end if;
  if problem is not null then
    raise exception using errcode = '23514',
      message = 'Business hours are not valid: ' || problem
                || ' (check constraint "workspace_settings_business_hours_valid")',
      detail = 'workspace_settings_business_hours_valid',
      constraint = 'workspace_settings_business_hours_valid';
  end if;
  return true;
end;
$$;
revoke all on function private.check_business_hours(jsonb) from public, anon, authenticated;
-- Runs as the writer inside the constraint: an admin's PostgREST update needs to execute it.
grant execute on function private.check_business_hours(jsonb) to authenticated, service_role;

create table public.workspace_settings (
  id boolean primary key default true constraint workspace_settings_single_row check (id),
  brand_name text not null default 'Support'
    constraint workspace_settings_brand_name_length check (char_length(btrim(brand_name)) between 1 and 80 and char_length(brand_name) <= 80),
  greeting text not null default 'Hi there 👋'
    constraint workspace_settings_greeting_length check (char_length(btrim(greeting)) between 1 and 120 and char_length(greeting) <= 120),
  intro text not null default ''
    constraint workspace_settings_intro_length check (char_length(intro) <= 500),
  accent_color text not null default '#1f5fd1'
    constraint workspace_settings_accent_color_format check (accent_color ~ '^#[0-9a-f]{6}$'),
  show_team_avatars boolean not null default true,
  reply_time text not null default 'unknown'
    constraint workspace_settings_reply_time_known check (reply_time in ('minutes', 'hour', 'day', 'unknown')),
  business_hours jsonb not null default jsonb_build_object(
    'enabled', false, 'timezone', 'UTC',
    'weekly', jsonb_build_object(
      'mon', '[["09:00","17:00"]]'::jsonb, 'tue', '[["09:00","17:00"]]'::jsonb, 'wed', '[["09:00","17:00"]]'::jsonb,
      'thu', '[["09:00","17:00"]]'::jsonb, 'fri', '[["09:00","17:00"]]'::jsonb, 'sat', '[]'::jsonb, 'sun', '[]'::jsonb),
    'holidays', '[]'::jsonb)
    constraint workspace_settings_business_hours_valid check (private.check_business_hours(business_hours)),
  away_message text not null default ''
    constraint workspace_settings_away_message_length check (char_length(away_message) <= 500),
  pre_chat text not null default 'none'
    constraint workspace_settings_pre_chat_known check (pre_chat in ('none', 'optional', 'required')),
  csat_enabled boolean not null default false,
  default_language text not null default 'en'
    constraint workspace_settings_default_language_format check (default_language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' and char_length(default_language) <= 35),
  auto_assign boolean not null default false,
  updated_at timestamptz not null default now(),
  updated_by uuid references auth.users (id) on delete set null
);
comment on table public.workspace_settings is
  'The one workspace settings row. Agents read it, admins update it; visitors see the public part through widget_settings().';
insert into public.workspace_settings (id) values (true);

alter table public.workspace_settings enable row level security;
revoke all on public.workspace_settings from anon, authenticated;
grant select, update on public.workspace_settings to authenticated;
do $$
begin
  if current_setting('server_version_num')::integer >= 170000 then
    execute 'revoke maintain on public.workspace_settings from public, anon, authenticated, service_role';
  end if;
end
$$;

create policy "Agents read the workspace settings"
  on public.workspace_settings for select to authenticated
  using ((select private.is_agent()));
create policy "Admins change the workspace settings"
  on public.workspace_settings for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));

-- Who changed it and when is the database's to say, not the client's.
create function private.workspace_settings_stamp() returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.id := true;
  new.updated_at := now();
  new.updated_by := auth.uid();
  return new;
end;
$$;
revoke all on function private.workspace_settings_stamp() from public, anon, authenticated;
create trigger workspace_settings_stamp before update on public.workspace_settings
  for each row execute function private.workspace_settings_stamp();

-- The fields a visitor's widget may see, and nothing else (not auto_assign, not who changed it).
create function private.widget_settings_of(s public.workspace_settings) returns jsonb
language sql immutable set search_path = ''
as $$
  select jsonb_build_object(
    'brand_name', s.brand_name, 'greeting', s.greeting, 'intro', s.intro, 'accent_color', s.accent_color,
    'show_team_avatars', s.show_team_avatars, 'reply_time', s.reply_time, 'business_hours', s.business_hours,
    'away_message', s.away_message, 'pre_chat', s.pre_chat, 'csat_enabled', s.csat_enabled,
    'default_language', s.default_language)
$$;
revoke all on function private.widget_settings_of(public.workspace_settings) from public, anon, authenticated;

create function public.widget_settings() returns jsonb
language sql stable security definer set search_path = ''
as $$
  select private.widget_settings_of(s) from public.workspace_settings s where s.id
$$;
revoke all on function public.widget_settings() from public, anon, authenticated;
grant execute on function public.widget_settings() to authenticated, service_role;

-- A change reaches open widgets live: the same payload as widget_settings(), on a public topic
-- (every visitor may read it anyway), only when a visitor-visible field changed.
create function private.broadcast_widget_settings() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  payload jsonb := private.widget_settings_of(new);
begin
  if payload is distinct from private.widget_settings_of(old) then
    perform realtime.send(payload, 'settings', 'parley:settings', false);
  end if;
  return null;
end;
$$;
revoke all on function private.broadcast_widget_settings() from public, anon, authenticated;
create trigger workspace_settings_broadcast after update on public.workspace_settings
  for each row execute function private.broadcast_widget_settings();

---------------------------------------------------------------------------------------------------
-- Invitations.

create table public.agent_invitations (
  id uuid primary key default gen_random_uuid(),
  email text not null constraint agent_invitations_email_format
    check (char_length(email) <= 254 and email = lower(email) and email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
  role text not null default 'agent' constraint agent_invitations_role_known check (role in ('agent', 'admin')),
  display_name text constraint agent_invitations_display_name_length
    check (display_name is null or (char_length(btrim(display_name)) between 1 and 80 and char_length(display_name) <= 80)),
  invited_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  accepted_at timestamptz,
  accepted_by uuid references auth.users (id) on delete set null,
  revoked_at timestamptz,
  constraint agent_invitations_one_outcome check (accepted_at is null or revoked_at is null)
);
comment on table public.agent_invitations is
  'Admins invite agents by email; a trigger on auth.users accepts the invitation when that address is confirmed.';
-- One pending invitation per address (the trigger must know which role to give).
create unique index agent_invitations_pending_email on public.agent_invitations (email)
  where accepted_at is null and revoked_at is null;

alter table public.agent_invitations enable row level security;
revoke all on public.agent_invitations from anon, authenticated;
grant select on public.agent_invitations to authenticated;
do $$
begin
  if current_setting('server_version_num')::integer >= 170000 then
    execute 'revoke maintain on public.agent_invitations from public, anon, authenticated, service_role';
  end if;
end
$$;
create policy "Admins see invitations"
  on public.agent_invitations for select to authenticated
  using ((select private.is_admin()));

create function private.require_admin() returns void
language plpgsql stable security definer set search_path = ''
as $$
begin
  if auth.uid() is null or not private.is_admin() then
    perform private.fail('PT403', 'Only admins can manage the workspace', 'admin_required');
  end if;
end;
$$;
revoke all on function private.require_admin() from public, anon, authenticated;

create function public.invite_agent(p_email text, p_role text default 'agent', p_display_name text default null)
returns public.agent_invitations
language plpgsql volatile security definer set search_path = ''
as $$
declare
  clean_email text := lower(btrim(p_email));
  clean_name text := nullif(btrim(p_display_name), '');
  created public.agent_invitations;
begin
  perform private.require_admin();
  if clean_email is null or char_length(clean_email) > 254
     or clean_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' then
    perform private.fail('PT400', 'Email address is not valid', 'email_invalid');
  end if;
  if p_role is null or p_role not in ('agent', 'admin') then
    perform private.fail('PT400', 'Role must be agent or admin', 'role_invalid');
  end if;
  if clean_name is not null and char_length(clean_name) > 80 then
    perform private.fail('PT400', 'Display name is longer than 80 characters', 'display_name_invalid');
  end if;
  if exists (select 1 from public.agents a join auth.users u on u.id = a.user_id where lower(u.email) = clean_email) then
    perform private.fail('PT409', 'That address already belongs to an agent (reactivate them instead)', 'already_agent');
  end if;
  -- The invitations table is not a place to store unbounded rows.
  if (select count(*) from public.agent_invitations i where i.accepted_at is null and i.revoked_at is null) >= 500 then
    perform private.fail('PT429', 'Too many pending invitations', 'too_many_invitations');
  end if;
  begin
    insert into public.agent_invitations (email, role, display_name, invited_by)
    values (clean_email, p_role, clean_name, auth.uid())
    returning * into created;
  exception when unique_violation then
    perform private.fail('PT409', 'That address is already invited', 'already_invited');
  end;
  return created;
end;
$$;
revoke all on function public.invite_agent(text, text, text) from public, anon, authenticated;
grant execute on function public.invite_agent(text, text, text) to authenticated;

create function public.revoke_invitation(p_id uuid) returns public.agent_invitations
language plpgsql volatile security definer set search_path = ''
as $$
declare
  found_row public.agent_invitations;
begin
  perform private.require_admin();
  select * into found_row from public.agent_invitations i where i.id = p_id for update;
  if not found then
    perform private.fail('PT404', 'Invitation not found', 'invitation_not_found');
  end if;
  if found_row.accepted_at is not null then
    perform private.fail('PT409', 'That invitation was already accepted', 'invitation_accepted');
  end if;
  if found_row.revoked_at is null then
    update public.agent_invitations i set revoked_at = now() where i.id = p_id returning * into found_row;
  end if;
  return found_row;
end;
$$;
revoke all on function public.revoke_invitation(uuid) from public, anon, authenticated;
grant execute on function public.revoke_invitation(uuid) to authenticated;

-- Accepts a pending invitation for a user's confirmed address: on sign-up (confirmed at once when
-- the project does not confirm emails), on confirmation, and on an existing account's next sign-in.
-- Never fails the auth request: a problem leaves the invitation pending and logs a warning.
create function private.accept_agent_invitation() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  invitation public.agent_invitations;
  name text;
begin
  if new.email is null or new.email_confirmed_at is null or coalesce(new.is_anonymous, false) then
    return null;
  end if;
  select * into invitation from public.agent_invitations i
   where i.email = lower(new.email) and i.accepted_at is null and i.revoked_at is null
   for update;
  if not found then
    return null;
  end if;
  name := btrim(left(coalesce(invitation.display_name,
                              nullif(btrim(new.raw_user_meta_data ->> 'full_name'), ''),
                              nullif(btrim(new.raw_user_meta_data ->> 'name'), ''),
                              split_part(lower(new.email), '@', 1)), 80));
  begin
    insert into public.agents (user_id, display_name, role)
    values (new.id, name, invitation.role)
    on conflict (user_id) do update set role = excluded.role, active = true, deactivated_at = null;
    update public.agent_invitations i set accepted_at = now(), accepted_by = new.id where i.id = invitation.id;
  exception when others then
    raise warning 'parley: invitation % for user % not accepted: %', invitation.id, new.id, sqlerrm;
  end;
  return null;
end;
$$;
revoke all on function private.accept_agent_invitation() from public, anon, authenticated;
create trigger parley_accept_agent_invitation
  after insert or update of email, email_confirmed_at, last_sign_in_at on auth.users
  for each row execute function private.accept_agent_invitation();

---------------------------------------------------------------------------------------------------
-- Roles, deactivation, own profile.

-- Serializes every change that could leave no active admin, so two admins demoting each other at
-- once cannot both pass the check.
create function private.lock_team() returns void
language sql volatile set search_path = ''
as $$ select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('parley.team_admins')::bigint) $$;
revoke all on function private.lock_team() from public, anon, authenticated;

create function private.locked_agent(p_agent_id uuid) returns public.agents
language plpgsql volatile security definer set search_path = ''
as $$
declare
  target public.agents;
begin
  perform private.require_admin();
  perform private.lock_team();
  select * into target from public.agents a where a.user_id = p_agent_id for update;
  if not found then
    perform private.fail('PT404', 'Agent not found', 'agent_not_found');
  end if;
  return target;
end;
$$;
revoke all on function private.locked_agent(uuid) from public, anon, authenticated;

create function private.other_active_admins(p_agent_id uuid) returns bigint
language sql stable security definer set search_path = ''
as $$ select count(*) from public.agents a where a.role = 'admin' and a.active and a.user_id <> p_agent_id $$;
revoke all on function private.other_active_admins(uuid) from public, anon, authenticated;

create function public.set_agent_role(p_agent_id uuid, p_role text) returns public.agents
language plpgsql volatile security definer set search_path = ''
as $$
declare
  target public.agents;
begin
  if p_role is null or p_role not in ('agent', 'admin') then
    perform private.require_admin();
    perform private.fail('PT400', 'Role must be agent or admin', 'role_invalid');
  end if;
  target := private.locked_agent(p_agent_id);
  if target.role = 'admin' and p_role = 'agent' and target.active and private.other_active_admins(p_agent_id) = 0 then
    perform private.fail('PT409', 'The workspace needs at least one active admin', 'last_admin');
  end if;
  update public.agents a set role = p_role where a.user_id = p_agent_id returning * into target;
  return target;
end;
$$;
revoke all on function public.set_agent_role(uuid, text) from public, anon, authenticated;
grant execute on function public.set_agent_role(uuid, text) to authenticated;

create function public.set_agent_active(p_agent_id uuid, p_active boolean) returns public.agents
language plpgsql volatile security definer set search_path = ''
as $$
declare
  target public.agents;
begin
  if p_active is null then
    perform private.require_admin();
    perform private.fail('PT400', 'Active must be true or false', 'active_invalid');
  end if;
  target := private.locked_agent(p_agent_id);
  if target.active = p_active then
    return target;
  end if;
  if not p_active and target.role = 'admin' and private.other_active_admins(p_agent_id) = 0 then
    perform private.fail('PT409', 'The workspace needs at least one active admin', 'last_admin');
  end if;
  update public.agents a
     set active = p_active, deactivated_at = case when p_active then null else now() end
   where a.user_id = p_agent_id returning * into target;
  if not p_active then
    -- Their open consoles stop counting as online (auto-assignment, the widget's "we're online").
    delete from private.console_sessions s where s.agent_id = p_agent_id;
  end if;
  return target;
end;
$$;
revoke all on function public.set_agent_active(uuid, boolean) from public, anon, authenticated;
grant execute on function public.set_agent_active(uuid, boolean) to authenticated;

create function public.update_own_profile(p_display_name text, p_avatar_url text default null)
returns public.agents
language plpgsql volatile security definer set search_path = ''
as $$
declare
  clean_name text := btrim(p_display_name);
  clean_avatar text := nullif(btrim(p_avatar_url), '');
  updated public.agents;
begin
  if auth.uid() is null or not private.is_agent() then
    perform private.fail('PT403', 'Only agents have a team profile', 'not_agent');
  end if;
  if clean_name is null or char_length(clean_name) not between 1 and 80 then
    perform private.fail('PT400', 'Display name must be 1 to 80 characters', 'display_name_invalid');
  end if;
  if clean_avatar is not null and (clean_avatar !~ '^https?://' or char_length(clean_avatar) > 2048) then
    perform private.fail('PT400', 'Avatar must be an http(s) URL of at most 2048 characters', 'avatar_url_invalid');
  end if;
  update public.agents a set display_name = clean_name, avatar_url = clean_avatar
   where a.user_id = auth.uid() returning * into updated;
  return updated;
end;
$$;
revoke all on function public.update_own_profile(text, text) from public, anon, authenticated;
grant execute on function public.update_own_profile(text, text) to authenticated;

---------------------------------------------------------------------------------------------------
-- Canned replies: live for the composer's "/" picker (RLS shows them to agents only), and
-- updated_at kept by the database.

create function private.touch_updated_at() returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
revoke all on function private.touch_updated_at() from public, anon, authenticated;
create trigger canned_responses_touch before update on public.canned_responses
  for each row execute function private.touch_updated_at();

alter publication supabase_realtime add table public.canned_responses;

---------------------------------------------------------------------------------------------------
-- Auto-assignment inside start_conversation.

-- Gives a new conversation to the active online agent whose last automatic assignment is oldest.
-- One transaction at a time picks (an advisory lock held to commit), and each pick reads the
-- committed last_auto_assigned_at of the ones before: 50 starts at once go round the online agents
-- evenly and no conversation is assigned twice. Nobody online: it stays unassigned.
create function private.auto_assign(conversation uuid) returns void
language plpgsql volatile security definer set search_path = ''
as $$
declare
  pick uuid;
begin
  if not coalesce((select s.auto_assign from public.workspace_settings s where s.id), false) then
    return;
  end if;
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('parley.auto_assign')::bigint);
  select a.user_id into pick
    from private.team_availability() t join public.agents a on a.user_id = t.user_id
   where t.availability = 'online' and a.active
   order by a.last_auto_assigned_at nulls first, a.user_id
   limit 1;
  if pick is null then
    return;
  end if;
  update public.agents a set last_auto_assigned_at = clock_timestamp() where a.user_id = pick;
  update public.conversations c set assigned_agent_id = pick, updated_at = clock_timestamp() where c.id = conversation;
  perform private.append_system_message(
    conversation, 'The conversation was assigned to ' || private.actor_name(pick) || ' automatically',
    jsonb_build_object('event', 'assigned', 'from', null, 'to', pick, 'by', null, 'auto', true),
    'internal');
  perform private.append_system_message(
    conversation, private.actor_name(pick) || ' joined the conversation',
    jsonb_build_object('event', 'joined', 'agent', pick),
    'public');
end;
$$;
revoke all on function private.auto_assign(uuid) from public, anon, authenticated;

-- As in 20261206000004_schema_bounds.sql, with auto-assignment of a new conversation.
create or replace function public.start_conversation(
  p_id uuid default null,
  p_subject text default null,
  p_name text default null,
  p_email text default null,
  p_metadata jsonb default null
) returns public.conversations
language plpgsql security definer set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  clean_name text := nullif(btrim(p_name), '');
  clean_email text := lower(nullif(btrim(p_email), ''));
  clean_subject text := nullif(btrim(p_subject), '');
  existing public.conversations;
  known_metadata jsonb;
  created public.conversations;
begin
  if caller is null then
    perform private.fail('PT401', 'Sign in before starting a conversation', 'not_signed_in');
  end if;
  if private.is_agent() then
    perform private.fail('PT403', 'Agents cannot start conversations as customers', 'agent_not_customer');
  end if;
  if clean_name is not null and char_length(clean_name) > 120 then
    perform private.fail('PT400', 'Name is longer than 120 characters', 'name_too_long');
  end if;
  if clean_email is not null
     and (char_length(clean_email) > 254 or clean_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$') then
    perform private.fail('PT400', 'Email address is not valid', 'email_invalid');
  end if;
  if clean_subject is not null and char_length(clean_subject) > 200 then
    perform private.fail('PT400', 'Subject is longer than 200 characters', 'subject_too_long');
  end if;
  perform private.check_metadata(p_metadata);

  if p_id is not null then
    select * into existing from public.conversations where id = p_id;
    if found then
      if existing.customer_id = caller then
        return existing;
      end if;
      perform private.fail('PT409', 'This conversation id is already taken', 'id_conflict');
    end if;
  end if;

  select cu.metadata into known_metadata from public.customers cu where cu.user_id = caller for update;
  if found and p_metadata is not null then
    perform private.check_metadata(known_metadata || p_metadata, 'Customer metadata');
  end if;

  insert into public.customers as cu (user_id, name, email, metadata)
  values (caller, clean_name, clean_email, coalesce(p_metadata, '{}'))
  on conflict (user_id) do update
     set name = coalesce(excluded.name, cu.name),
         email = coalesce(excluded.email, cu.email),
         metadata = cu.metadata || excluded.metadata,
         updated_at = now()
   where (excluded.name is not null and excluded.name is distinct from cu.name)
      or (excluded.email is not null and excluded.email is distinct from cu.email)
      or cu.metadata || excluded.metadata <> cu.metadata;

  insert into public.conversations (id, customer_id, subject)
  values (coalesce(p_id, gen_random_uuid()), caller, clean_subject)
  returning * into created;
  perform private.auto_assign(created.id);
  select * into created from public.conversations c where c.id = created.id;
  return created;
end;
$$;
revoke all on function public.start_conversation(uuid, text, text, text, jsonb) from public, anon, authenticated;
grant execute on function public.start_conversation(uuid, text, text, text, jsonb) to authenticated, service_role;

notify pgrst, 'reload schema';
