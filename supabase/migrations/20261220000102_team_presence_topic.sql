-- Collision (issue 13, item 4): agents see who else has a conversation open, and who is writing a
-- reply or a note, through Realtime presence on a topic only agents may join:
--
--   parley:team-presence:<conversation id>   presence only (no broadcast): agents
--
-- Never `conversation:<id>`, which the conversation's customer joins: the visitor must not learn
-- which agents look at their conversation, nor that a note is being written. The topic admits the
-- `presence` extension only, so it cannot carry broadcasts (and nobody can forge a message on it).
--
-- Follows the rule atop 20261206000003_function_grants.sql.

create function private.can_use_team_presence_topic(topic text) returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  -- Lower-case uuids only, as the console writes them: one conversation, one topic.
  return topic is not null
     and topic ~ '^parley:team-presence:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
     and private.is_agent();
end;
$$;
revoke all on function private.can_use_team_presence_topic(text) from public, anon, authenticated;
grant execute on function private.can_use_team_presence_topic(text) to authenticated, service_role;

create policy "Agents see who else has a conversation open"
  on realtime.messages for select to authenticated
  using (
    extension = 'presence'
    and (select private.can_use_team_presence_topic(realtime.topic()))
  );

create policy "Agents say they have a conversation open"
  on realtime.messages for insert to authenticated
  with check (
    extension = 'presence'
    and (select private.can_use_team_presence_topic(realtime.topic()))
  );
