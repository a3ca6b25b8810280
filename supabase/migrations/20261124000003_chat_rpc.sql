-- The write API. Every RPC checks who calls it (customer, agent, service role) and fails with a
-- PostgREST custom status (SQLSTATE PTxyz → HTTP xyz), a message a person can read, and a stable
-- machine-readable reason in `details`. Nothing is written when a call fails.

create function private.fail(status text, message text, reason text) returns void
language plpgsql set search_path = ''
as $$
begin
  raise exception using errcode = status, message = message, detail = reason;
end;
$$;

create function private.is_service() returns boolean
language sql stable set search_path = ''
as $$
  select coalesce(auth.role(), '') = 'service_role'
$$;

-- The name system messages use for whoever made a change.
create function private.actor_name(actor uuid) returns text
language sql stable security definer set search_path = ''
as $$
  select coalesce(
    (select display_name from public.agents where user_id = actor),
    (select name from public.customers where user_id = actor),
    case when actor is null then 'Parley' else 'The customer' end
  )
$$;

-- Appends one message under the conversation's row lock, so seq is dense and in commit order.
-- Callers hold the lock already (select … for update) and have checked authorization.
create function private.append_message(
  conversation uuid, message_id uuid, sender_type text, sender uuid, content text, metadata jsonb
) returns public.messages
language plpgsql security definer set search_path = ''
as $$
declare
  next_seq bigint;
  stamp timestamptz := clock_timestamp();
  stored public.messages;
begin
  update public.conversations c
     set last_seq = c.last_seq + 1,
         updated_at = stamp,
         -- System notes do not count as conversation activity for ordering and previews.
         last_message_at = case when sender_type = 'system' then c.last_message_at else stamp end,
         last_message_preview = case when sender_type = 'system' then c.last_message_preview
                                     else left(regexp_replace(btrim(content), '\s+', ' ', 'g'), 160) end
   where c.id = conversation
  returning c.last_seq into next_seq;

  insert into public.messages (id, conversation_id, seq, sender_type, sender_id, content, metadata, created_at)
  values (message_id, conversation, next_seq, sender_type, sender, content, coalesce(metadata, '{}'), stamp)
  returning * into stored;
  return stored;
end;
$$;

create function private.append_system_message(conversation uuid, content text, metadata jsonb) returns void
language sql security definer set search_path = ''
as $$
  select private.append_message(conversation, gen_random_uuid(), 'system', null, content, metadata);
$$;

create function private.status_label(status text) returns text
language sql immutable set search_path = ''
as $$
  select case status when 'open' then 'open' when 'pending' then 'pending'
                     when 'resolved' then 'resolved' when 'closed' then 'closed' end
$$;

revoke all on all functions in schema private from public, anon, authenticated;
grant execute on function private.is_agent(), private.is_admin() to authenticated, service_role;

---------------------------------------------------------------------------------------------------
-- start_conversation: a customer (anonymous visitors included) opens a conversation. `p_id` lets
-- the client retry safely; name and email fill in the customer's profile (pre-chat form).
create function public.start_conversation(
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
  if p_metadata is not null and jsonb_typeof(p_metadata) <> 'object' then
    perform private.fail('PT400', 'Metadata must be a JSON object', 'metadata_invalid');
  end if;

  if p_id is not null then
    select * into existing from public.conversations where id = p_id;
    if found then
      if existing.customer_id = caller then
        return existing;
      end if;
      perform private.fail('PT409', 'This conversation id is already taken', 'id_conflict');
    end if;
  end if;

  insert into public.customers as cu (user_id, name, email, metadata)
  values (caller, clean_name, clean_email, coalesce(p_metadata, '{}'))
  on conflict (user_id) do update
     set name = coalesce(excluded.name, cu.name),
         email = coalesce(excluded.email, cu.email),
         metadata = cu.metadata || excluded.metadata,
         updated_at = now();

  insert into public.conversations (id, customer_id, subject)
  values (coalesce(p_id, gen_random_uuid()), caller, clean_subject)
  returning * into created;
  return created;
end;
$$;

---------------------------------------------------------------------------------------------------
-- insert_message: the one way messages are written. The sender type comes from the caller:
-- the conversation's customer → customer, an agent → agent, the service role → chatbot (or
-- system when asked). A retry with an id already stored returns the stored row unchanged.
create function public.insert_message(
  p_id uuid,
  p_conversation_id uuid,
  p_content text,
  p_metadata jsonb default null,
  p_sender_type text default null
) returns public.messages
language plpgsql security definer set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  conversation public.conversations;
  stored public.messages;
  sender_type text;
  reopened boolean := false;
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

  select * into stored from public.messages where id = p_id;
  if found then
    if stored.conversation_id = p_conversation_id and stored.content = p_content
       and stored.sender_type = sender_type and stored.sender_id is not distinct from caller then
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
    p_content, p_metadata);

  -- A customer writing again reopens a conversation that was waiting or done.
  if sender_type = 'customer' and conversation.status in ('pending', 'resolved') then
    update public.conversations set status = 'open', updated_at = clock_timestamp() where id = p_conversation_id;
    perform private.append_system_message(
      p_conversation_id, 'The customer replied; the conversation is open again',
      jsonb_build_object('event', 'status_changed', 'from', conversation.status, 'to', 'open', 'by', caller));
  end if;
  return stored;
end;
$$;

---------------------------------------------------------------------------------------------------
-- Locks a conversation an agent (or the service role) is about to change.
create function private.lock_for_agent(conversation_id uuid) returns public.conversations
language plpgsql security definer set search_path = ''
as $$
declare
  conversation public.conversations;
begin
  if not (private.is_service() or (auth.uid() is not null and private.is_agent())) then
    -- Customers can see their own conversation exist; tell them plainly what they lack.
    if exists (select 1 from public.conversations c where c.id = conversation_id and c.customer_id = auth.uid()) then
      perform private.fail('PT403', 'Only agents can do this', 'agent_required');
    end if;
    perform private.fail('PT404', 'Conversation not found', 'conversation_not_found');
  end if;
  select * into conversation from public.conversations c where c.id = conversation_id for update;
  if not found then
    perform private.fail('PT404', 'Conversation not found', 'conversation_not_found');
  end if;
  return conversation;
end;
$$;

create function public.set_conversation_status(p_conversation_id uuid, p_status text)
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
    jsonb_build_object('event', 'status_changed', 'from', before.status, 'to', p_status, 'by', auth.uid()));
  select * into after from public.conversations where id = p_conversation_id;
  return after;
end;
$$;

create function public.assign_conversation(p_conversation_id uuid, p_agent_id uuid)
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
  perform private.append_system_message(
    p_conversation_id, note,
    jsonb_build_object('event', 'assigned', 'from', before.assigned_agent_id, 'to', p_agent_id, 'by', actor));
  select * into after from public.conversations where id = p_conversation_id;
  return after;
end;
$$;

create function public.set_chatbot_enabled(p_conversation_id uuid, p_enabled boolean)
returns public.conversations
language plpgsql security definer set search_path = ''
as $$
declare
  before public.conversations;
  after public.conversations;
begin
  if p_enabled is null then
    perform private.fail('PT400', 'Say whether the chatbot is on or off', 'enabled_required');
  end if;
  before := private.lock_for_agent(p_conversation_id);
  if before.chatbot_enabled = p_enabled then
    return before;
  end if;
  update public.conversations set chatbot_enabled = p_enabled, updated_at = clock_timestamp()
   where id = p_conversation_id
  returning * into after;
  return after;
end;
$$;

-- mark_read: remembers how far the caller has read. Never moves backwards and never past the
-- last message, so unread counts and "seen" can be trusted.
create function public.mark_read(p_conversation_id uuid, p_seq bigint)
returns public.conversation_reads
language plpgsql security definer set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  conversation public.conversations;
  marker public.conversation_reads;
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

  insert into public.conversation_reads as r (conversation_id, user_id, last_read_seq)
  values (p_conversation_id, caller, least(p_seq, conversation.last_seq))
  on conflict (conversation_id, user_id) do update
     set last_read_seq = excluded.last_read_seq, updated_at = now()
   where r.last_read_seq < excluded.last_read_seq;

  select * into marker from public.conversation_reads where conversation_id = p_conversation_id and user_id = caller;
  return marker;
end;
$$;

---------------------------------------------------------------------------------------------------
-- A prefix query from what a person types: every word must match the start of a word, using the
-- same parser as the indexes ('simple'), so "ali" finds "alice@example.com" and "refun" "refund".
create function private.prefix_query(input text) returns tsquery
language sql immutable set search_path = ''
as $$
  select nullif(string_agg(
    '''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || ''':*', ' & '), '')::tsquery
  from unnest(to_tsvector('simple'::regconfig, coalesce(input, '')))
$$;

-- search_conversations: the agent console's list. Runs as the caller, so RLS decides what is
-- found. Keyset pages: pass the last row's last_message_at and id to get the next page.
create function public.search_conversations(
  p_query text default null,
  p_statuses text[] default null,
  p_assignment text default 'all',
  p_before_at timestamptz default null,
  p_before_id uuid default null,
  p_limit integer default 30
) returns setof public.conversations
language plpgsql stable security invoker set search_path = ''
as $$
declare
  query tsquery := private.prefix_query(p_query);
begin
  if p_assignment is null or p_assignment not in ('all', 'mine', 'unassigned') then
    perform private.fail('PT400', 'Assignment filter must be all, mine or unassigned', 'assignment_invalid');
  end if;
  if p_statuses is not null and not p_statuses <@ array['open', 'pending', 'resolved', 'closed'] then
    perform private.fail('PT400', 'Status must be open, pending, resolved or closed', 'status_invalid');
  end if;
  if (p_before_at is null) <> (p_before_id is null) then
    perform private.fail('PT400', 'A page cursor needs both a time and an id', 'cursor_invalid');
  end if;
  if p_query is not null and char_length(p_query) > 200 then
    perform private.fail('PT400', 'Search text is longer than 200 characters', 'query_too_long');
  end if;

  return query
  select c.*
    from public.conversations c
   where (p_statuses is null or c.status = any (p_statuses))
     and (p_assignment = 'all'
          or (p_assignment = 'mine' and c.assigned_agent_id = auth.uid())
          or (p_assignment = 'unassigned' and c.assigned_agent_id is null))
     and (p_before_at is null or (c.last_message_at, c.id) < (p_before_at, p_before_id))
     and (query is null
          or to_tsvector('simple'::regconfig, coalesce(c.subject, '')) @@ query
          or c.customer_id in (
               select cu.user_id from public.customers cu
                where to_tsvector('simple'::regconfig, coalesce(cu.name, '') || ' ' || coalesce(cu.email, '')) @@ query)
          or c.id in (
               select m.conversation_id from public.messages m
                where to_tsvector('simple'::regconfig, m.content) @@ query))
   order by c.last_message_at desc, c.id desc
   limit least(greatest(coalesce(p_limit, 30), 1), 100);
end;
$$;

-- RPCs are for signed-in users (anonymous visitors sign in anonymously first) and the service role.
revoke all on function
  public.start_conversation(uuid, text, text, text, jsonb),
  public.insert_message(uuid, uuid, text, jsonb, text),
  public.set_conversation_status(uuid, text),
  public.assign_conversation(uuid, uuid),
  public.set_chatbot_enabled(uuid, boolean),
  public.mark_read(uuid, bigint),
  public.search_conversations(text, text[], text, timestamptz, uuid, integer)
from public, anon;
grant execute on function
  public.start_conversation(uuid, text, text, text, jsonb),
  public.insert_message(uuid, uuid, text, jsonb, text),
  public.set_conversation_status(uuid, text),
  public.assign_conversation(uuid, uuid),
  public.set_chatbot_enabled(uuid, boolean),
  public.mark_read(uuid, bigint),
  public.search_conversations(text, text[], text, timestamptz, uuid, integer)
to authenticated, service_role;
-- search_conversations runs as the caller and needs these helpers.
grant execute on function private.prefix_query(text), private.fail(text, text, text) to authenticated, service_role;
