-- A key per agent for the console's persisted outbox (issue #8). The console keeps its unsent
-- replies in localStorage encrypted (AES-256-GCM, WebCrypto) with this key, so a reply survives a
-- reload or a sign-out and is sent once the agent is back, while another person on the same browser
-- finds only ciphertext: the key never leaves the database except to the agent it belongs to, and
-- only while they are signed in. The table lives in the `private` schema, which the API does not
-- expose; the one way in is agent_outbox_key(), for the caller's own key.

create table private.agent_outbox_keys (
  user_id uuid primary key references auth.users (id) on delete cascade,
  key bytea not null check (octet_length(key) = 32),
  created_at timestamptz not null default now()
);

revoke all on private.agent_outbox_keys from public, anon, authenticated;

-- The caller's key (32 bytes, base64), created on the first call. Only agents have one: a customer's
-- outbox lives in plain localStorage like any widget's (it holds their own words on their own device).
-- The key comes from gen_random_uuid() (core PostgreSQL, pg_strong_random): two version-4 UUIDs are
-- 244 random bits, so no extension (pgcrypto sits in different schemas on different hosts) is needed.
create function public.agent_outbox_key() returns text
language plpgsql volatile security definer set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  stored bytea;
begin
  if caller is null then
    perform private.fail('PT401', 'Sign in first', 'not_signed_in');
  end if;
  if not exists (select 1 from public.agents where user_id = caller) then
    perform private.fail('PT403', 'Only agents have an outbox key', 'not_agent');
  end if;
  insert into private.agent_outbox_keys (user_id, key)
  values (caller, decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'))
  on conflict (user_id) do nothing;
  select k.key into stored from private.agent_outbox_keys k where k.user_id = caller;
  return encode(stored, 'base64');
end;
$$;

revoke all on function public.agent_outbox_key() from public, anon;
grant execute on function public.agent_outbox_key() to authenticated;
