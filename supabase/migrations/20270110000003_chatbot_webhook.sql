-- Any bot through a webhook (issue 17). With chatbot_kind 'webhook', the worker POSTs each job to
-- chatbot_webhook_url, signed with HMAC-SHA256 under the workspace's webhook secret; the bot answers
-- by calling bot_reply() with its bot key. Both come from rotate_chatbot_credentials(), shown once
-- to the admin who rotates them.
--
--   * private.chatbot_credentials: one row. The webhook secret is kept as it is (the worker must
--     sign with it; only the service role reads it, through chatbot_worker_config()); the bot key
--     only as its SHA-256, so a database read never yields a key that can post.
--   * bot_reply(key, message, text, quick replies, handover): callable with the anon key alone (the
--     bot key is the credential). Posts as `chatbot` only into the conversation of a job that was
--     sent to the bot and is not finished; the reply's id is derived from the job's message id, so
--     a replayed call returns the stored reply and a second, different one is refused.
--
-- Follows the rule atop 20261206000003_function_grants.sql.

create table private.chatbot_credentials (
  id boolean primary key default true constraint chatbot_credentials_single_row check (id),
  webhook_secret text not null constraint chatbot_credentials_secret_format check (webhook_secret ~ '^whsec_[0-9a-f]{64}$'),
  bot_key_hash text not null constraint chatbot_credentials_key_hash_format check (bot_key_hash ~ '^[0-9a-f]{64}$'),
  rotated_at timestamptz not null default now(),
  rotated_by uuid references auth.users (id) on delete set null
);
comment on table private.chatbot_credentials is
  'The webhook bot''s signing secret and the SHA-256 of its bot key (service role only).';
alter table private.chatbot_credentials enable row level security;
revoke all on private.chatbot_credentials from public, anon, authenticated;
do $$
begin
  if current_setting('server_version_num')::integer >= 170000 then
    execute 'revoke maintain on private.chatbot_credentials from public, anon, authenticated, service_role';
  end if;
end
$$;

-- 64 hex digits from two v4 UUIDs (244 random bits), as agent_outbox_key(): no extension needed.
create function private.random_hex64() returns text
language sql volatile set search_path = ''
as $$ select replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '') $$;
revoke all on function private.random_hex64() from public, anon, authenticated;

create function private.sha256_hex(value text) returns text
language sql immutable parallel safe set search_path = ''
as $$ select encode(pg_catalog.sha256(convert_to(value, 'UTF8')), 'hex') $$;
revoke all on function private.sha256_hex(text) from public, anon, authenticated;

-- New credentials, returned this once: {webhook_secret, bot_key}. The previous ones stop working
-- at once (a bot mid-reply with the old key is refused and the worker's deadline hands over).
create function public.rotate_chatbot_credentials() returns jsonb
language plpgsql volatile security definer set search_path = ''
as $$
declare
  secret text := 'whsec_' || private.random_hex64();
  bot_key text := 'pbk_' || private.random_hex64();
begin
  perform private.require_admin();
  insert into private.chatbot_credentials as c (id, webhook_secret, bot_key_hash, rotated_at, rotated_by)
  values (true, secret, private.sha256_hex(bot_key), now(), auth.uid())
  on conflict (id) do update
     set webhook_secret = excluded.webhook_secret, bot_key_hash = excluded.bot_key_hash,
         rotated_at = excluded.rotated_at, rotated_by = excluded.rotated_by;
  return jsonb_build_object('webhook_secret', secret, 'bot_key', bot_key);
end;
$$;
revoke all on function public.rotate_chatbot_credentials() from public, anon, authenticated;
grant execute on function public.rotate_chatbot_credentials() to authenticated, service_role;

-- What the worker needs to run the bot: the kind, the URL and the signing secret (null until an
-- admin rotates credentials; a webhook job then fails over to a person).
create function public.chatbot_worker_config() returns jsonb
language plpgsql stable security definer set search_path = ''
as $$
begin
  if not private.is_service() then
    perform private.fail('PT403', 'Only the bot worker reads the bot''s configuration', 'service_only');
  end if;
  return (
    select jsonb_build_object(
      'kind', s.chatbot_kind, 'webhook_url', s.chatbot_webhook_url, 'name', s.chatbot_name,
      'webhook_secret', (select c.webhook_secret from private.chatbot_credentials c where c.id))
      from public.workspace_settings s where s.id);
end;
$$;
revoke all on function public.chatbot_worker_config() from public, anon, authenticated;
grant execute on function public.chatbot_worker_config() to service_role;

-- The webhook bot's reply to one job. Errors (nothing written): PT401 bot_key_invalid; PT403
-- bot_job_unknown (no such job, a job never sent to the webhook bot, or one already finished);
-- PT409 chatbot_disabled (an agent turned the bot off meanwhile); PT400
-- content_empty, content_too_long, quick_replies_invalid. p_handover posts the text, then hands
-- over (reason 'bot'). Returns the posted message; the same call again returns it again.
create function public.bot_reply(p_bot_key text, p_message_id uuid, p_text text,
                                 p_quick_replies jsonb default null, p_handover boolean default false)
returns public.messages
language plpgsql volatile security definer set search_path = ''
as $$
declare
  stored_hash text;
  reply_id uuid := private.bot_reply_id(p_message_id);
  reply public.messages;
  job private.bot_jobs;
  kind text;
  enabled boolean;
  quick_replies jsonb := case when jsonb_typeof(p_quick_replies) = 'null' then null else p_quick_replies end;
begin
  select c.bot_key_hash into stored_hash from private.chatbot_credentials c where c.id;
  -- Both sides are SHA-256 digests: how long the comparison takes says nothing about the key.
  if p_bot_key is null or char_length(p_bot_key) > 200 or stored_hash is null
     or private.sha256_hex(p_bot_key) <> stored_hash then
    perform private.fail('PT401', 'The bot key is not valid', 'bot_key_invalid');
  end if;

  select * into job from private.bot_jobs j where j.message_id = p_message_id for update;
  select * into reply from public.messages m where m.id = reply_id;
  if reply.id is not null then
    -- A retry of the reply that was stored: the same answer. Anything else is a second reply.
    if job.message_id is not null and reply.conversation_id = job.conversation_id and reply.content = p_text
       and reply.metadata -> 'quick_replies' is not distinct from quick_replies then
      return reply;
    end if;
    perform private.fail('PT403', 'This message was already answered', 'bot_job_unknown');
  end if;
  select s.chatbot_kind into kind from public.workspace_settings s where s.id;
  -- Sent to the bot (or being sent: the bot may answer before the worker records the delivery).
  if job.message_id is null or not (job.state = 'sent' or (job.state = 'pending' and kind = 'webhook')) then
    perform private.fail('PT403', 'No open bot job for this message', 'bot_job_unknown');
  end if;

  if p_text is null or private.is_blank(p_text) then
    perform private.fail('PT400', 'Message is empty', 'content_empty');
  end if;
  if char_length(p_text) > 4000 then
    perform private.fail('PT400', 'Message is longer than 4000 characters', 'content_too_long');
  end if;
  if quick_replies is not null and private.quick_replies_problem(quick_replies) is not null then
    perform private.fail('PT400', 'Quick replies are not valid: ' || private.quick_replies_problem(quick_replies), 'quick_replies_invalid');
  end if;

  select c.chatbot_enabled into enabled from public.conversations c where c.id = job.conversation_id for update;
  if not enabled then
    -- The job itself ends at the worker's next claim (a conversation whose bot is off).
    perform private.fail('PT409', 'The chatbot is turned off for this conversation', 'chatbot_disabled');
  end if;

  reply := private.append_message(
    job.conversation_id, reply_id, 'chatbot', null, p_text,
    case when quick_replies is null then '{}'::jsonb else jsonb_build_object('quick_replies', quick_replies) end,
    'public');
  update private.bot_jobs j
     set state = 'done', outcome = case when coalesce(p_handover, false) then 'handover' else 'answered' end,
         claimed_until = null, deadline = null
   where j.message_id = p_message_id;
  if coalesce(p_handover, false) then
    perform private.handover(job.conversation_id, 'bot');
  end if;
  return reply;
end;
$$;
revoke all on function public.bot_reply(text, uuid, text, jsonb, boolean) from public, anon, authenticated;
grant execute on function public.bot_reply(text, uuid, text, jsonb, boolean) to anon, authenticated, service_role;

notify pgrst, 'reload schema';
