-- The helpers every policy and RPC asks (issue 12). As `language sql` functions with SET clauses
-- they cannot be inlined, so PostgreSQL parsed and planned their one query again on every call: each
-- RLS check of a realtime change, each REST read of a chat table and each insert_message paid for it
-- (about 40% of a realtime visibility check, and 15% of the database's CPU at 500 messages a
-- second). PL/pgSQL keeps the plan for the session. Same queries, same answers, same attributes.

create or replace function private.is_agent() returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return exists (select 1 from public.agents where user_id = auth.uid());
end;
$$;

create or replace function private.is_admin() returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return exists (select 1 from public.agents where user_id = auth.uid() and role = 'admin');
end;
$$;

create or replace function private.is_service() returns boolean
language plpgsql stable set search_path = ''
as $$
begin
  return coalesce(auth.role(), '') = 'service_role';
end;
$$;

revoke all on function private.is_agent(), private.is_admin(), private.is_service() from public, anon, authenticated;
grant execute on function private.is_agent(), private.is_admin() to authenticated, service_role;
