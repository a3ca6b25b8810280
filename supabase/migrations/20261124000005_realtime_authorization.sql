-- Typing indicators and presence travel as broadcast on private channels `conversation:<id>`.
-- Realtime authorizes them through RLS on realtime.messages, with the same rule as reading the
-- conversation: its customer and every agent.

create function private.can_use_conversation_topic(topic text) returns boolean
language plpgsql stable security definer set search_path = ''
as $$
declare
  conversation uuid;
begin
  if topic is null
     or topic !~* '^conversation:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return false;
  end if;
  conversation := substring(topic from char_length('conversation:') + 1)::uuid;
  return exists (
    select 1 from public.conversations c
     where c.id = conversation and (c.customer_id = auth.uid() or private.is_agent())
  );
end;
$$;

revoke all on function private.can_use_conversation_topic(text) from public, anon;
grant execute on function private.can_use_conversation_topic(text) to authenticated, service_role;

create policy "Conversation participants listen on its channel"
  on realtime.messages for select to authenticated
  using (
    extension in ('broadcast', 'presence')
    and (select private.can_use_conversation_topic(realtime.topic()))
  );

create policy "Conversation participants send on its channel"
  on realtime.messages for insert to authenticated
  with check (
    extension in ('broadcast', 'presence')
    and (select private.can_use_conversation_topic(realtime.topic()))
  );
