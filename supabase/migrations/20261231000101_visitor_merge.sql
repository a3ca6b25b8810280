-- Continue by email (issue 15, item 3): a visitor who chatted anonymously on this device and then
-- signs in as the email user they are elsewhere keeps this device's conversations. The widget asks
-- for a merge in two steps, because no single session is both users:
--   * while still the anonymous user, begin_visitor_merge() returns a one-time secret bound to
--     auth.uid() (stored only as its SHA-256, valid 10 minutes, one live secret per user);
--   * signed in as the permanent user, complete_visitor_merge(secret) moves everything keyed by the
--     anonymous customer to the caller: conversations, the visitor's own messages (sender_id, so
--     the thread shows them as theirs), read markers, page visits, ratings, and the name and email
--     the caller's customer row lacks. Once, and only from an anonymous user: a permanent account's
--     conversations are never taken by someone who once held a secret for it.
-- Holding the secret is what proves the caller was the anonymous user a moment ago (the same
-- browser); the secret never leaves the widget. Refusals name what went wrong in `details` and
-- change nothing.

create table private.visitor_merge_secrets (
  secret_hash text primary key
    constraint visitor_merge_secrets_hash_format check (secret_hash ~ '^[0-9a-f]{64}$'),
  source_user uuid not null unique references auth.users (id) on delete cascade,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
comment on table private.visitor_merge_secrets is
  'One-time secrets an anonymous visitor takes before signing in by email, to move their conversations after (SHA-256 only).';
alter table private.visitor_merge_secrets enable row level security;
revoke all on private.visitor_merge_secrets from public, anon, authenticated;
do $$
begin
  if current_setting('server_version_num')::integer >= 170000 then
    execute 'revoke maintain on private.visitor_merge_secrets from public, anon, authenticated, service_role';
  end if;
end
$$;

create function public.begin_visitor_merge() returns text
language plpgsql security definer set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  -- 244 random bits from two v4 UUIDs (core PostgreSQL), as the reply-email tokens.
  secret text := replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
begin
  if caller is null then
    perform private.fail('PT401', 'Sign in first', 'not_signed_in');
  end if;
  if not exists (select 1 from auth.users u where u.id = caller and u.is_anonymous) then
    perform private.fail('PT409', 'Only an anonymous visitor can hand over their conversations', 'not_anonymous');
  end if;
  -- A newer secret replaces the last: one live secret per visitor.
  insert into private.visitor_merge_secrets (secret_hash, source_user, expires_at)
  values (encode(sha256(convert_to(secret, 'UTF8')), 'hex'), caller, now() + interval '10 minutes')
  on conflict (source_user) do update
    set secret_hash = excluded.secret_hash, expires_at = excluded.expires_at, created_at = now();
  return secret;
end;
$$;
revoke all on function public.begin_visitor_merge() from public, anon, authenticated;
grant execute on function public.begin_visitor_merge() to authenticated;

create function public.complete_visitor_merge(p_secret text) returns integer
language plpgsql security definer set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  source uuid;
  moved integer;
  old_customer public.customers;
begin
  if caller is null then
    perform private.fail('PT401', 'Sign in first', 'not_signed_in');
  end if;
  if p_secret is null or p_secret !~ '^[0-9a-f]{64}$' then
    perform private.fail('PT400', 'The merge secret is not valid', 'secret_invalid');
  end if;
  -- Taken here; a refusal below rolls the whole call back, so a refused merge leaves the secret as it was.
  delete from private.visitor_merge_secrets s
   where s.secret_hash = encode(sha256(convert_to(p_secret, 'UTF8')), 'hex') and s.expires_at > now()
  returning s.source_user into source;
  if source is null then
    perform private.fail('PT404', 'The merge secret is unknown, used or expired', 'secret_unknown');
  end if;
  if source = caller then
    perform private.fail('PT409', 'Nothing to merge: the same user', 'same_user');
  end if;
  if exists (select 1 from auth.users u where u.id = caller and u.is_anonymous) then
    perform private.fail('PT409', 'Sign in with your email first', 'target_anonymous');
  end if;
  -- The source must still be anonymous: a permanent account's conversations stay where they are.
  perform 1 from auth.users u where u.id = source and u.is_anonymous for update;
  if not found then
    perform private.fail('PT409', 'Only an anonymous visitor''s conversations can be merged', 'source_not_anonymous');
  end if;

  select * into old_customer from public.customers c where c.user_id = source for update;
  if old_customer.user_id is null then
    return 0;
  end if;
  insert into public.customers (user_id, name, email, metadata)
  values (caller, old_customer.name, old_customer.email, old_customer.metadata)
  on conflict (user_id) do update
    set name = coalesce(public.customers.name, excluded.name),
        email = coalesce(public.customers.email, excluded.email),
        metadata = excluded.metadata || public.customers.metadata,
        updated_at = now();

  update public.conversations set customer_id = caller, updated_at = now() where customer_id = source;
  get diagnostics moved = row_count;
  update public.messages set sender_id = caller where sender_id = source and sender_type = 'customer';
  insert into public.conversation_reads (conversation_id, user_id, last_read_seq)
  select r.conversation_id, caller, r.last_read_seq from public.conversation_reads r where r.user_id = source
  on conflict (conversation_id, user_id) do update
    set last_read_seq = greatest(public.conversation_reads.last_read_seq, excluded.last_read_seq);
  delete from public.conversation_reads where user_id = source;
  update public.customer_visits set customer_id = caller where customer_id = source;
  update public.conversation_ratings set customer_id = caller where customer_id = source;
  -- The anonymous customer is empty now (its unsubscribe row, if any, goes with it).
  delete from public.customers where user_id = source;
  return moved;
end;
$$;
revoke all on function public.complete_visitor_merge(text) from public, anon, authenticated;
grant execute on function public.complete_visitor_merge(text) to authenticated;
