-- The schema bounds what it stores (issue 11): every text column of the chat tables has a length,
-- metadata has a size and a depth, and a message must show something. The RPCs check the same bounds
-- first, so a caller learns what was wrong (a PT400 with a reason in `details`); the constraints
-- hold for every writer, the service role and admins' direct writes included.
--
-- Limits (src/data/types.ts and src/data/validate.ts mirror them):
--   message content       1..4000 characters, not blank (unchanged length: what the widget counts)
--   metadata              16384 bytes of JSON text (jsonb::text), at most 8 levels of objects/arrays,
--                         for messages and customers alike. Metadata carries a few attributes (plan,
--                         page, locale, a bot's sources); 16 KiB is four times the longest message.
--   agents.display_name   80 characters, agents.avatar_url 2048 (the URL length browsers, CDNs and
--                         sitemaps agree on), customers.name 120, canned_responses.title 120: the
--                         old checks bounded only the trimmed value, so padding was unbounded
--   conversations.last_message_preview  160 (what the RPCs write)
-- A message is blank when every character is Unicode White_Space or Default_Ignorable_Code_Point:
-- spaces of every width, NBSP, zero-width space/joiners (U+200B-200D), word joiner (U+2060), BOM
-- (U+FEFF), bidi controls, variation selectors, Hangul fillers, tags. Alone they show nothing.
--
-- Rows stored before these bounds: names and titles padded with spaces are trimmed (what the RPCs
-- store anyway). Every constraint is added NOT VALID, so new and changed rows are checked at once,
-- then validated when no old row breaks it. A project whose history holds a blank message or
-- oversized metadata keeps that constraint unvalidated (PostgreSQL still enforces it on every insert
-- and update), with a warning naming it: rewriting what a customer and an agent once said is not a
-- migration's call, and deleting a message would break the conversation's gap-free seq. Messages are
-- never updated; start_conversation no longer rewrites a customer row that would not change, so a
-- customer whose old metadata is over the bound still starts conversations (adding metadata is
-- refused with metadata_too_large).
--
-- Follows the rule atop 20261206000003_function_grants.sql: each function is revoked from PUBLIC
-- right after it is created.

---------------------------------------------------------------------------------------------------
-- Checks the RPCs share.

-- Whether text shows nothing. The character class is repeated in messages_content_visible below
-- (a constraint calling this function would need every direct writer to hold EXECUTE on it).
create function private.is_blank(value text) returns boolean
language sql immutable parallel safe set search_path = ''
as $$
  select value ~ '^[\u0009-\u000d\u0020\u0085\u00a0\u00ad\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5\u180b-\u180f\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]*$'
$$;
revoke all on function private.is_blank(text) from public, anon, authenticated;

-- Refuses metadata that is not an object, too deep or too large, in that order (the widget checks
-- in the same order, so both name the same reason). jsonpath's .** visits each item once, without
-- recursing deeper than the value itself, which PostgreSQL's stack limit already bounded when it
-- was parsed. `what` names the value in the message.
create function private.check_metadata(value jsonb, what text default 'Metadata') returns void
language plpgsql set search_path = ''
as $$
begin
  if value is null then
    return;
  end if;
  if jsonb_typeof(value) <> 'object' then
    perform private.fail('PT400', what || ' must be a JSON object', 'metadata_invalid');
  end if;
  -- An object or array at level 8 (the top object is level 0) is the ninth level of nesting.
  if jsonb_path_exists(value, 'strict $.**{8 to last} ? (@.type() == "object" || @.type() == "array")') then
    perform private.fail('PT400', what || ' is nested deeper than 8 levels', 'metadata_too_deep');
  end if;
  if octet_length(value::text) > 16384 then
    perform private.fail('PT400', what || ' is larger than 16384 bytes', 'metadata_too_large');
  end if;
end;
$$;
revoke all on function private.check_metadata(jsonb, text) from public, anon, authenticated;

---------------------------------------------------------------------------------------------------
-- Constraints. NOT VALID here, validated at the end of this file.

update public.agents set display_name = btrim(display_name) where char_length(display_name) > 80;
update public.customers set name = btrim(name) where char_length(name) > 120;
update public.canned_responses set title = btrim(title) where char_length(title) > 120;

alter table public.agents
  add constraint agents_display_name_length check (char_length(display_name) <= 80) not valid,
  add constraint agents_avatar_url_length check (char_length(avatar_url) <= 2048) not valid;

alter table public.customers
  add constraint customers_name_length check (char_length(name) <= 120) not valid,
  add constraint customers_metadata_bounded check (
    octet_length(metadata::text) <= 16384
    and not jsonb_path_exists(metadata, 'strict $.**{8 to last} ? (@.type() == "object" || @.type() == "array")')
  ) not valid;

alter table public.conversations
  add constraint conversations_last_message_preview_length check (char_length(last_message_preview) <= 160) not valid;

alter table public.messages
  add constraint messages_content_visible check (
    content !~ '^[\u0009-\u000d\u0020\u0085\u00a0\u00ad\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5\u180b-\u180f\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]*$'
  ) not valid,
  add constraint messages_metadata_bounded check (
    octet_length(metadata::text) <= 16384
    and not jsonb_path_exists(metadata, 'strict $.**{8 to last} ? (@.type() == "object" || @.type() == "array")')
  ) not valid;

alter table public.canned_responses
  add constraint canned_responses_title_length check (char_length(title) <= 120) not valid;

---------------------------------------------------------------------------------------------------
-- start_conversation: as in 20261124000003_chat_rpc.sql, with bounded metadata. Metadata merges
-- into the customer's across calls, so the merged object is checked too.
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

  -- Locked, so two calls at once cannot both pass the check and merge past the bound.
  select cu.metadata into known_metadata from public.customers cu where cu.user_id = caller for update;
  if found and p_metadata is not null then
    perform private.check_metadata(known_metadata || p_metadata, 'Customer metadata');
  end if;

  -- A profile that would not change is not rewritten: a NOT VALID bound still applies to every
  -- updated row, so a customer whose metadata was stored before the bounds can go on chatting.
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
  return created;
end;
$$;
revoke all on function public.start_conversation(uuid, text, text, text, jsonb) from public, anon;
grant execute on function public.start_conversation(uuid, text, text, text, jsonb) to authenticated, service_role;

---------------------------------------------------------------------------------------------------
-- insert_message: as in 20261206000001_visibility_and_reads.sql, refusing blank content (not only
-- ASCII whitespace and NBSP) and unbounded metadata.
create or replace function public.insert_message(
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
  if p_content is null or private.is_blank(p_content) then
    perform private.fail('PT400', 'Message is empty', 'content_empty');
  end if;
  if char_length(p_content) > 4000 then
    perform private.fail('PT400', 'Message is longer than 4000 characters', 'content_too_long');
  end if;
  perform private.check_metadata(p_metadata);
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
revoke all on function public.insert_message(uuid, uuid, text, jsonb, text, text) from public, anon;
grant execute on function public.insert_message(uuid, uuid, text, jsonb, text, text) to authenticated, service_role;

---------------------------------------------------------------------------------------------------
-- Validation: each new constraint that no stored row breaks becomes fully valid; the others stay
-- NOT VALID (still enforced on every insert and update) and say so.
do $$
declare
  item record;
begin
  for item in
    select c.conrelid::regclass as tbl, c.conname
      from pg_constraint c
     where c.conname in ('agents_display_name_length', 'agents_avatar_url_length', 'customers_name_length',
                         'customers_metadata_bounded', 'conversations_last_message_preview_length',
                         'messages_content_visible', 'messages_metadata_bounded', 'canned_responses_title_length')
       and c.connamespace = 'public'::regnamespace
     order by c.conname
  loop
    begin
      execute format('alter table %s validate constraint %I', item.tbl, item.conname);
    exception when check_violation then
      raise warning 'Parley: rows stored earlier in % break %; new rows are checked, these were left as they are. Once they are fixed: alter table % validate constraint %;',
        item.tbl, item.conname, item.tbl, item.conname;
    end;
  end loop;
end
$$;

notify pgrst, 'reload schema';
