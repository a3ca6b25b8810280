-- Scale mode (issue 12): Broadcast from Database, the transport Supabase recommends once Postgres
-- Changes (one RLS check per subscriber per change, on one thread per database) is the limit.
-- Triggers send each change of the chat tables to private topics with realtime.send (SUPABASE-WIRE
-- §1.13); Realtime authorizes a topic once, when a channel joins, by RLS on realtime.messages. The
-- topics are cut so that whoever may join one may read every row sent to it, exactly as the
-- tables' own RLS decides today:
--
--   parley:thread:<conversation id>       public messages of the conversation: its customer, agents
--   parley:team-thread:<conversation id>  every message, internal notes and team-only system
--                                         lines included: agents only
--   parley:customer:<customer id>         that customer's conversation rows and the read markers
--                                         on them (theirs and the agents'): the customer, agents
--   parley:inbox                          every conversation row and read marker: agents only
--
-- Payloads have the shape of realtime.broadcast_changes (`{schema, table, operation, record,
-- old_record}`, plus the `id` realtime.send adds) with the event named after the table, and
-- `record` is the whole row, as postgres_changes sends it: whoever may join a topic may SELECT
-- every column of what it carries (no column privileges restrict the chat tables). `old_record` is
-- left null: nobody reads it, and it would double every update. A customer's thread carries
-- `public_seq`, so it is dense in the customer's numbering; the team thread is dense in `seq`.
--
-- Nobody but these triggers writes to the topics: there is no INSERT policy for them (the one of
-- 20261124000005 admits `conversation:<id>` only), so a client cannot forge a row into a thread.
-- The triggers run as the migration's owner, which bypasses RLS on realtime.messages (`postgres`
-- on hosted Supabase, as in Supabase's own broadcast_changes examples).
--
-- The widget picks the transport (`realtime="broadcast"`); the triggers run by default, so both
-- work on any project, and Postgres Changes keeps working unchanged (the publication stays). They
-- cost each message about a quarter of a millisecond of database time and five or six rows in
-- realtime.messages (kept three days on hosted Supabase). A project that never uses scale mode can
-- stop them, as the table owner (SQL editor or a migration of its own):
--     select private.set_broadcast_changes(false);   -- and (true) to start again
-- While they are off the topics refuse every join, so a widget set to broadcast shows it is not
-- live (and polls over REST) instead of waiting for changes that never come.
--
-- Follows the rule atop 20261206000003_function_grants.sql.

---------------------------------------------------------------------------------------------------
-- Who may join which topic. Called by the policy as the joining user; security definer so it can
-- look at the conversation whatever the caller's RLS. Lower-case uuids only: the triggers write
-- them that way, and a topic spelled otherwise would never receive anything.
create function private.can_read_broadcast_topic(topic text) returns boolean
language plpgsql stable security definer set search_path = ''
as $$
declare
  parts text[] := regexp_match(
    topic, '^parley:(thread|team-thread|customer):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$');
  target uuid := parts[2]::uuid;
begin
  if not exists (select 1 from pg_catalog.pg_trigger t
                  where t.tgrelid = 'public.messages'::pg_catalog.regclass
                    and t.tgname = 'broadcast_changes' and t.tgenabled <> 'D') then
    return false;
  end if;
  if topic = 'parley:inbox' then
    return private.is_agent();
  end if;
  if parts is null or auth.uid() is null then
    return false;
  end if;
  return case parts[1]
    when 'team-thread' then private.is_agent()
    when 'customer' then target = auth.uid() or private.is_agent()
    else private.is_agent()
         or exists (select 1 from public.conversations c where c.id = target and c.customer_id = auth.uid())
  end;
end;
$$;
revoke all on function private.can_read_broadcast_topic(text) from public, anon, authenticated;
grant execute on function private.can_read_broadcast_topic(text) to authenticated, service_role;

-- Realtime probes a join with a row of the channel's topic; the row's own topic is checked too, so
-- reading realtime.messages directly with a chosen realtime.topic shows nothing of other topics.
create policy "Readers of a chat row listen on its database broadcast topic"
  on realtime.messages for select to authenticated
  using (
    extension = 'broadcast'
    and topic = (select realtime.topic())
    and (select private.can_read_broadcast_topic(realtime.topic()))
  );

---------------------------------------------------------------------------------------------------
-- The triggers. One payload per change, sent to each topic that may carry it.

create function private.broadcast_message() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  payload jsonb := jsonb_build_object(
    'schema', tg_table_schema, 'table', tg_table_name, 'operation', tg_op, 'record', to_jsonb(new), 'old_record', null);
begin
  perform realtime.send(payload, tg_table_name, 'parley:team-thread:' || new.conversation_id);
  if new.visibility = 'public' then
    perform realtime.send(payload, tg_table_name, 'parley:thread:' || new.conversation_id);
  end if;
  return null;
end;
$$;
revoke all on function private.broadcast_message() from public, anon, authenticated;

create function private.broadcast_conversation() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  payload jsonb;
begin
  if tg_op = 'UPDATE' and new is not distinct from old then
    return null;
  end if;
  payload := jsonb_build_object(
    'schema', tg_table_schema, 'table', tg_table_name, 'operation', tg_op, 'record', to_jsonb(new), 'old_record', null);
  perform realtime.send(payload, tg_table_name, 'parley:inbox');
  perform realtime.send(payload, tg_table_name, 'parley:customer:' || new.customer_id);
  return null;
end;
$$;
revoke all on function private.broadcast_conversation() from public, anon, authenticated;

create function private.broadcast_read_marker() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  payload jsonb;
  customer uuid;
begin
  if tg_op = 'UPDATE' and new is not distinct from old then
    return null;
  end if;
  payload := jsonb_build_object(
    'schema', tg_table_schema, 'table', tg_table_name, 'operation', tg_op, 'record', to_jsonb(new), 'old_record', null);
  perform realtime.send(payload, tg_table_name, 'parley:inbox');
  select c.customer_id into customer from public.conversations c where c.id = new.conversation_id;
  if customer is not null then
    perform realtime.send(payload, tg_table_name, 'parley:customer:' || customer);
  end if;
  return null;
end;
$$;
revoke all on function private.broadcast_read_marker() from public, anon, authenticated;

-- Messages are never updated or deleted by the app; postgres_changes clients ignore deletes too.
create trigger broadcast_changes after insert on public.messages
  for each row execute function private.broadcast_message();
create trigger broadcast_changes after insert or update on public.conversations
  for each row execute function private.broadcast_conversation();
create trigger broadcast_changes after insert or update on public.conversation_reads
  for each row execute function private.broadcast_read_marker();

-- Starts or stops the broadcasts (see the top of this file). Security invoker: only the tables'
-- owner may run it.
create function private.set_broadcast_changes(enabled boolean) returns void
language plpgsql set search_path = ''
as $$
declare
  action text := case when enabled then 'enable' else 'disable' end;
begin
  execute format('alter table public.messages %s trigger broadcast_changes', action);
  execute format('alter table public.conversations %s trigger broadcast_changes', action);
  execute format('alter table public.conversation_reads %s trigger broadcast_changes', action);
end;
$$;
revoke all on function private.set_broadcast_changes(boolean) from public, anon, authenticated;
