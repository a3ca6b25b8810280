-- The chatbot (issue 17): a conversation whose chatbot is on gets each public customer message
-- answered as `chatbot`, by the built-in bot (full-text search of the knowledge base below) or by a
-- webhook bot (20270110000002_chatbot_webhook.sql); either may hand over to a person.
--
--   * workspace_settings: chatbot_start (whether a NEW conversation starts with the bot on: never,
--     always, or outside business hours), chatbot_kind (builtin | webhook), chatbot_webhook_url,
--     chatbot_name (the bot's sender name; visitors see it through widget_settings()).
--   * public.knowledge_articles: what the built-in bot answers from. Agents read, admins write
--     (RLS). A generated tsvector weighs question A, tags B, answer C in the article's language.
--   * Quick replies ride in messages.metadata: an agent's or the bot's `quick_replies` (buttons,
--     at most 4), a customer's `quick_reply` (the id of the button tapped; content is its label).
--     A trigger refuses anything else. Reserved ids: `handover` and `helped`.
--   * Handover: private.handover() turns the bot off, stamps conversations.handed_over_at and
--     writes a public system line (metadata event 'handover' and a reason). A customer's
--     `handover` quick reply and public.request_handover() call it.
--   * private.bot_jobs: one row per public customer message in a bot conversation, written by a
--     trigger in the message's own transaction, so a worker that was down finds every one. The
--     worker (supabase/worker/bot, service role) claims them; answers are idempotent by message id
--     (the bot's reply id is derived from the customer message's id).
--
-- insert_message and append_message are not redefined: all of this hangs off metadata, triggers
-- and new functions. Follows the rule atop 20261206000003_function_grants.sql and the bounds rule
-- of 20261206000004_schema_bounds.sql.

---------------------------------------------------------------------------------------------------
-- Settings.

alter table public.workspace_settings
  add column chatbot_start text not null default 'never'
    constraint workspace_settings_chatbot_start_known check (chatbot_start in ('never', 'always', 'outside_hours')),
  add column chatbot_kind text not null default 'builtin'
    constraint workspace_settings_chatbot_kind_known check (chatbot_kind in ('builtin', 'webhook')),
  add column chatbot_webhook_url text
    constraint workspace_settings_chatbot_webhook_url_format
      check (chatbot_webhook_url is null
             or (char_length(chatbot_webhook_url) <= 2000 and chatbot_webhook_url ~ '^https?://[^[:space:]/?#]+[^[:space:]]*$')),
  add column chatbot_name text not null default 'Assistant'
    constraint workspace_settings_chatbot_name_length
      check (char_length(btrim(chatbot_name)) between 1 and 80 and char_length(chatbot_name) <= 80),
  add constraint workspace_settings_chatbot_webhook_url_required
    check (chatbot_kind <> 'webhook' or chatbot_webhook_url is not null);
comment on column public.workspace_settings.chatbot_start is
  'Whether a new conversation starts with the chatbot on: never, always, or outside_hours (business hours on and closed now).';
comment on column public.workspace_settings.chatbot_kind is
  'builtin: answers from knowledge_articles; webhook: each customer message is POSTed, signed, to chatbot_webhook_url.';

-- The visitor's widget names the bot's messages (the rest of the chatbot settings stay the team's).
create or replace function private.widget_settings_of(s public.workspace_settings) returns jsonb
language sql immutable set search_path = ''
as $$
  select jsonb_build_object(
    'brand_name', s.brand_name, 'greeting', s.greeting, 'intro', s.intro, 'accent_color', s.accent_color,
    'show_team_avatars', s.show_team_avatars, 'reply_time', s.reply_time, 'business_hours', s.business_hours,
    'away_message', s.away_message, 'pre_chat', s.pre_chat, 'csat_enabled', s.csat_enabled,
    'csat_scale', s.csat_scale, 'default_language', s.default_language,
    'attachment_max_bytes', s.attachment_max_bytes, 'attachment_types', to_jsonb(s.attachment_types),
    'chatbot_name', s.chatbot_name)
$$;
revoke all on function private.widget_settings_of(public.workspace_settings) from public, anon, authenticated;

-- Closed at `at`: business hours on, and a holiday or outside the day's ranges in the zone. The same
-- rule as the widget's isClosed() (src/elements/launcher/workspace-settings.ts).
create function private.outside_business_hours(hours jsonb, at timestamptz) returns boolean
language plpgsql stable set search_path = ''
as $$
declare
  local timestamp;
  hhmm text;
begin
  if hours is null or not coalesce((hours ->> 'enabled')::boolean, false) then
    return false;
  end if;
  begin
    local := at at time zone (hours ->> 'timezone');
  exception when others then
    return false; -- A zone the server does not know (the check constraint prevents it): say open.
  end;
  if coalesce(hours -> 'holidays', '[]') ? to_char(local, 'YYYY-MM-DD') then
    return true;
  end if;
  hhmm := to_char(local, 'HH24:MI');
  -- 'Dy' is not localized (only the TM prefix is): always Mon, Tue…
  return not exists (
    select 1 from jsonb_array_elements(coalesce(hours -> 'weekly' -> lower(to_char(local, 'Dy')), '[]')) r
     where hhmm >= r ->> 0 and hhmm < r ->> 1);
end;
$$;
revoke all on function private.outside_business_hours(jsonb, timestamptz) from public, anon, authenticated;

-- A new conversation starts with the bot on when the settings say so. A trigger, so every way a
-- conversation is created (start_conversation today, anything later) follows the setting.
create function private.chatbot_start() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  settings public.workspace_settings;
begin
  select * into settings from public.workspace_settings s where s.id;
  if settings.chatbot_start = 'always'
     or (settings.chatbot_start = 'outside_hours' and private.outside_business_hours(settings.business_hours, now())) then
    new.chatbot_enabled := true;
  end if;
  return new;
end;
$$;
revoke all on function private.chatbot_start() from public, anon, authenticated;
create trigger conversations_chatbot_start before insert on public.conversations
  for each row execute function private.chatbot_start();

alter table public.conversations add column handed_over_at timestamptz;
comment on column public.conversations.handed_over_at is 'When the chatbot last handed this conversation over to a person.';

---------------------------------------------------------------------------------------------------
-- The knowledge base.

-- The text search configuration for a language tag (its primary subtag): the built-in stemmers
-- for the languages the demo and most shops use, `simple` (no stemming, no stop words) otherwise.
-- Immutable, so the generated column below may call it; admins' writes evaluate it, hence the grant.
create function private.text_search_config(language text) returns regconfig
language sql immutable parallel safe set search_path = ''
as $$
  select case lower(split_part(coalesce(language, ''), '-', 1))
    when 'en' then 'pg_catalog.english'
    when 'de' then 'pg_catalog.german'
    when 'fr' then 'pg_catalog.french'
    when 'es' then 'pg_catalog.spanish'
    when 'pt' then 'pg_catalog.portuguese'
    else 'pg_catalog.simple'
  end::regconfig
$$;
revoke all on function private.text_search_config(text) from public, anon, authenticated;
grant execute on function private.text_search_config(text) to authenticated, service_role;

-- Tags: at most 10, each 1 to 40 characters and not blank. A function, as a check constraint cannot
-- look inside an array otherwise; admins' writes evaluate it, hence the grant.
create function private.knowledge_tags_valid(tags text[]) returns boolean
language sql immutable parallel safe set search_path = ''
as $$
  select tags is not null and cardinality(tags) <= 10 and array_ndims(tags) is not distinct from
         case when cardinality(tags) = 0 then null else 1 end
     and not exists (select 1 from unnest(tags) t
                      where t is null or char_length(t) > 40 or btrim(t) = '')
$$;
revoke all on function private.knowledge_tags_valid(text[]) from public, anon, authenticated;
grant execute on function private.knowledge_tags_valid(text[]) to authenticated, service_role;

-- The searched document. array_to_string is only stable in the catalog (its element output), so the
-- tags are joined here, where they are known to be text.
create function private.knowledge_document(language text, question text, tags text[], answer text) returns tsvector
language sql immutable parallel safe set search_path = ''
as $$
  select setweight(to_tsvector(private.text_search_config(language), coalesce(question, '')), 'A')
      || setweight(to_tsvector(private.text_search_config(language),
                               coalesce((select string_agg(t, ' ') from unnest(tags) t), '')), 'B')
      || setweight(to_tsvector(private.text_search_config(language), coalesce(answer, '')), 'C')
$$;
revoke all on function private.knowledge_document(text, text, text[], text) from public, anon, authenticated;
grant execute on function private.knowledge_document(text, text, text[], text) to authenticated, service_role;

create table public.knowledge_articles (
  id uuid primary key default gen_random_uuid(),
  question text not null
    constraint knowledge_articles_question_length check (char_length(btrim(question)) between 1 and 300 and char_length(question) <= 300),
  answer text not null
    constraint knowledge_articles_answer_length check (char_length(btrim(answer)) between 1 and 4000 and char_length(answer) <= 4000),
  tags text[] not null default '{}'
    constraint knowledge_articles_tags_valid check (private.knowledge_tags_valid(tags)),
  language text not null default 'en'
    constraint knowledge_articles_language_format
      check (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' and char_length(language) <= 35),
  search tsvector generated always as (private.knowledge_document(language, question, tags, answer)) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  updated_by uuid references auth.users (id) on delete set null
);
comment on table public.knowledge_articles is
  'What the built-in chatbot answers from. Agents read, admins write; searched with ts_rank_cd in the visitor''s language.';
create index knowledge_articles_search_idx on public.knowledge_articles using gin (search);

alter table public.knowledge_articles enable row level security;
revoke all on public.knowledge_articles from anon, authenticated;
grant select, insert, update, delete on public.knowledge_articles to authenticated;
do $$
begin
  if current_setting('server_version_num')::integer >= 170000 then
    execute 'revoke maintain on public.knowledge_articles from public, anon, authenticated, service_role';
  end if;
end
$$;
create policy "Agents read the knowledge base"
  on public.knowledge_articles for select to authenticated
  using ((select private.is_agent()));
create policy "Admins add articles"
  on public.knowledge_articles for insert to authenticated
  with check ((select private.is_admin()));
create policy "Admins change articles"
  on public.knowledge_articles for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "Admins remove articles"
  on public.knowledge_articles for delete to authenticated
  using ((select private.is_admin()));

-- Who wrote it and when is the database's to say; id and created_at never change.
create function private.knowledge_article_stamp() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    new.id := old.id;
    new.created_at := old.created_at;
  else
    new.created_at := now();
  end if;
  new.updated_at := now();
  new.updated_by := auth.uid();
  return new;
end;
$$;
revoke all on function private.knowledge_article_stamp() from public, anon, authenticated;
create trigger knowledge_articles_stamp before insert or update on public.knowledge_articles
  for each row execute function private.knowledge_article_stamp();

---------------------------------------------------------------------------------------------------
-- Quick replies.

-- What is wrong with a quick_replies value, or null: a list of 1 to 4 {id, label}, ids
-- ^[a-z0-9_-]{1,32}$ and unique, labels 1 to 40 characters and not blank.
create function private.quick_replies_problem(value jsonb) returns text
language plpgsql immutable set search_path = ''
as $$
declare
  item jsonb;
  ids text[] := '{}';
begin
  if jsonb_typeof(value) is distinct from 'array' then
    return 'quick_replies must be a list';
  end if;
  if jsonb_array_length(value) not between 1 and 4 then
    return 'a message offers 1 to 4 quick replies';
  end if;
  for item in select v from jsonb_array_elements(value) v loop
    if jsonb_typeof(item) <> 'object'
       or exists (select 1 from jsonb_object_keys(item) k where k not in ('id', 'label'))
       or jsonb_typeof(item -> 'id') is distinct from 'string'
       or jsonb_typeof(item -> 'label') is distinct from 'string' then
      return 'each quick reply is {"id", "label"}';
    end if;
    if (item ->> 'id') !~ '^[a-z0-9_-]{1,32}$' then
      return 'a quick reply id is 1 to 32 of a-z, 0-9, _ and -';
    end if;
    if (item ->> 'id') = any (ids) then
      return 'quick reply ids must differ';
    end if;
    ids := ids || (item ->> 'id');
    if char_length(item ->> 'label') > 40 or private.is_blank(item ->> 'label') then
      return 'a quick reply label is 1 to 40 characters, not blank';
    end if;
  end loop;
  return null;
end;
$$;
revoke all on function private.quick_replies_problem(jsonb) from public, anon, authenticated;

-- Only the team and the bot offer buttons, only the customer taps one. Fires only for messages
-- carrying either key (the trigger's WHEN), so other messages pay nothing.
create function private.check_quick_replies() returns trigger
language plpgsql set search_path = ''
as $$
declare
  problem text;
begin
  if new.metadata ? 'quick_replies' then
    if new.sender_type not in ('agent', 'chatbot') then
      perform private.fail('PT403', 'Only the team and the chatbot offer quick replies', 'quick_replies_forbidden');
    end if;
    if new.visibility <> 'public' then
      perform private.fail('PT400', 'Quick replies are not valid: an internal note offers none', 'quick_replies_invalid');
    end if;
    problem := private.quick_replies_problem(new.metadata -> 'quick_replies');
    if problem is not null then
      perform private.fail('PT400', 'Quick replies are not valid: ' || problem, 'quick_replies_invalid');
    end if;
  end if;
  if new.metadata ? 'quick_reply' then
    if new.sender_type <> 'customer' then
      perform private.fail('PT403', 'Only the customer answers with a quick reply', 'quick_replies_forbidden');
    end if;
    if jsonb_typeof(new.metadata -> 'quick_reply') is distinct from 'string'
       or (new.metadata ->> 'quick_reply') !~ '^[a-z0-9_-]{1,32}$' then
      perform private.fail('PT400', 'Quick replies are not valid: quick_reply is the id of a quick reply', 'quick_replies_invalid');
    end if;
  end if;
  return new;
end;
$$;
revoke all on function private.check_quick_replies() from public, anon, authenticated;
create trigger messages_quick_replies before insert on public.messages
  for each row when (new.metadata ? 'quick_replies' or new.metadata ? 'quick_reply')
  execute function private.check_quick_replies();

---------------------------------------------------------------------------------------------------
-- Handover.

-- The bot's words in the visitor's language (the primary subtag; English otherwise). Quick reply
-- labels become the customer's own message when tapped, so they must be in their language.
create function private.bot_text(language text, key text) returns text
language sql immutable parallel safe set search_path = ''
as $$
  select coalesce(t.texts ->> key, '{"helped": "That helped", "handover": "Talk to a person", "glad": "Glad I could help."}'::jsonb ->> key)
    from (select case lower(split_part(coalesce(language, 'en'), '-', 1))
      when 'de' then '{"helped": "Das hat geholfen", "handover": "Mit einer Person sprechen", "glad": "Schön, dass ich helfen konnte."}'
      when 'fr' then '{"helped": "Cela m''a aidé", "handover": "Parler à une personne", "glad": "Ravi d''avoir pu aider."}'
      when 'es' then '{"helped": "Me ayudó", "handover": "Hablar con una persona", "glad": "Me alegra haber ayudado."}'
      when 'pt' then '{"helped": "Isso ajudou", "handover": "Falar com uma pessoa", "glad": "Que bom que pude ajudar."}'
      when 'ar' then '{"helped": "هذا ساعدني", "handover": "التحدث إلى شخص", "glad": "يسعدني أنني ساعدت."}'
      when 'ja' then '{"helped": "解決しました", "handover": "担当者と話す", "glad": "お役に立ててよかったです。"}'
      else '{}' end::jsonb as texts) t
$$;
revoke all on function private.bot_text(text, text) from public, anon, authenticated;

-- Hands the conversation to a person: the bot goes off, handed_over_at is stamped, a public system
-- line says a person will reply, and the bot's open jobs there end. Idempotent: false (nothing
-- written) when the bot was already off. Reasons: asked, low_confidence, bot_failed, bot.
create function private.handover(conversation uuid, reason text) returns boolean
language plpgsql security definer set search_path = ''
as $$
declare
  enabled boolean;
begin
  select c.chatbot_enabled into enabled from public.conversations c where c.id = conversation for update;
  if not coalesce(enabled, false) then
    return false;
  end if;
  update public.conversations
     set chatbot_enabled = false, handed_over_at = clock_timestamp(), updated_at = clock_timestamp()
   where id = conversation;
  perform private.append_system_message(
    conversation, 'A person will reply here soon.',
    jsonb_build_object('event', 'handover', 'reason', reason), 'public');
  update private.bot_jobs j set state = 'done', outcome = 'skipped', claimed_until = null
   where j.conversation_id = conversation and j.state in ('pending', 'sent');
  return true;
end;
$$;
revoke all on function private.handover(uuid, text) from public, anon, authenticated;

-- The conversation's customer (or an agent) asks for a person. Returns the conversation row.
create function public.request_handover(p_conversation_id uuid) returns public.conversations
language plpgsql security definer set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  conversation public.conversations;
begin
  select * into conversation from public.conversations c where c.id = p_conversation_id for update;
  if caller is null or conversation.id is null or (conversation.customer_id <> caller and not private.is_agent()) then
    perform private.fail('PT404', 'Conversation not found', 'conversation_not_found');
  end if;
  perform private.handover(p_conversation_id, 'asked');
  select * into conversation from public.conversations c where c.id = p_conversation_id;
  return conversation;
end;
$$;
revoke all on function public.request_handover(uuid) from public, anon, authenticated;
grant execute on function public.request_handover(uuid) to authenticated, service_role;

---------------------------------------------------------------------------------------------------
-- Bot jobs.

create table private.bot_jobs (
  message_id uuid primary key references public.messages (id) on delete cascade,
  conversation_id uuid not null references public.conversations (id) on delete cascade,
  created_at timestamptz not null default now(),
  state text not null default 'pending'
    constraint bot_jobs_state_known check (state in ('pending', 'sent', 'done', 'failed')),
  attempts integer not null default 0 check (attempts between 0 and 100),
  -- A worker holds a pending job until then; past it, another worker may claim it again.
  claimed_until timestamptz,
  -- A webhook bot that took the message must reply by then, or the conversation is handed over.
  deadline timestamptz,
  -- answered | handover | skipped, once done; the built-in bot's article, if it answered from one.
  outcome text constraint bot_jobs_outcome_known check (outcome in ('answered', 'handover', 'skipped')),
  article_id uuid,
  last_error text check (char_length(last_error) <= 1000)
);
comment on table private.bot_jobs is
  'One row per public customer message in a chatbot conversation, claimed by the bot worker (service role only).';
create index bot_jobs_open_idx on private.bot_jobs (created_at) where state in ('pending', 'sent');
create index bot_jobs_conversation_idx on private.bot_jobs (conversation_id) where state in ('pending', 'sent');
alter table private.bot_jobs enable row level security;
revoke all on private.bot_jobs from public, anon, authenticated;
do $$
begin
  if current_setting('server_version_num')::integer >= 170000 then
    execute 'revoke maintain on private.bot_jobs from public, anon, authenticated, service_role';
  end if;
end
$$;

-- Claims a pending job this many times without an outcome (its workers keep dying on it) and the
-- conversation goes to a person rather than waiting on it forever.
create function private.bot_max_attempts() returns integer
language sql immutable set search_path = ''
as $$ select 5 $$;
revoke all on function private.bot_max_attempts() from public, anon, authenticated;

-- A public customer message in a bot conversation: a job, or at once a handover for the
-- "Talk to a person" button. Only customers' public messages fire it (the trigger's WHEN).
create function private.queue_bot_job() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if not exists (select 1 from public.conversations c where c.id = new.conversation_id and c.chatbot_enabled) then
    return null;
  end if;
  if new.metadata ->> 'quick_reply' = 'handover' then
    perform private.handover(new.conversation_id, 'asked');
  else
    insert into private.bot_jobs (message_id, conversation_id) values (new.id, new.conversation_id)
    on conflict (message_id) do nothing;
  end if;
  return null;
end;
$$;
revoke all on function private.queue_bot_job() from public, anon, authenticated;
create trigger messages_bot_job after insert on public.messages
  for each row when (new.sender_type = 'customer' and new.visibility = 'public')
  execute function private.queue_bot_job();

-- The language the bot speaks with a conversation's customer: their browser's on their latest
-- visit, else the workspace's default; the primary subtag, lower case.
create function private.conversation_language(conversation uuid) returns text
language sql stable security definer set search_path = ''
as $$
  select lower(split_part(coalesce(
    (select v.language from public.customer_visits v join public.conversations c on c.customer_id = v.customer_id
      where c.id = conversation and v.language ~ '^[A-Za-z]{2,3}(-|$)'
      order by v.created_at desc, v.id desc limit 1),
    (select s.default_language from public.workspace_settings s where s.id),
    'en'), '-', 1))
$$;
revoke all on function private.conversation_language(uuid) from public, anon, authenticated;

-- What a bot gets for one job (and what the webhook body carries as `job`).
create function private.bot_job_payload(job private.bot_jobs) returns jsonb
language sql stable security definer set search_path = ''
as $$
  select jsonb_build_object(
    'message_id', job.message_id,
    'conversation_id', job.conversation_id,
    'text', m.content,
    'quick_reply', m.metadata -> 'quick_reply',
    'language', private.conversation_language(job.conversation_id),
    'customer', jsonb_strip_nulls(jsonb_build_object('name', cu.name, 'email', cu.email)),
    'recent', coalesce((
      select jsonb_agg(jsonb_build_object('sender_type', r.sender_type, 'text', r.content) order by r.seq)
        from (select p.seq, p.sender_type, p.content from public.messages p
               where p.conversation_id = job.conversation_id and p.visibility = 'public' and p.seq <= m.seq
               order by p.seq desc limit 10) r), '[]'::jsonb),
    'attempts', job.attempts)
    from public.messages m
    join public.conversations c on c.id = m.conversation_id
    left join public.customers cu on cu.user_id = c.customer_id
   where m.id = job.message_id
$$;
revoke all on function private.bot_job_payload(private.bot_jobs) from public, anon, authenticated;

-- The worker's claim: jobs of conversations whose bot went off end as 'skipped'; a webhook bot past
-- its reply deadline, or a job claimed bot_max_attempts() times, hands the conversation over
-- (bot_failed); then up to p_limit pending jobs are leased to this worker, oldest first, skipping
-- rows another worker holds.
create function public.claim_bot_jobs(p_limit integer default 10, p_lease_seconds integer default 60)
returns setof jsonb
language plpgsql volatile security definer set search_path = ''
as $$
declare
  job private.bot_jobs;
begin
  if not private.is_service() then
    perform private.fail('PT403', 'Only the bot worker claims bot jobs', 'service_only');
  end if;
  if p_limit is null or p_limit not between 1 and 100 then
    perform private.fail('PT400', 'Limit must be 1 to 100', 'limit_invalid');
  end if;
  if p_lease_seconds is null or p_lease_seconds not between 5 and 3600 then
    perform private.fail('PT400', 'Lease must be 5 to 3600 seconds', 'lease_invalid');
  end if;

  update private.bot_jobs j
     set state = 'done', outcome = 'skipped', claimed_until = null
   where j.message_id in (
     select o.message_id from private.bot_jobs o join public.conversations c on c.id = o.conversation_id
      where o.state in ('pending', 'sent') and not c.chatbot_enabled
        for update of o skip locked);

  for job in
    select * from private.bot_jobs j
     where (j.state = 'sent' and j.deadline < now())
        or (j.state = 'pending' and j.attempts >= private.bot_max_attempts() and j.claimed_until < now())
       for update skip locked
  loop
    update private.bot_jobs j
       set state = 'failed', claimed_until = null,
           last_error = case when job.state = 'sent' then 'The bot did not reply in time'
                             else 'No worker finished this job in ' || job.attempts || ' attempts' end
     where j.message_id = job.message_id;
    perform private.handover(job.conversation_id, 'bot_failed');
  end loop;

  for job in
    select * from private.bot_jobs j
     where j.state = 'pending' and (j.claimed_until is null or j.claimed_until < now())
       and j.attempts < private.bot_max_attempts()
     order by j.created_at
     limit p_limit
       for update skip locked
  loop
    update private.bot_jobs j
       set attempts = j.attempts + 1, claimed_until = now() + make_interval(secs => p_lease_seconds)
     where j.message_id = job.message_id
    returning * into job;
    return next private.bot_job_payload(job);
  end loop;
end;
$$;
revoke all on function public.claim_bot_jobs(integer, integer) from public, anon, authenticated;
grant execute on function public.claim_bot_jobs(integer, integer) to service_role;

notify pgrst, 'reload schema';
