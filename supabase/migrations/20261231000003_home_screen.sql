-- The launcher's home screen (issue 15, item 1): what it needs comes with the first open in ONE
-- request, and who is online stays live while the widget is open.
--
--   * widget_settings() also answers `team`: team_online()'s object (whether anyone is online, and
--     those agents' public profiles: id, display name, avatar; nothing else), so the widget's first
--     open costs one RPC for settings and team, not two.
--   * When that object changes, it goes out on the settings' public topic 'parley:settings' as the
--     event 'team' (realtime.send, as the settings themselves): the same topic a widget has joined
--     already, in either realtime mode (Postgres Changes or scale mode's Broadcast), so no second
--     channel per widget. Public like team_online() is to any signed-in visitor: display names and
--     avatars of agents who are online, which every visitor is shown anyway.
--   * What changes it: a console's heartbeat or leave (private.console_sessions) and an agent's
--     choice, name or avatar (public.agents). The last object sent is kept in one row, so a heartbeat
--     that changes nobody's availability (the usual case: every ~30 s per console tab) sends nothing.
--     A console that vanishes without leaving (a crash) counts until its row lapses (150 s) and the
--     next heartbeat, by anyone, deletes it; a widget also reads the team again on every join.
--
-- Follows the rule atop 20261206000003_function_grants.sql.

-- The online team as visitors may see it (team_online()'s object), for the functions below.
create function private.online_team() returns jsonb
language sql stable security definer set search_path = ''
as $$
  select jsonb_build_object(
    'online', count(*) > 0,
    'agents', coalesce(jsonb_agg(jsonb_build_object('id', t.user_id, 'display_name', t.display_name, 'avatar_url', t.avatar_url)
                                 order by t.display_name, t.user_id), '[]'::jsonb))
    from private.team_availability() t
   where t.availability = 'online'
$$;
revoke all on function private.online_team() from public, anon, authenticated;

create or replace function public.widget_settings() returns jsonb
language sql stable security definer set search_path = ''
as $$
  select private.widget_settings_of(s) || jsonb_build_object('team', private.online_team())
    from public.workspace_settings s where s.id
$$;
revoke all on function public.widget_settings() from public, anon, authenticated;
grant execute on function public.widget_settings() to authenticated, service_role;

-- The object last broadcast; one row. Written only by the trigger function below.
create table private.online_team_sent (
  id boolean primary key default true constraint online_team_sent_one check (id),
  team jsonb not null
);
comment on table private.online_team_sent is
  'The online team last sent on parley:settings (event team), so unchanged heartbeats send nothing.';
alter table private.online_team_sent enable row level security;
revoke all on private.online_team_sent from public, anon, authenticated;
insert into private.online_team_sent (team) values (private.online_team());

create function private.broadcast_online_team() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  now_online jsonb := private.online_team();
begin
  -- The row lock orders concurrent heartbeats, so two of them cannot both skip (or both send) a change.
  update private.online_team_sent s set team = now_online where s.id and s.team is distinct from now_online;
  if found then
    perform realtime.send(now_online, 'team', 'parley:settings', false);
  end if;
  return null;
end;
$$;
revoke all on function private.broadcast_online_team() from public, anon, authenticated;

create trigger console_sessions_online_team after insert or update or delete on private.console_sessions
  for each statement execute function private.broadcast_online_team();
create trigger agents_online_team after insert or update of availability, display_name, avatar_url or delete on public.agents
  for each statement execute function private.broadcast_online_team();

notify pgrst, 'reload schema';
