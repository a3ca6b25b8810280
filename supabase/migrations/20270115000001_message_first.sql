-- The message row is written before the conversation's counters (issue 12, the send path).
-- Logical decoding hands a transaction's changes to realtime in the order they were written, so
-- when append_message updated the conversation first, the other person's message frame waited
-- behind the conversation's own change (its RLS check, its encoding). Now the message comes first.
--
-- Same semantics as 20270105000101_message_attachments.sql: seq and public_seq dense per
-- conversation, the same counters, preview and sender's read marker. seq is taken from the
-- conversation row, locked here for update (insert_message already holds it, so this costs no
-- wait). One thing the old order did not need: the insert's AFTER triggers run before the counters
-- move, and one of them may append a message itself (a customer's "Talk to a person" quick reply
-- hands over at once, 20270110000001_chatbot.sql, and that writes a system message). So the next
-- number also looks past the highest one already stored (one index probe each, by the unique
-- keys), and the counters never move backwards; the nested message then sits after this one, as
-- it did before.

create or replace function private.append_message(
  conversation uuid, message_id uuid, sender_type text, sender uuid, content text, metadata jsonb,
  visibility text default 'public', attachments jsonb default '[]'
) returns public.messages
language plpgsql security definer set search_path = ''
as $$
declare
  stamp timestamptz := clock_timestamp();
  is_public boolean := visibility = 'public';
  activity boolean := visibility = 'public' and sender_type <> 'system';
  base public.conversations;
  next_seq bigint;
  next_public_seq bigint;
  stored public.messages;
  preview text := content;
begin
  if content = '' then
    select '📎 ' || string_agg(a ->> 'name', ', ') into preview from jsonb_array_elements(attachments) a;
  end if;
  -- Not found: seq stays null and the insert fails on it, as the old update-then-insert did.
  select * into base from public.conversations c where c.id = conversation for update;
  next_seq := base.last_seq + 1;
  -- Stored numbers past the counters only exist while an outer append's triggers run (above).
  next_seq := greatest(next_seq, (select max(m.seq) + 1 from public.messages m where m.conversation_id = conversation));
  if is_public then
    next_public_seq := greatest(base.last_public_seq + 1,
                                (select max(m.public_seq) + 1 from public.messages m
                                  where m.conversation_id = conversation));
  end if;

  insert into public.messages (id, conversation_id, seq, public_seq, visibility, sender_type, sender_id, content,
                               metadata, attachments, created_at)
  values (message_id, conversation, next_seq, next_public_seq,
          visibility, sender_type, sender, content, coalesce(metadata, '{}'), coalesce(attachments, '[]'), stamp)
  returning * into stored;

  -- c.last_seq < next_seq: nothing was appended since this message (the usual case), so this is
  -- the old update exactly. Otherwise a message appended by a trigger already moved the counters
  -- past this one: keep them, keep its activity if it had a later one, and count this message.
  update public.conversations c
     set last_seq = greatest(c.last_seq, next_seq),
         last_public_seq = greatest(c.last_public_seq, coalesce(next_public_seq, 0)),
         customer_messages = c.customer_messages + case when sender_type = 'customer' then 1 else 0 end,
         team_messages = c.team_messages
                         + case when is_public and sender_type in ('agent', 'chatbot') then 1 else 0 end,
         updated_at = case when c.last_seq < next_seq then stamp else greatest(c.updated_at, stamp) end,
         last_message_at = case when activity and (c.last_seq < next_seq or c.last_message_at is null
                                                   or c.last_message_at < stamp)
                                then stamp else c.last_message_at end,
         last_message_preview = case when activity and (c.last_seq < next_seq or c.last_message_at is null
                                                        or c.last_message_at < stamp)
                                     then left(regexp_replace(btrim(coalesce(preview, '')), '\s+', ' ', 'g'), 160)
                                     else c.last_message_preview end
   where c.id = conversation;

  -- The sender has read up to their own message, counted as the conversation stood right after it.
  if sender is not null then
    insert into public.conversation_reads as r (conversation_id, user_id, last_read_seq, last_read_public_seq,
                                                read_customer_messages, read_team_messages, updated_at)
    values (conversation, sender, next_seq, coalesce(next_public_seq, base.last_public_seq),
            base.customer_messages + case when sender_type = 'customer' then 1 else 0 end,
            base.team_messages + case when is_public and sender_type in ('agent', 'chatbot') then 1 else 0 end,
            stamp)
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
