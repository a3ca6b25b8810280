-- Reply emails (issue 15, item 3): an agent's reply the visitor has not seen reaches them by email,
-- at most once per conversation per interval, with a link back and an unsubscribe link that works.
--
--   * workspace_settings gains reply_email_after_minutes (how long a reply stays unseen before it is
--     mailed; 0 or null turns reply emails off) and reply_email_interval_minutes (the least time
--     between two mails about one conversation).
--   * private.reply_email_jobs is the outbox. A worker (supabase/worker/reply-mail, holding the
--     service-role key) claims jobs with claim_reply_emails(), marks one 'sending' with
--     begin_reply_email() right before the SMTP exchange, and reports with complete_reply_email().
--     Statuses: claimed → sending → sent; a refused send goes back to pending with an exponential
--     backoff (then claimed again), and to failed after 6 attempts or a permanent refusal; a waiting
--     job is skipped once the visitor has read the replies or unsubscribed. A job left
--     'sending' past its lease (the worker died mid-exchange: the SMTP server may or may not have
--     taken the message) becomes 'unknown' and is never sent again: reply emails are at most once.
--     A job left 'claimed' past its lease was never handed to SMTP and is claimed again.
--   * One mail per conversation per interval: claim_reply_emails takes a per-conversation advisory
--     lock and checks the interval after taking it (so two workers never both create a job), and
--     unique (conversation_id, through_seq) means the same replies are never queued twice even if
--     that check were raced.
--   * private.reply_email_recipients holds one unguessable token per visitor (not per conversation:
--     someone who says "stop emailing me" means about every conversation). Anyone holding the token
--     may call unsubscribe_reply_emails(token): the token is the capability, as in a mailed link.
--   * Only confirmed, permanent addresses get mail: auth.users.email_confirmed_at set and not an
--     anonymous user. The address customers.email (typed into a form) is never mailed: it was not
--     confirmed by its owner.
--
-- Follows the rule atop 20261206000003_function_grants.sql and the bounds rule of
-- 20261206000004_schema_bounds.sql.

---------------------------------------------------------------------------------------------------
-- Settings.

alter table public.workspace_settings
  add column reply_email_after_minutes integer default 10
    constraint workspace_settings_reply_email_after_minutes_range
      check (reply_email_after_minutes is null or reply_email_after_minutes between 0 and 10080),
  add column reply_email_interval_minutes integer not null default 60
    constraint workspace_settings_reply_email_interval_minutes_range
      check (reply_email_interval_minutes between 5 and 10080);
comment on column public.workspace_settings.reply_email_after_minutes is
  'Minutes an agent reply stays unseen before it is mailed to a visitor with a confirmed email; 0 or null: never.';
comment on column public.workspace_settings.reply_email_interval_minutes is
  'Least minutes between two reply emails about one conversation.';

---------------------------------------------------------------------------------------------------
-- Unsubscribe tokens, one per visitor.

create table private.reply_email_recipients (
  customer_id uuid primary key references public.customers (user_id) on delete cascade,
  -- 244 random bits from two v4 UUIDs, as agent_outbox_key(): no extension needed.
  token text not null unique
    default replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
    constraint reply_email_recipients_token_format check (token ~ '^[0-9a-f]{64}$'),
  unsubscribed_at timestamptz,
  created_at timestamptz not null default now()
);
comment on table private.reply_email_recipients is
  'One unsubscribe token per visitor mailed about replies; unsubscribed_at set: no more reply emails.';
alter table private.reply_email_recipients enable row level security;
revoke all on private.reply_email_recipients from public, anon, authenticated;

---------------------------------------------------------------------------------------------------
-- The outbox.

create table private.reply_email_jobs (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references public.conversations (id) on delete cascade,
  -- The newest reply the mail covers: later mails start after it.
  through_seq bigint not null check (through_seq > 0),
  status text not null default 'claimed'
    constraint reply_email_jobs_status_known
      check (status in ('pending', 'claimed', 'sending', 'sent', 'failed', 'unknown', 'skipped')),
  attempts integer not null default 0 check (attempts between 0 and 100),
  next_attempt_at timestamptz not null default now(),
  lease_until timestamptz,
  last_error text check (char_length(last_error) <= 1000),
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint reply_email_jobs_conversation_through_seq_key unique (conversation_id, through_seq)
);
comment on table private.reply_email_jobs is
  'Reply emails: one row per mail, claimed and completed by the reply-mail worker (service role only).';
create index reply_email_jobs_conversation_idx on private.reply_email_jobs (conversation_id, created_at desc);
create index reply_email_jobs_due_idx on private.reply_email_jobs (status, next_attempt_at)
  where status in ('pending', 'claimed', 'sending');
alter table private.reply_email_jobs enable row level security;
revoke all on private.reply_email_jobs from public, anon, authenticated;
do $$
begin
  if current_setting('server_version_num')::integer >= 170000 then
    execute 'revoke maintain on private.reply_email_jobs, private.reply_email_recipients
             from public, anon, authenticated, service_role';
  end if;
end
$$;

-- How many attempts before a refused mail is given up.
create function private.reply_email_max_attempts() returns integer
language sql immutable set search_path = ''
as $$ select 6 $$;
revoke all on function private.reply_email_max_attempts() from public, anon, authenticated;

---------------------------------------------------------------------------------------------------
-- The worker's RPCs (service role only).

-- What a mail about one job needs: the address, the brand, the replies (text), where to link back.
create function private.reply_email_payload(job private.reply_email_jobs)
returns jsonb
language sql stable security definer set search_path = ''
as $$
  select jsonb_build_object(
    'job_id', job.id,
    'attempt', job.attempts,
    'conversation_id', job.conversation_id,
    'email', u.email,
    'brand_name', (select s.brand_name from public.workspace_settings s where s.id),
    'replies', coalesce((
      select jsonb_agg(jsonb_build_object(
               'seq', m.seq, 'content', m.content, 'created_at', m.created_at,
               'agent_name', private.actor_name(m.sender_id)) order by m.seq)
        from public.messages m
       where m.conversation_id = job.conversation_id and m.sender_type = 'agent' and m.visibility = 'public'
         and m.seq <= job.through_seq
         and m.seq > coalesce((select r.last_read_seq from public.conversation_reads r
                                where r.conversation_id = c.id and r.user_id = c.customer_id), 0)
         and m.seq > coalesce((select max(j.through_seq) from private.reply_email_jobs j
                                where j.conversation_id = job.conversation_id and j.through_seq < job.through_seq
                                  and j.status <> 'failed'), 0)), '[]'::jsonb),
    'page_url', (select v.url from public.customer_visits v
                  where v.customer_id = c.customer_id and v.url ~ '^https?://'
                  order by v.created_at desc, v.id desc limit 1),
    'unsubscribe_token', (select t.token from private.reply_email_recipients t where t.customer_id = c.customer_id))
    from public.conversations c join auth.users u on u.id = c.customer_id
   where c.id = job.conversation_id
$$;
revoke all on function private.reply_email_payload(private.reply_email_jobs) from public, anon, authenticated;

create function public.claim_reply_emails(p_limit integer default 10, p_lease_seconds integer default 120)
returns setof jsonb
language plpgsql volatile security definer set search_path = ''
as $$
declare
  settings public.workspace_settings;
  candidate record;
  job private.reply_email_jobs;
  claimed integer := 0;
begin
  if not private.is_service() then
    perform private.fail('PT403', 'Only the reply-mail worker claims reply emails', 'service_only');
  end if;
  if p_limit is null or p_limit not between 1 and 100 then
    perform private.fail('PT400', 'Limit must be 1 to 100', 'limit_invalid');
  end if;
  if p_lease_seconds is null or p_lease_seconds not between 10 and 3600 then
    perform private.fail('PT400', 'Lease must be 10 to 3600 seconds', 'lease_invalid');
  end if;

  -- A worker that died mid-exchange: the SMTP server may have taken the mail. Never resent.
  update private.reply_email_jobs j
     set status = 'unknown', lease_until = null, updated_at = now(),
         last_error = 'The worker stopped during the SMTP exchange; not resent, as it may have been delivered'
   where j.status = 'sending' and j.lease_until < now();

  -- Waiting jobs the visitor no longer wants: unsubscribed since, or read the replies meanwhile.
  update private.reply_email_jobs j
     set status = 'skipped', lease_until = null, updated_at = now(),
         last_error = 'The visitor unsubscribed before it was sent'
    from public.conversations c join private.reply_email_recipients t on t.customer_id = c.customer_id
   where j.status in ('pending', 'claimed') and c.id = j.conversation_id and t.unsubscribed_at is not null;
  update private.reply_email_jobs j
     set status = 'skipped', lease_until = null, updated_at = now(),
         last_error = 'The visitor saw the replies before it was sent'
    from public.conversations c join public.conversation_reads r on r.conversation_id = c.id and r.user_id = c.customer_id
   where j.status in ('pending', 'claimed') and c.id = j.conversation_id and r.last_read_seq >= j.through_seq;

  -- Due retries, and claims whose worker died before handing the mail to SMTP.
  for job in
    select * from private.reply_email_jobs j
     where (j.status = 'pending' and j.next_attempt_at <= now())
        or (j.status = 'claimed' and j.lease_until < now())
     order by j.next_attempt_at
     limit p_limit
       for update skip locked
  loop
    update private.reply_email_jobs j
       set status = 'claimed', attempts = j.attempts + 1,
           lease_until = now() + make_interval(secs => p_lease_seconds), updated_at = now()
     where j.id = job.id returning * into job;
    claimed := claimed + 1;
    return next private.reply_email_payload(job);
  end loop;

  select * into settings from public.workspace_settings s where s.id;
  if claimed >= p_limit or coalesce(settings.reply_email_after_minutes, 0) = 0 then
    return;
  end if;

  -- New mail: conversations with a public agent reply older than the delay that the visitor has
  -- not read and no earlier job covers, for a confirmed permanent address that did not unsubscribe.
  for candidate in
    select c.id, c.customer_id
      from public.conversations c
      join auth.users u on u.id = c.customer_id
     where u.email is not null and u.email_confirmed_at is not null and not coalesce(u.is_anonymous, false)
       and not exists (select 1 from private.reply_email_recipients t
                        where t.customer_id = c.customer_id and t.unsubscribed_at is not null)
       and exists (
         select 1 from public.messages m
          where m.conversation_id = c.id and m.sender_type = 'agent' and m.visibility = 'public'
            and m.created_at <= now() - make_interval(mins => settings.reply_email_after_minutes)
            and m.seq > coalesce((select r.last_read_seq from public.conversation_reads r
                                   where r.conversation_id = c.id and r.user_id = c.customer_id), 0)
            and m.seq > coalesce((select max(j.through_seq) from private.reply_email_jobs j
                                   where j.conversation_id = c.id and j.status <> 'failed'), 0))
       and not exists (select 1 from private.reply_email_jobs j
                        where j.conversation_id = c.id
                          and j.created_at > now() - make_interval(mins => settings.reply_email_interval_minutes))
     order by c.last_message_at
     limit p_limit - claimed
  loop
    -- Another worker is on this conversation right now: leave it to them.
    if not pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtext('parley.reply_email:' || candidate.id::text)::bigint) then
      continue;
    end if;
    -- Checked again under the lock, in a fresh snapshot: a job another worker committed since the
    -- search above counts now.
    if exists (select 1 from private.reply_email_jobs j
                where j.conversation_id = candidate.id
                  and j.created_at > now() - make_interval(mins => settings.reply_email_interval_minutes)) then
      continue;
    end if;
    insert into private.reply_email_recipients (customer_id) values (candidate.customer_id)
    on conflict (customer_id) do nothing;
    insert into private.reply_email_jobs (conversation_id, through_seq, status, attempts, lease_until)
    select candidate.id, max(m.seq), 'claimed', 1, now() + make_interval(secs => p_lease_seconds)
      from public.messages m
     where m.conversation_id = candidate.id and m.sender_type = 'agent' and m.visibility = 'public'
    on conflict (conversation_id, through_seq) do nothing
    returning * into job;
    if job.id is null then
      continue;
    end if;
    return next private.reply_email_payload(job);
    job := null;
  end loop;
end;
$$;
revoke all on function public.claim_reply_emails(integer, integer) from public, anon, authenticated;
grant execute on function public.claim_reply_emails(integer, integer) to service_role;

-- Right before the SMTP exchange: from here on a crash leaves the outcome unknown, so the job is
-- never handed out again. False when this worker's claim is no longer current (lease expired and
-- another worker took it): then it must not send.
create function public.begin_reply_email(p_job uuid, p_attempt integer)
returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  found_id uuid;
begin
  if not private.is_service() then
    perform private.fail('PT403', 'Only the reply-mail worker sends reply emails', 'service_only');
  end if;
  update private.reply_email_jobs j
     set status = 'sending', updated_at = now(),
         lease_until = greatest(j.lease_until, now() + interval '5 minutes')
   where j.id = p_job and j.attempts = p_attempt and j.status = 'claimed' and j.lease_until >= now()
  returning j.id into found_id;
  return found_id is not null;
end;
$$;
revoke all on function public.begin_reply_email(uuid, integer) from public, anon, authenticated;
grant execute on function public.begin_reply_email(uuid, integer) to service_role;

-- After the SMTP exchange. p_ok: the server accepted the mail. Otherwise p_retry says whether the
-- server definitely did not take it and a later attempt may succeed (backoff 1, 2, 4, 8, 16 minutes,
-- given up after private.reply_email_max_attempts()); false for a permanent refusal or an unknown
-- outcome, which are never retried.
create function public.complete_reply_email(p_job uuid, p_attempt integer, p_ok boolean,
                                            p_error text default null, p_retry boolean default true)
returns text
language plpgsql volatile security definer set search_path = ''
as $$
declare
  job private.reply_email_jobs;
begin
  if not private.is_service() then
    perform private.fail('PT403', 'Only the reply-mail worker completes reply emails', 'service_only');
  end if;
  if p_ok is null then
    perform private.fail('PT400', 'Say whether the mail was sent', 'ok_invalid');
  end if;
  select * into job from private.reply_email_jobs j where j.id = p_job and j.attempts = p_attempt for update;
  if not found then
    perform private.fail('PT404', 'No such reply email attempt', 'job_unknown');
  end if;
  -- A late report after the lease turned the job 'unknown' still tells the truth about it.
  if job.status not in ('sending', 'unknown') then
    perform private.fail('PT409', 'This reply email is not being sent', 'job_not_sending');
  end if;
  if p_ok then
    update private.reply_email_jobs j
       set status = 'sent', sent_at = now(), lease_until = null, last_error = null, updated_at = now()
     where j.id = p_job;
    return 'sent';
  end if;
  if coalesce(p_retry, true) and job.attempts < private.reply_email_max_attempts() then
    update private.reply_email_jobs j
       set status = 'pending', lease_until = null, updated_at = now(),
           last_error = left(coalesce(p_error, 'not sent'), 1000),
           next_attempt_at = now() + make_interval(mins => power(2, job.attempts - 1)::integer)
     where j.id = p_job;
    return 'pending';
  end if;
  update private.reply_email_jobs j
     set status = 'failed', lease_until = null, updated_at = now(), last_error = left(coalesce(p_error, 'not sent'), 1000)
   where j.id = p_job;
  return 'failed';
end;
$$;
revoke all on function public.complete_reply_email(uuid, integer, boolean, text, boolean) from public, anon, authenticated;
grant execute on function public.complete_reply_email(uuid, integer, boolean, text, boolean) to service_role;

---------------------------------------------------------------------------------------------------
-- Unsubscribe: the mailed token is the capability. One indexed lookup whatever the input, nothing
-- written for a bad or unknown token, the same answer for a second call: cheap to rate-limit at the
-- edge and safe to repeat.

create function public.unsubscribe_reply_emails(p_token text)
returns jsonb
language plpgsql volatile security definer set search_path = ''
as $$
declare
  stamp timestamptz;
begin
  if p_token is null or p_token !~ '^[0-9a-f]{64}$' then
    perform private.fail('PT400', 'This unsubscribe link is not valid', 'token_invalid');
  end if;
  update private.reply_email_recipients t
     set unsubscribed_at = coalesce(t.unsubscribed_at, now())
   where t.token = p_token
  returning t.unsubscribed_at into stamp;
  if stamp is null then
    perform private.fail('PT404', 'This unsubscribe link is not known', 'token_unknown');
  end if;
  return jsonb_build_object('unsubscribed', true, 'since', stamp);
end;
$$;
revoke all on function public.unsubscribe_reply_emails(text) from public, anon, authenticated;
grant execute on function public.unsubscribe_reply_emails(text) to anon, authenticated, service_role;

notify pgrst, 'reload schema';
