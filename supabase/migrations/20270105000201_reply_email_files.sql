-- Reply emails name a reply's files (issue 16): an agent's reply may be files with no text
-- (20270105000101_message_attachments.sql), and the mail said nothing for it. The payload now
-- carries each reply's file names as `files`; the worker lists them under the reply's text. The
-- files themselves stay behind the link back (signed URLs need the visitor signed in).
--
-- Only the payload helper changes, as in 20261231000202_reply_email_language.sql.
--
-- Follows the rule atop 20261206000003_function_grants.sql.

create or replace function private.reply_email_payload(job private.reply_email_jobs)
returns jsonb
language sql stable security definer set search_path = ''
as $$
  select jsonb_build_object(
    'job_id', job.id,
    'attempt', job.attempts,
    'conversation_id', job.conversation_id,
    'email', u.email,
    'brand_name', (select s.brand_name from public.workspace_settings s where s.id),
    -- The mail and its unsubscribe page speak the workspace's default language.
    'language', (select s.default_language from public.workspace_settings s where s.id),
    'replies', coalesce((
      select jsonb_agg(jsonb_build_object(
               'seq', m.seq, 'content', m.content, 'created_at', m.created_at,
               'agent_name', private.actor_name(m.sender_id),
               -- The names only: the mail carries no files, its link opens the conversation.
               'files', coalesce((select jsonb_agg(a.item ->> 'name' order by a.ordinality)
                                    from jsonb_array_elements(m.attachments) with ordinality a(item, ordinality)), '[]'::jsonb))
             order by m.seq)
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

notify pgrst, 'reload schema';
