-- Visibility decided by the database, and read state that survives reloads (issue 10).
--
-- Messages are `public` (the customer reads them) or `internal` (agent notes and workflow lines the
-- customer never reads, over REST or realtime). Two dense sequences per conversation keep both
-- sides gap-free: `seq` numbers every message (the team's view), `public_seq` only public ones (the
-- customer's view), so a hidden note never looks like a gap to the customer's client.
--
-- Unread is exact without holding messages: each conversation counts what each side receives
-- (`customer_messages` for the team, `team_messages` for the customer), and each read marker keeps
-- those counters as they were at its position. Unread = counter − counter at the marker. System
-- lines and notes are never counted; sending moves the sender's own marker to the new message.

---------------------------------------------------------------------------------------------------
-- Columns and backfill. Before this migration every message was public; the workflow lines the
-- RPCs wrote (assignment, status → open/pending, the customer's reopening line) become internal.
alter table public.messages
  add column visibility text not null default 'public' check (visibility in ('public', 'internal')),
  add column public_seq bigint check (public_seq > 0);

update public.messages
   set visibility = 'internal'
 where sender_type = 'system'
   and (metadata ->> 'event' = 'assigned'
        or (metadata ->> 'event' = 'status_changed' and metadata ->> 'to' in ('open', 'pending')));

update public.messages m
   set public_seq = numbered.public_seq
  from (select id, row_number() over (partition by conversation_id order by seq) as public_seq
          from public.messages
         where visibility = 'public') numbered
 where m.id = numbered.id;

alter table public.messages
  add constraint messages_conversation_public_seq_key unique (conversation_id, public_seq),
  -- public_seq exists exactly for public messages; only agents and the system write internal ones.
  add constraint messages_public_seq_visibility_check check ((visibility = 'public') = (public_seq is not null)),
  add constraint messages_internal_sender_check check (visibility = 'public' or sender_type in ('agent', 'system'));

alter table public.conversations
  -- Highest public_seq handed out: the customer's last_seq.
  add column last_public_seq bigint not null default 0 check (last_public_seq >= 0),
  -- Customer messages: what the team counts as unread.
  add column customer_messages bigint not null default 0 check (customer_messages >= 0),
  -- Public agent and chatbot messages: what the customer counts as unread.
  add column team_messages bigint not null default 0 check (team_messages >= 0);

update public.conversations c
   set last_public_seq = counted.last_public_seq,
       customer_messages = counted.customer_messages,
       team_messages = counted.team_messages
  from (select conversation_id,
               coalesce(max(public_seq), 0) as last_public_seq,
               count(*) filter (where sender_type = 'customer') as customer_messages,
               count(*) filter (where sender_type in ('agent', 'chatbot') and visibility = 'public') as team_messages
          from public.messages
         group by conversation_id) counted
 where c.id = counted.conversation_id;

alter table public.conversation_reads
  add column last_read_public_seq bigint not null default 0 check (last_read_public_seq >= 0),
  add column read_customer_messages bigint not null default 0 check (read_customer_messages >= 0),
  add column read_team_messages bigint not null default 0 check (read_team_messages >= 0);

-- Nobody has unread messages older than their own last message: replying implies having read.
insert into public.conversation_reads as r (conversation_id, user_id, last_read_seq)
select m.conversation_id, m.sender_id, max(m.seq)
  from public.messages m
 where m.sender_id is not null and m.sender_type in ('customer', 'agent')
 group by m.conversation_id, m.sender_id
on conflict (conversation_id, user_id) do update
   set last_read_seq = excluded.last_read_seq, updated_at = now()
 where r.last_read_seq < excluded.last_read_seq;

update public.conversation_reads r
   set last_read_public_seq = counted.last_public_seq,
       read_customer_messages = counted.customer_messages,
       read_team_messages = counted.team_messages
  from (select r2.conversation_id, r2.user_id,
               coalesce(max(m.public_seq), 0) as last_public_seq,
               count(m.id) filter (where m.sender_type = 'customer') as customer_messages,
               count(m.id) filter (where m.sender_type in ('agent', 'chatbot') and m.visibility = 'public') as team_messages
          from public.conversation_reads r2
          left join public.messages m on m.conversation_id = r2.conversation_id and m.seq <= r2.last_read_seq
         group by r2.conversation_id, r2.user_id) counted
 where r.conversation_id = counted.conversation_id and r.user_id = counted.user_id;

---------------------------------------------------------------------------------------------------
-- Who reads what. A customer never reads an internal message; realtime checks the same policy per
-- subscriber, so an internal insert is never delivered to a customer either.
drop policy "Messages are visible with their conversation" on public.messages;
create policy "Agents see every message; customers the public ones of their conversations"
  on public.messages for select to authenticated
  using (
    (select private.is_agent())
    or (visibility = 'public'
        and conversation_id in (select id from public.conversations where customer_id = (select auth.uid())))
  );

-- The agents table holds roles; customers get public profiles through team_profiles() instead.
drop policy "Signed-in users see agents" on public.agents;
create policy "Agents see the team"
  on public.agents for select to authenticated
  using ((select private.is_agent()));

---------------------------------------------------------------------------------------------------
-- Appending. Replaces the versions of 20261124000003_chat_rpc.sql, which had no visibility.
drop function private.append_system_message(uuid, text, jsonb);
drop function private.append_message(uuid, uuid, text, uuid, text, jsonb);

-- Appends one message under the conversation's row lock, so seq and public_seq are dense and in
-- commit order. Callers hold the lock already (select … for update) and have checked authorization.
-- Counters, previews and last_message_at move only for what the customer sees as conversation
-- activity (public, not system); the sender's own read marker moves to the new message.
create function private.append_message(
  conversation uuid, message_id uuid, sender_type text, sender uuid, content text, metadata jsonb,
  visibility text default 'public'
) returns public.messages
language plpgsql security definer set search_path = ''
as $$
declare
  stamp timestamptz := clock_timestamp();
  is_public boolean := visibility = 'public';
  activity boolean := visibility = 'public' and sender_type <> 'system';
  counters public.conversations;
  stored public.messages;
begin
  update public.conversations c
     set last_seq = c.last_seq + 1,
         last_public_seq = c.last_public_seq + case when is_public then 1 else 0 end,
         customer_messages = c.customer_messages + case when sender_type = 'customer' then 1 else 0 end,
         team_messages = c.team_messages
                         + case when is_public and sender_type in ('agent', 'chatbot') then 1 else 0 end,
         updated_at = stamp,
         last_message_at = case when activity then stamp else c.last_message_at end,
         last_message_preview = case when activity
                                     then left(regexp_replace(btrim(content), '\s+', ' ', 'g'), 160)
                                     else c.last_message_preview end
   where c.id = conversation
  returning c.* into counters;

  insert into public.messages (id, conversation_id, seq, public_seq, visibility, sender_type, sender_id, content,
                               metadata, created_at)
  values (message_id, conversation, counters.last_seq, case when is_public then counters.last_public_seq end,
          visibility, sender_type, sender, content, coalesce(metadata, '{}'), stamp)
  returning * into stored;

  if sender is not null then
    insert into public.conversation_reads as r (conversation_id, user_id, last_read_seq, last_read_public_seq,
                                                read_customer_messages, read_team_messages, updated_at)
    values (conversation, sender, counters.last_seq, counters.last_public_seq,
            counters.customer_messages, counters.team_messages, stamp)
    on conflict (conversation_id, user_id) do update
       set last_read_seq = excluded.last_read_seq,
           last_read_public_seq = excluded.last_read_public_seq,
           read_customer_messages = excluded.read_customer_messages,
           read_team_messages = excluded.read_team_messages,
           updated_at = excluded.updated_at
     where r.last_read_seq < excluded.last_read_seq;
  end if;
  return stored;
end;
$$;

create function private.append_system_message(conversation uuid, content text, metadata jsonb, visibility text)
returns void
language sql security definer set search_path = ''
as $$
  select private.append_message(conversation, gen_random_uuid(), 'system', null, content, metadata, visibility);
$$;

revoke all on function
  private.append_message(uuid, uuid, text, uuid, text, jsonb, text),
  private.append_system_message(uuid, text, jsonb, text)
from public, anon, authenticated;

---------------------------------------------------------------------------------------------------
-- insert_message gains p_visibility: 'public' (default) or 'internal', a note only agents write
-- (and the service role as system). Replaces the five-argument version.
drop function public.insert_message(uuid, uuid, text, jsonb, text);

create function public.insert_message(
  p_id uuid,
  p_conversation_id uuid,
  p_content text,
  p_metadata jsonb default null,
  p_sender_type text default null,
  p_visibility text default null
) returns public.messages
language plpgsql security definer set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  visibility text := coalesce(p_visibility, 'public');
  conversation public.conversations;
  stored public.messages;
  sender_type text;
begin
  if p_id is null then
    perform private.fail('PT400', 'A message needs a client-generated id', 'id_required');
  end if;
  if p_content is null or btrim(p_content, E' \t\n\r\u00a0') = '' then
    perform private.fail('PT400', 'Message is empty', 'content_empty');
  end if;
  if char_length(p_content) > 4000 then
    perform private.fail('PT400', 'Message is longer than 4000 characters', 'content_too_long');
  end if;
  if p_metadata is not null and jsonb_typeof(p_metadata) <> 'object' then
    perform private.fail('PT400', 'Metadata must be a JSON object', 'metadata_invalid');
  end if;
  if p_sender_type is not null and p_sender_type not in ('customer', 'agent', 'chatbot', 'system') then
    perform private.fail('PT400', 'Unknown sender type', 'sender_type_invalid');
  end if;
  if visibility not in ('public', 'internal') then
    perform private.fail('PT400', 'Visibility must be public or internal', 'visibility_invalid');
  end if;

  select * into conversation from public.conversations where id = p_conversation_id for update;
  if not found then
    perform private.fail('PT404', 'Conversation not found', 'conversation_not_found');
  end if;

  if private.is_service() then
    sender_type := coalesce(p_sender_type, 'chatbot');
    if sender_type not in ('chatbot', 'system') then
      perform private.fail('PT403', 'The service role sends as chatbot or system', 'sender_type_forbidden');
    end if;
  elsif caller is not null and private.is_agent() then
    sender_type := 'agent';
  elsif caller is not null and conversation.customer_id = caller then
    sender_type := 'customer';
  else
    -- Same answer as a missing conversation: existence is not for strangers to learn.
    perform private.fail('PT404', 'Conversation not found', 'conversation_not_found');
  end if;
  if p_sender_type is not null and p_sender_type <> sender_type then
    perform private.fail('PT403', 'You cannot send as ' || p_sender_type, 'sender_type_forbidden');
  end if;
  if visibility = 'internal' and sender_type not in ('agent', 'system') then
    perform private.fail('PT403', 'Only agents can write internal notes', 'visibility_forbidden');
  end if;

  select * into stored from public.messages m where m.id = p_id;
  if found then
    if stored.conversation_id = p_conversation_id and stored.content = p_content
       and stored.sender_type = sender_type and stored.sender_id is not distinct from caller
       and stored.visibility = visibility then
      return stored;
    end if;
    perform private.fail('PT409', 'This message id is already taken', 'id_conflict');
  end if;

  if sender_type = 'customer' and conversation.status = 'closed' then
    perform private.fail('PT409', 'This conversation is closed; start a new one', 'conversation_closed');
  end if;
  if sender_type = 'chatbot' and not conversation.chatbot_enabled then
    perform private.fail('PT409', 'The chatbot is turned off for this conversation', 'chatbot_disabled');
  end if;

  stored := private.append_message(
    p_conversation_id, p_id, sender_type,
    case when sender_type in ('customer', 'agent') then caller end,
    p_content, p_metadata, visibility);

  -- A customer writing again reopens a conversation that was waiting or done. The line is for the
  -- team: the customer just wrote, and the status is workflow.
  if sender_type = 'customer' and conversation.status in ('pending', 'resolved') then
    update public.conversations set status = 'open', updated_at = clock_timestamp() where id = p_conversation_id;
    perform private.append_system_message(
      p_conversation_id, 'The customer replied; the conversation is open again',
      jsonb_build_object('event', 'status_changed', 'from', conversation.status, 'to', 'open', 'by', caller),
      'internal');
  end if;
  return stored;
end;
$$;

---------------------------------------------------------------------------------------------------
-- Status lines: resolved and closed concern the customer; open and pending are the team's workflow.
create or replace function public.set_conversation_status(p_conversation_id uuid, p_status text)
returns public.conversations
language plpgsql security definer set search_path = ''
as $$
declare
  before public.conversations;
  after public.conversations;
begin
  if p_status is null or p_status not in ('open', 'pending', 'resolved', 'closed') then
    perform private.fail('PT400', 'Status must be open, pending, resolved or closed', 'status_invalid');
  end if;
  before := private.lock_for_agent(p_conversation_id);
  if before.status = p_status then
    return before;
  end if;
  update public.conversations set status = p_status, updated_at = clock_timestamp()
   where id = p_conversation_id;
  perform private.append_system_message(
    p_conversation_id,
    private.actor_name(auth.uid()) || ' marked the conversation as ' || private.status_label(p_status),
    jsonb_build_object('event', 'status_changed', 'from', before.status, 'to', p_status, 'by', auth.uid()),
    case when p_status in ('resolved', 'closed') then 'public' else 'internal' end);
  select * into after from public.conversations where id = p_conversation_id;
  return after;
end;
$$;

-- Assignment lines are the team's; the customer learns only who joined, by public profile name.
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
  if p_agent_id is not null and not exists (select 1 from public.agents where user_id = p_agent_id) then
    perform private.fail('PT400', 'That person is not an agent', 'agent_unknown');
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
  -- An agent taking an unassigned conversation is said once, by the public line below.
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

---------------------------------------------------------------------------------------------------
-- mark_read: p_seq is in the caller's own units (the customer: public_seq; an agent: seq); the
-- other position and both counters are filled in from it. Never moves backwards, never past the
-- last message.
create or replace function public.mark_read(p_conversation_id uuid, p_seq bigint)
returns public.conversation_reads
language plpgsql security definer set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  conversation public.conversations;
  marker public.conversation_reads;
  read_seq bigint;
  read_public_seq bigint;
  read_customer bigint;
  read_team bigint;
begin
  if caller is null then
    perform private.fail('PT401', 'Sign in first', 'not_signed_in');
  end if;
  if p_seq is null or p_seq < 0 then
    perform private.fail('PT400', 'Read position must be zero or more', 'seq_invalid');
  end if;
  select * into conversation from public.conversations where id = p_conversation_id;
  if not found or not (conversation.customer_id = caller or private.is_agent()) then
    perform private.fail('PT404', 'Conversation not found', 'conversation_not_found');
  end if;

  if conversation.customer_id = caller then
    read_public_seq := least(p_seq, conversation.last_public_seq);
    read_seq := coalesce((select m.seq from public.messages m
                           where m.conversation_id = p_conversation_id and m.public_seq = read_public_seq), 0);
  else
    read_seq := least(p_seq, conversation.last_seq);
    read_public_seq := coalesce((select m.public_seq from public.messages m
                                  where m.conversation_id = p_conversation_id and m.seq <= read_seq
                                    and m.public_seq is not null
                                  order by m.seq desc limit 1), 0);
  end if;

  select * into marker from public.conversation_reads r
   where r.conversation_id = p_conversation_id and r.user_id = caller;
  if found and marker.last_read_seq >= read_seq then
    return marker;
  end if;

  -- Both counters count public messages only, so they follow from the public position.
  if read_public_seq = conversation.last_public_seq then
    read_customer := conversation.customer_messages;
    read_team := conversation.team_messages;
  else
    select count(*) filter (where m.sender_type = 'customer'),
           count(*) filter (where m.sender_type in ('agent', 'chatbot'))
      into read_customer, read_team
      from public.messages m
     where m.conversation_id = p_conversation_id and m.public_seq <= read_public_seq;
  end if;

  insert into public.conversation_reads as r (conversation_id, user_id, last_read_seq, last_read_public_seq,
                                              read_customer_messages, read_team_messages)
  values (p_conversation_id, caller, read_seq, read_public_seq, read_customer, read_team)
  on conflict (conversation_id, user_id) do update
     set last_read_seq = excluded.last_read_seq,
         last_read_public_seq = excluded.last_read_public_seq,
         read_customer_messages = excluded.read_customer_messages,
         read_team_messages = excluded.read_team_messages,
         updated_at = now()
   where r.last_read_seq < excluded.last_read_seq;

  select * into marker from public.conversation_reads r
   where r.conversation_id = p_conversation_id and r.user_id = caller;
  return marker;
end;
$$;

---------------------------------------------------------------------------------------------------
-- team_profiles: what anyone signed in may know about the team, to render names and avatars on
-- agent messages. No roles, no emails.
create function public.team_profiles()
returns table (user_id uuid, display_name text, avatar_url text)
language plpgsql stable security definer set search_path = ''
as $$
begin
  if auth.uid() is null and not private.is_service() then
    perform private.fail('PT401', 'Sign in first', 'not_signed_in');
  end if;
  return query
  select a.user_id, a.display_name, a.avatar_url
    from public.agents a
   order by a.display_name, a.user_id;
end;
$$;

revoke all on function
  public.insert_message(uuid, uuid, text, jsonb, text, text),
  public.team_profiles()
from public, anon;
grant execute on function
  public.insert_message(uuid, uuid, text, jsonb, text, text),
  public.team_profiles()
to authenticated, service_role;

notify pgrst, 'reload schema';
