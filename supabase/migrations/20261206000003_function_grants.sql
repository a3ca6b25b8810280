-- Database hygiene, as Supabase's splinter lints would judge it (issue 11).
--
-- THE RULE FOR EVERY MIGRATION FROM HERE ON. PostgreSQL lets PUBLIC (every role, anon included)
-- execute a function the moment it is created, and Supabase's default privileges also grant anon,
-- authenticated and service_role everything on new functions and tables in `public`. So right after
-- each `create function` (or `create or replace function`), in the same file:
--     revoke all on function <schema>.<name>(<argument types>) from public, anon, authenticated;
--     grant execute on function <schema>.<name>(<argument types>) to <exactly the roles that call it>;
-- and after each `create table`, revoke from anon and authenticated everything RLS does not guard.
-- One `revoke ... on all functions in schema ...` per file is not enough: it misses every function
-- created after it, which is how private.lock_for_agent and private.prefix_query kept PUBLIC execute.
-- test/server/grants.test.ts lists every function, table, sequence, column and schema privilege that
-- anon, authenticated and PUBLIC hold, and fails on anything missing from its reviewed allow-list.
--
-- Only Parley's own objects are changed: default privileges are project-wide on hosted Supabase and
-- belong to whoever owns the project, not to an embeddable chat.

-- Called only by the security definer RPCs (as their owner); nobody else has a use for it.
revoke all on function private.lock_for_agent(uuid) from public, anon, authenticated;

-- search_conversations runs as the caller, so authenticated keeps its grant; PUBLIC never needed one.
revoke all on function private.prefix_query(text) from public, anon;

-- PostgreSQL 17's MAINTAIN (VACUUM, ANALYZE, REINDEX, CLUSTER, LOCK TABLE) came with `grant all` in
-- Supabase's default privileges. No API role maintains the chat tables, and LOCK TABLE ... ACCESS
-- EXCLUSIVE would let one stall every chat. Projects still on PostgreSQL 15 have no such privilege.
do $$
begin
  if current_setting('server_version_num')::integer >= 170000 then
    execute 'revoke maintain on public.agents, public.customers, public.conversations, public.messages,
               public.conversation_reads, public.canned_responses, private.agent_outbox_keys
             from public, anon, authenticated, service_role';
  end if;
end
$$;
