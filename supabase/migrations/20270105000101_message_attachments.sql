-- Attachments in messages (issue 16). A message carries the files its sender uploaded to the
-- `attachments` bucket (20270105000001_attachments_bucket.sql) as a jsonb list, at most 10:
--   {"key": "<conversation>/<uuid>/<safe name>", "name": <original name, ≤ 255 characters>,
--    "size": <bytes>, "type": <MIME type>, "width"?: <px>, "height"?: <px>}
-- insert_message vouches for every entry: the object exists under this conversation, the caller
-- uploaded it, and its stored size and type are the ones the message claims and within the limits.
-- So a message can never point at someone else's file or show a name over a different file, and a
-- client cannot claim an image is a PDF to change how the other side shows it. A message may have
-- no text when it has attachments (content '' then).

alter table public.messages
  add column attachments jsonb not null default '[]'
    constraint messages_attachments_bounded check (
      case when jsonb_typeof(attachments) = 'array' then jsonb_array_length(attachments) <= 10 else false end);

-- The content checks learn the empty message: '' is allowed (never whitespace only), and only with
-- attachments. Re-added NOT VALID and validated below, as 20261206000004_schema_bounds.sql did, so
-- rows that file left unvalidated do not stop this migration.
alter table public.messages
  drop constraint messages_content_check,
  drop constraint messages_content_visible;
alter table public.messages
  add constraint messages_content_length check (char_length(content) <= 4000) not valid,
  add constraint messages_content_visible check (
    content = ''
    or content !~ '^[\u0009-\u000d\u0020\u0085\u00a0\u00ad\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5\u180b-\u180f\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]*$'
  ) not valid,
  add constraint messages_content_or_attachments check (content <> '' or attachments <> '[]'::jsonb) not valid;

do $$
declare
  name text;
begin
  foreach name in array array['messages_content_length', 'messages_content_visible', 'messages_content_or_attachments'] loop
    begin
      execute format('alter table public.messages validate constraint %I', name);
    exception when check_violation then
      raise warning 'Parley: rows stored earlier in public.messages break %; new rows are checked, these were left as they are. Once they are fixed: alter table public.messages validate constraint %;',
        name, name;
    end;
  end loop;
end
$$;

---------------------------------------------------------------------------------------------------
-- The limits a message's files must keep: for now the bucket's own (a later migration may narrow
-- them per workspace). One function, so insert_message and widget_settings() read the same.
create function private.attachment_limits(out max_bytes bigint, out types text[])
language plpgsql stable security definer set search_path = ''
as $$
begin
  select coalesce(b.file_size_limit, 10000000), coalesce(b.allowed_mime_types, '{}')
    into max_bytes, types
    from storage.buckets b where b.id = 'attachments';
  if not found then
    max_bytes := 0;
    types := '{}';
  end if;
end;
$$;
revoke all on function private.attachment_limits() from public, anon, authenticated;

-- Refuses a list that is not what a message may carry; reasons in `details`, checked in order.
-- Security definer: storage.objects is read as the migration owner (who bypasses RLS on hosted
-- and locally); who may use the object is decided here, by owner and key.
create function private.check_attachments(conversation uuid, caller uuid, attachments jsonb) returns void
language plpgsql stable security definer set search_path = ''
as $$
declare
  limits record;
  item jsonb;
  object_key text;
  claimed_size bigint;
  seen text[] := '{}';
  stored record;
begin
  if attachments is null or jsonb_typeof(attachments) <> 'array' then
    perform private.fail('PT400', 'Attachments must be a list', 'attachments_invalid');
  end if;
  if jsonb_array_length(attachments) > 10 then
    perform private.fail('PT400', 'A message carries at most 10 attachments', 'attachments_too_many');
  end if;
  select * into limits from private.attachment_limits();
  for item in select value from jsonb_array_elements(attachments) loop
    if jsonb_typeof(item) <> 'object'
       or exists (select 1 from jsonb_object_keys(item) k where k not in ('key', 'name', 'size', 'type', 'width', 'height'))
       or jsonb_typeof(item -> 'key') is distinct from 'string'
       or jsonb_typeof(item -> 'name') is distinct from 'string'
       or jsonb_typeof(item -> 'type') is distinct from 'string'
       or jsonb_typeof(item -> 'size') is distinct from 'number'
       or (item ->> 'size') !~ '^[0-9]{1,15}$'
       or (item ? 'width' and coalesce(item ->> 'width', '') !~ '^[1-9][0-9]{0,5}$')
       or (item ? 'height' and coalesce(item ->> 'height', '') !~ '^[1-9][0-9]{0,5}$')
       or char_length(item ->> 'name') not between 1 and 255
       or (item ->> 'type') !~ '^[A-Za-z0-9.+-]+/[A-Za-z0-9.+-]+$' then
      perform private.fail('PT400', 'An attachment needs a key, a name, a size and a type', 'attachment_invalid');
    end if;
    object_key := item ->> 'key';
    -- The key names this conversation: checked before looking anything up, so a key of another
    -- conversation says nothing about whether it exists.
    if split_part(object_key, '/', 1) <> conversation::text
       or object_key !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$' then
      perform private.fail('PT400', 'An attachment key must lie in this conversation', 'attachment_key_invalid');
    end if;
    if object_key = any (seen) then
      perform private.fail('PT400', 'The same file is attached twice', 'attachment_duplicate');
    end if;
    seen := seen || object_key;
    claimed_size := (item ->> 'size')::bigint;
    if claimed_size > limits.max_bytes then
      perform private.fail('PT400', 'The file is larger than ' || limits.max_bytes || ' bytes', 'attachment_too_large');
    end if;
    if not (item ->> 'type') = any (limits.types) then
      perform private.fail('PT400', 'Files of type ' || (item ->> 'type') || ' cannot be sent', 'attachment_type_forbidden');
    end if;
    select o.owner_id, o.metadata into stored
      from storage.objects o where o.bucket_id = 'attachments' and o.name = object_key;
    if not found then
      perform private.fail('PT400', 'The attached file was not uploaded', 'attachment_missing');
    end if;
    if stored.owner_id is distinct from caller::text then
      perform private.fail('PT403', 'Only the person who uploaded a file can send it', 'attachment_forbidden');
    end if;
    if (stored.metadata ->> 'size') is distinct from claimed_size::text
       or (stored.metadata ->> 'mimetype') is distinct from (item ->> 'type') then
      perform private.fail('PT400', 'The attachment does not match the uploaded file', 'attachment_mismatch');
    end if;
  end loop;
end;
$$;
revoke all on function private.check_attachments(uuid, uuid, jsonb) from public, anon, authenticated;

---------------------------------------------------------------------------------------------------
-- append_message gains the list (default none, so every existing caller is unchanged). The preview
-- of a message without text names its files.
drop function private.append_message(uuid, uuid, text, uuid, text, jsonb, text);

create function private.append_message(
  conversation uuid, message_id uuid, sender_type text, sender uuid, content text, metadata jsonb,
  visibility text default 'public', attachments jsonb default '[]'
) returns public.messages
language plpgsql security definer set search_path = ''
as $$
declare
  stamp timestamptz := clock_timestamp();
  is_public boolean := visibility = 'public';
  activity boolean := visibility = 'public' and sender_type <> 'system';
  counters public.conversations;
  stored public.messages;
  preview text := content;
begin
  if content = '' then
    select '📎 ' || string_agg(a ->> 'name', ', ') into preview from jsonb_array_elements(attachments) a;
  end if;
  update public.conversations c
     set last_seq = c.last_seq + 1,
         last_public_seq = c.last_public_seq + case when is_public then 1 else 0 end,
         customer_messages = c.customer_messages + case when sender_type = 'customer' then 1 else 0 end,
         team_messages = c.team_messages
                         + case when is_public and sender_type in ('agent', 'chatbot') then 1 else 0 end,
         updated_at = stamp,
         last_message_at = case when activity then stamp else c.last_message_at end,
         last_message_preview = case when activity
                                     then left(regexp_replace(btrim(coalesce(preview, '')), '\s+', ' ', 'g'), 160)
                                     else c.last_message_preview end
   where c.id = conversation
  returning c.* into counters;

  insert into public.messages (id, conversation_id, seq, public_seq, visibility, sender_type, sender_id, content,
                               metadata, attachments, created_at)
  values (message_id, conversation, counters.last_seq, case when is_public then counters.last_public_seq end,
          visibility, sender_type, sender, content, coalesce(metadata, '{}'), coalesce(attachments, '[]'), stamp)
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
revoke all on function private.append_message(uuid, uuid, text, uuid, text, jsonb, text, jsonb)
  from public, anon, authenticated;

---------------------------------------------------------------------------------------------------
-- insert_message: as in 20261206000004_schema_bounds.sql, with p_attachments. Content may be empty
-- (or blank, stored as '') when there are attachments; a retry must carry the same list.
drop function public.insert_message(uuid, uuid, text, jsonb, text, text);

create function public.insert_message(
  p_id uuid,
  p_conversation_id uuid,
  p_content text,
  p_metadata jsonb default null,
  p_sender_type text default null,
  p_visibility text default null,
  p_attachments jsonb default '[]'
) returns public.messages
language plpgsql security definer set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  visibility text := coalesce(p_visibility, 'public');
  attachments jsonb := coalesce(p_attachments, '[]');
  content text := p_content;
  conversation public.conversations;
  stored public.messages;
  sender_type text;
begin
  if p_id is null then
    perform private.fail('PT400', 'A message needs a client-generated id', 'id_required');
  end if;
  if jsonb_typeof(attachments) <> 'array' then
    perform private.fail('PT400', 'Attachments must be a list', 'attachments_invalid');
  end if;
  if content is null or private.is_blank(content) then
    if attachments = '[]'::jsonb then
      perform private.fail('PT400', 'Message is empty', 'content_empty');
    end if;
    content := '';
  end if;
  if char_length(content) > 4000 then
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
    if stored.conversation_id = p_conversation_id and stored.content = content
       and stored.sender_type = sender_type and stored.sender_id is not distinct from caller
       and stored.visibility = visibility and stored.attachments = attachments then
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
  if attachments <> '[]'::jsonb then
    perform private.check_attachments(p_conversation_id, caller, attachments);
  end if;

  stored := private.append_message(
    p_conversation_id, p_id, sender_type,
    case when sender_type in ('customer', 'agent') then caller end,
    content, p_metadata, visibility, attachments);

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
revoke all on function public.insert_message(uuid, uuid, text, jsonb, text, text, jsonb) from public, anon;
grant execute on function public.insert_message(uuid, uuid, text, jsonb, text, text, jsonb) to authenticated, service_role;

notify pgrst, 'reload schema';
