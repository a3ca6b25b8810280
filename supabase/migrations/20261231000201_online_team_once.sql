-- One definition of "the online team as visitors may see it" (review of issue 15).
--
-- 20261231000003_home_screen.sql added private.online_team(), a copy of public.team_online()
-- (20261220000101_agent_availability.sql): two bodies that must say the same thing, so a change to
-- what visitors may see (a new public profile field, a different rule for "online") would have to be
-- made twice or the bubble's answer and the home screen's would drift apart. widget_settings() and
-- the team broadcast now call public.team_online() itself and the copy goes.
--
-- Grants stay as they are: team_online() is security definer and owned like these callers, so
-- calling it from them needs no new grant, and visitors (authenticated) get exactly the object they
-- got before: whether anyone is online and those agents' id, display name and avatar.
--
-- Follows the rule atop 20261206000003_function_grants.sql.

create or replace function public.widget_settings() returns jsonb
language sql stable security definer set search_path = ''
as $$
  select private.widget_settings_of(s) || jsonb_build_object('team', public.team_online())
    from public.workspace_settings s where s.id
$$;
revoke all on function public.widget_settings() from public, anon, authenticated;
grant execute on function public.widget_settings() to authenticated, service_role;

create or replace function private.broadcast_online_team() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  now_online jsonb := public.team_online();
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

drop function private.online_team();

notify pgrst, 'reload schema';
