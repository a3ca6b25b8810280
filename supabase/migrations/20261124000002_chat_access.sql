-- Who may see and change what. RLS guards every read; writes to chat tables are revoked from the
-- API roles and happen only inside the RPCs, which check authorization explicitly.

create schema if not exists private;
grant usage on schema private to authenticated, service_role;

-- Security definer so policies can ask "is the caller an agent?" without recursing into the
-- agents table's own policies.
create function private.is_agent() returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from public.agents where user_id = auth.uid())
$$;

create function private.is_admin() returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from public.agents where user_id = auth.uid() and role = 'admin')
$$;

revoke all on function private.is_agent(), private.is_admin() from public, anon;
grant execute on function private.is_agent(), private.is_admin() to authenticated, service_role;

alter table public.agents enable row level security;
alter table public.customers enable row level security;
alter table public.conversations enable row level security;
alter table public.messages enable row level security;
alter table public.conversation_reads enable row level security;
alter table public.canned_responses enable row level security;

-- Visitors have no business with the API before they sign in (anonymously or not).
revoke all on public.agents, public.customers, public.conversations, public.messages,
  public.conversation_reads, public.canned_responses from anon;
-- Chat tables change only through the RPCs.
revoke insert, update, delete, truncate, references, trigger
  on public.customers, public.conversations, public.messages, public.conversation_reads
  from authenticated;
revoke truncate, references, trigger on public.agents, public.canned_responses from authenticated;

-- Display names and avatars of the team are public to signed-in users: the widget shows them.
create policy "Signed-in users see agents"
  on public.agents for select to authenticated
  using (true);
create policy "Admins add agents"
  on public.agents for insert to authenticated
  with check ((select private.is_admin()));
create policy "Admins change agents"
  on public.agents for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "Admins remove agents"
  on public.agents for delete to authenticated
  using ((select private.is_admin()));

create policy "Customers see themselves; agents see every customer"
  on public.customers for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_agent()));

-- Agents see every conversation: assignment decides responsibility, not visibility (a realtime
-- subscriber that loses access is never told, so visibility must not change under it).
create policy "Customers see their conversations; agents see all"
  on public.conversations for select to authenticated
  using (customer_id = (select auth.uid()) or (select private.is_agent()));

create policy "Messages are visible with their conversation"
  on public.messages for select to authenticated
  using (
    (select private.is_agent())
    or conversation_id in (select id from public.conversations where customer_id = (select auth.uid()))
  );

create policy "Read markers are visible with their conversation"
  on public.conversation_reads for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.is_agent())
    or conversation_id in (select id from public.conversations where customer_id = (select auth.uid()))
  );

create policy "Agents see canned replies"
  on public.canned_responses for select to authenticated
  using ((select private.is_agent()));
create policy "Admins add canned replies"
  on public.canned_responses for insert to authenticated
  with check ((select private.is_admin()));
create policy "Admins change canned replies"
  on public.canned_responses for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "Admins remove canned replies"
  on public.canned_responses for delete to authenticated
  using ((select private.is_admin()));
