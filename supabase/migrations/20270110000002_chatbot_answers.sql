-- The built-in bot and the worker's bookkeeping (issue 17), over the jobs of
-- 20270110000001_chatbot.sql. Service role only: the worker (supabase/worker/bot) calls these.
--
--   * answer_bot_job(message): the built-in bot. Searches knowledge_articles in the visitor's
--     language, then the workspace's default language, then any other; a confident match is posted
--     as `chatbot` with the quick replies "That helped" / "Talk to a person", anything else hands
--     over (low_confidence). The "That helped" button gets one short thanks. The reply's id is
--     derived from the customer message's id and the job is finished in the same transaction, so a
--     second attempt (another worker, a restarted one) can never post twice.
--   * mark_bot_job_sent / fail_bot_job / complete_bot_job: a webhook delivery's outcome.
--
-- Follows the rule atop 20261206000003_function_grants.sql.

-- How sure the built-in bot must be before it answers (see private.knowledge_match). Tuned on the
-- demo's knowledge base: its own questions, paraphrases ("How long does delivery take?") and tags
-- ("Hardcover or softcover?") score 0.8 to 1; one shared word among several unknown ones ("I have a
-- question about my order") scores under 0.2.
create function private.bot_confidence_threshold() returns numeric
language sql immutable set search_path = ''
as $$ select 0.35 $$;
revoke all on function private.bot_confidence_threshold() from public, anon, authenticated;

-- The id of the bot's reply to a customer message: one per message, whichever bot and attempt.
create function private.bot_reply_id(message_id uuid) returns uuid
language sql immutable set search_path = ''
as $$ select md5('bot:' || message_id::text)::uuid $$;
revoke all on function private.bot_reply_id(uuid) from public, anon, authenticated;

-- The best article for `p_question` among those in `p_language` (primary subtag), and how sure it is.
-- Candidates share at least one word with the question in their question or tags (the A and B
-- weights; a GIN lookup). The score is the share of the question's words the article covers,
-- each word counted by how rare it is in the knowledge base (an inverse document frequency, so
-- "photo", in every article, counts for little and "refund" for much) and by where it matches
-- (question 1, tags 0.8, answer 0.3). Words the knowledge base never uses count as rare ones: a
-- question mostly about something else is not confidently answered. Ties go to ts_rank_cd.
create function private.knowledge_match(p_question text, p_language text,
                                        out article_id uuid, out score numeric, out answer text)
language plpgsql stable security definer set search_path = ''
as $$
declare
  config regconfig := private.text_search_config(p_language);
  primary_tag text := lower(split_part(p_language, '-', 1));
  lexemes text[];
  any_word tsquery;
  titled_word tsquery;
begin
  -- Quotes and backslashes would need tsquery escaping; such lexemes are rare enough to drop.
  lexemes := array(select l from unnest(tsvector_to_array(to_tsvector(config, coalesce(p_question, '')))) l
                    where l !~ '[''\\]' limit 32);
  if cardinality(lexemes) = 0 then
    return;
  end if;
  any_word := (select string_agg(quote_literal(l), ' | ') from unnest(lexemes) l)::tsquery;
  titled_word := (select string_agg(quote_literal(l) || ':AB', ' | ') from unnest(lexemes) l)::tsquery;
  with articles as (
    select a.* from public.knowledge_articles a where lower(split_part(a.language, '-', 1)) = primary_tag
  ), total as (
    select count(*)::numeric as n from articles
  ), words as (
    select w.l, ln((t.n + 1) / (greatest((select count(*) from articles a where a.search @@ quote_literal(w.l)::tsquery), 1) + 0.5)) as idf
      from unnest(lexemes) w(l) cross join total t
  ), candidates as (
    select a.id, a.answer, a.search from articles a where a.search @@ titled_word
  )
  select c.id, c.answer,
         sum(w.idf * case when c.search @@ (quote_literal(w.l) || ':A')::tsquery then 1
                          when c.search @@ (quote_literal(w.l) || ':B')::tsquery then 0.8
                          when c.search @@ quote_literal(w.l)::tsquery then 0.3
                          else 0 end) / nullif((select sum(idf) from words), 0)
    into article_id, answer, score
    from candidates c cross join words w
   group by c.id, c.answer, c.search
   order by 3 desc nulls last, ts_rank_cd(c.search, any_word) desc, c.id
   limit 1;
end;
$$;
revoke all on function private.knowledge_match(text, text) from public, anon, authenticated;

create function public.answer_bot_job(p_message_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = ''
as $$
declare
  job private.bot_jobs;
  conversation public.conversations;
  message public.messages;
  reply_id uuid := private.bot_reply_id(p_message_id);
  spoken text;
  tried text[] := '{}';
  candidate text;
  match record;
  ended text;
begin
  if not private.is_service() then
    perform private.fail('PT403', 'Only the bot worker answers bot jobs', 'service_only');
  end if;
  select * into job from private.bot_jobs j where j.message_id = p_message_id for update;
  if not found then
    perform private.fail('PT404', 'No such bot job', 'bot_job_unknown');
  end if;
  if job.state in ('done', 'failed') then
    return jsonb_strip_nulls(jsonb_build_object('outcome', coalesce(job.outcome, 'skipped'), 'article_id', job.article_id));
  end if;
  select * into conversation from public.conversations c where c.id = job.conversation_id for update;
  if not conversation.chatbot_enabled or exists (select 1 from public.messages m where m.id = reply_id) then
    update private.bot_jobs j set state = 'done', outcome = 'skipped', claimed_until = null where j.message_id = p_message_id;
    return jsonb_build_object('outcome', 'skipped');
  end if;
  select * into message from public.messages m where m.id = p_message_id;
  spoken := private.conversation_language(conversation.id);

  if message.metadata ->> 'quick_reply' = 'helped' then
    perform private.append_message(conversation.id, reply_id, 'chatbot', null, private.bot_text(spoken, 'glad'), '{}'::jsonb, 'public');
    update private.bot_jobs j set state = 'done', outcome = 'answered', claimed_until = null where j.message_id = p_message_id;
    return jsonb_build_object('outcome', 'answered');
  end if;

  -- The visitor's language, the workspace's, then any other the knowledge base has.
  for candidate in
    select l from (
      select spoken as l, 0 as o
      union all select lower(split_part(s.default_language, '-', 1)), 1 from public.workspace_settings s where s.id
      union all select distinct lower(split_part(a.language, '-', 1)), 2 from public.knowledge_articles a) c
     order by o, l
  loop
    if candidate = any (tried) then
      continue;
    end if;
    tried := tried || candidate;
    select * into match from private.knowledge_match(message.content, candidate);
    if match.article_id is not null and match.score >= private.bot_confidence_threshold() then
      perform private.append_message(
        conversation.id, reply_id, 'chatbot', null, match.answer,
        jsonb_build_object(
          'article_id', match.article_id,
          'quick_replies', jsonb_build_array(
            jsonb_build_object('id', 'helped', 'label', private.bot_text(candidate, 'helped')),
            jsonb_build_object('id', 'handover', 'label', private.bot_text(candidate, 'handover')))),
        'public');
      update private.bot_jobs j set state = 'done', outcome = 'answered', article_id = match.article_id, claimed_until = null
       where j.message_id = p_message_id;
      return jsonb_build_object('outcome', 'answered', 'article_id', match.article_id);
    end if;
  end loop;

  ended := case when private.handover(conversation.id, 'low_confidence') then 'handover' else 'skipped' end;
  update private.bot_jobs j set state = 'done', outcome = ended, claimed_until = null
   where j.message_id = p_message_id;
  return jsonb_build_object('outcome', ended);
end;
$$;
revoke all on function public.answer_bot_job(uuid) from public, anon, authenticated;
grant execute on function public.answer_bot_job(uuid) to service_role;

-- A webhook took the message (2xx): its reply is due within p_deadline_seconds, or claim_bot_jobs
-- hands the conversation over. False when the job is no longer pending (the bot already replied,
-- or the conversation was handed over meanwhile).
create function public.mark_bot_job_sent(p_message_id uuid, p_deadline_seconds integer default 30) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  found_id uuid;
begin
  if not private.is_service() then
    perform private.fail('PT403', 'Only the bot worker reports deliveries', 'service_only');
  end if;
  if p_deadline_seconds is null or p_deadline_seconds not between 1 and 3600 then
    perform private.fail('PT400', 'Deadline must be 1 to 3600 seconds', 'deadline_invalid');
  end if;
  update private.bot_jobs j
     set state = 'sent', deadline = now() + make_interval(secs => p_deadline_seconds), claimed_until = null
   where j.message_id = p_message_id and j.state = 'pending'
  returning j.message_id into found_id;
  return found_id is not null;
end;
$$;
revoke all on function public.mark_bot_job_sent(uuid, integer) from public, anon, authenticated;
grant execute on function public.mark_bot_job_sent(uuid, integer) to service_role;

-- The bot could not be reached or refused the message: the conversation goes to a person
-- (bot_failed). False when the job had already ended.
create function public.fail_bot_job(p_message_id uuid, p_error text default null) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  job private.bot_jobs;
begin
  if not private.is_service() then
    perform private.fail('PT403', 'Only the bot worker reports failures', 'service_only');
  end if;
  select * into job from private.bot_jobs j where j.message_id = p_message_id for update;
  if not found or job.state not in ('pending', 'sent') then
    return false;
  end if;
  update private.bot_jobs j
     set state = 'failed', claimed_until = null, outcome = 'handover',
         last_error = left(coalesce(p_error, 'The bot failed'), 1000)
   where j.message_id = p_message_id;
  perform private.handover(job.conversation_id, 'bot_failed');
  return true;
end;
$$;
revoke all on function public.fail_bot_job(uuid, text) from public, anon, authenticated;
grant execute on function public.fail_bot_job(uuid, text) to service_role;

-- Ends a job with nothing posted (the bot chose not to answer). False when it had already ended.
create function public.complete_bot_job(p_message_id uuid) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  found_id uuid;
begin
  if not private.is_service() then
    perform private.fail('PT403', 'Only the bot worker completes bot jobs', 'service_only');
  end if;
  update private.bot_jobs j set state = 'done', outcome = 'skipped', claimed_until = null
   where j.message_id = p_message_id and j.state in ('pending', 'sent')
  returning j.message_id into found_id;
  return found_id is not null;
end;
$$;
revoke all on function public.complete_bot_job(uuid) from public, anon, authenticated;
grant execute on function public.complete_bot_job(uuid) to service_role;

notify pgrst, 'reload schema';
