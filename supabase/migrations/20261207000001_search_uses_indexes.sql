-- Search that starts from the full-text indexes (issue 12).
--
-- search_conversations ran as the caller, so RLS guarded every table it read. PostgreSQL evaluates
-- a policy's condition before any condition that is not leakproof, and `tsvector @@ tsquery` is not
-- (nor is to_tsvector, nor pg_trgm's operators): so under RLS the GIN indexes on customers, subjects
-- and message text could never be used. Every search walked the conversations by recency and ran
-- to_tsvector over every message (1.2-1.8 s at 20,000 conversations and 200,000 messages).
--
-- The matching now happens in private.search_conversation_ids, security definer, which applies the
-- same rule as the policies itself (the caller, from the JWT, as every RPC here decides it):
--   agents and the service role  every conversation, customer and message;
--   anyone else                  their own conversations, their own customer row, and only the
--                                public messages of their conversations (never an internal note).
-- search_conversations stays security invoker and reads the rows it returns through RLS, so the
-- answer can never hold a row the policies hide, whatever the helper finds.
--
-- The query is the union of three small, separately planned queries, one per source (subject,
-- customer name and email, message text), each already ordered and cut to one page, so the planner
-- picks per source and per search what is cheaper: a bitmap scan of the GIN index then a top-N sort
-- (rare words, names, emails), or a walk down the recency index that stops after one page of hits
-- (words in many conversations). It is planned for each call (EXECUTE with the query as a bound
-- value) so the selectivity of the actual words, from the indexes' statistics, decides.
--
-- Semantics are unchanged: the same prefix query (private.prefix_query: every word must start a
-- word, so "pri" finds "Priya"), all words within one field (the subject, the customer's name and
-- email, or one message), most recent activity first with the (last_message_at, id) keyset cursor
-- the console pages with. Recency is the ranking: the console is an inbox, shows its list by
-- recency and pages by it, so a relevance order would be re-sorted on screen and break the cursor.
-- tsvector with the 'simple' parser, not pg_trgm: prefix matching is what the console needs,
-- trigrams need three characters and a new extension (hosted Supabase has it, under the
-- `extensions` schema), and the existing indexes already serve the prefix queries.
--
-- Follows the rule atop 20261206000003_function_grants.sql.

create function private.search_conversation_ids(
  query tsquery,
  statuses text[],
  assignment text,
  before_at timestamptz,
  before_id uuid,
  max_rows integer
) returns table (id uuid, last_message_at timestamptz)
language plpgsql stable security definer
set search_path = ''
-- Costs as this query meets them: the rows it reads are hot (SSD-priced pages), and a to_tsvector
-- call (5-10 us) costs about a page read, not the sixteenth of one the defaults make it. With the
-- defaults the planner walks thousands of conversations recomputing to_tsvector over their
-- messages where the index would have read a few hundred rows ("kenji" at 1,000,000 messages:
-- ~500 ms instead of ~12 ms). A search of a few milliseconds gains nothing from parallel workers
-- or JIT.
set cpu_operator_cost = 0.01
set random_page_cost = 1.1
set max_parallel_workers_per_gather = 0
set jit = off
as $$
declare
  caller uuid := auth.uid();
  -- The policies' "agents see all"; the service role bypasses RLS on hosted Supabase.
  sees_all boolean := private.is_service() or (caller is not null and private.is_agent());
begin
  if query is null then
    return;
  end if;
  if caller is null and not sees_all then
    return;
  end if;
  -- $1 query, $2 statuses, $3 assignment, $4/$5 cursor, $6 rows, $7 sees_all, $8 caller. The same
  -- conditions on conversations open each branch; bound values fold away where they do not apply.
  return query execute $sql$
    select hits.id, hits.last_message_at
      from (
        (select c.id, c.last_message_at
           from public.conversations c
          where ($7 or c.customer_id = $8)
            and ($2::text[] is null or c.status = any ($2))
            and ($3 = 'all' or ($3 = 'mine' and c.assigned_agent_id = $8) or ($3 = 'unassigned' and c.assigned_agent_id is null))
            and ($4::timestamptz is null or (c.last_message_at, c.id) < ($4, $5))
            and to_tsvector('simple'::regconfig, coalesce(c.subject, '')) @@ $1
          order by c.last_message_at desc, c.id desc
          limit $6)
        union
        (select c.id, c.last_message_at
           from public.conversations c
          where ($7 or c.customer_id = $8)
            and ($2::text[] is null or c.status = any ($2))
            and ($3 = 'all' or ($3 = 'mine' and c.assigned_agent_id = $8) or ($3 = 'unassigned' and c.assigned_agent_id is null))
            and ($4::timestamptz is null or (c.last_message_at, c.id) < ($4, $5))
            and c.customer_id in (
                  select cu.user_id
                    from public.customers cu
                   where ($7 or cu.user_id = $8)
                     and to_tsvector('simple'::regconfig, coalesce(cu.name, '') || ' ' || coalesce(cu.email, '')) @@ $1)
          order by c.last_message_at desc, c.id desc
          limit $6)
        union
        (select c.id, c.last_message_at
           from public.conversations c
          where ($7 or c.customer_id = $8)
            and ($2::text[] is null or c.status = any ($2))
            and ($3 = 'all' or ($3 = 'mine' and c.assigned_agent_id = $8) or ($3 = 'unassigned' and c.assigned_agent_id is null))
            and ($4::timestamptz is null or (c.last_message_at, c.id) < ($4, $5))
            and exists (
                  select 1
                    from public.messages m
                   where m.conversation_id = c.id
                     and ($7 or m.visibility = 'public')
                     and to_tsvector('simple'::regconfig, m.content) @@ $1)
          order by c.last_message_at desc, c.id desc
          limit $6)
      ) hits
     order by hits.last_message_at desc, hits.id desc
     limit $6
  $sql$
  using query, statuses, assignment, before_at, before_id, max_rows, sees_all, caller;
end;
$$;
revoke all on function private.search_conversation_ids(tsquery, text[], text, timestamptz, uuid, integer)
  from public, anon, authenticated;
grant execute on function private.search_conversation_ids(tsquery, text[], text, timestamptz, uuid, integer)
  to authenticated, service_role;

-- search_conversations: the agent console's list. Same arguments, checks and answer as before.
-- Without search text it is one walk down the recency index under RLS, as before; with it, the
-- helper above finds the page and RLS reads it.
create or replace function public.search_conversations(
  p_query text default null,
  p_statuses text[] default null,
  p_assignment text default 'all',
  p_before_at timestamptz default null,
  p_before_id uuid default null,
  p_limit integer default 30
) returns setof public.conversations
language plpgsql stable security invoker set search_path = ''
as $$
declare
  query tsquery := private.prefix_query(p_query);
  max_rows integer := least(greatest(coalesce(p_limit, 30), 1), 100);
  hit_ids uuid[];
begin
  if p_assignment is null or p_assignment not in ('all', 'mine', 'unassigned') then
    perform private.fail('PT400', 'Assignment filter must be all, mine or unassigned', 'assignment_invalid');
  end if;
  if p_statuses is not null and not p_statuses <@ array['open', 'pending', 'resolved', 'closed'] then
    perform private.fail('PT400', 'Status must be open, pending, resolved or closed', 'status_invalid');
  end if;
  if (p_before_at is null) <> (p_before_id is null) then
    perform private.fail('PT400', 'A page cursor needs both a time and an id', 'cursor_invalid');
  end if;
  if p_query is not null and char_length(p_query) > 200 then
    perform private.fail('PT400', 'Search text is longer than 200 characters', 'query_too_long');
  end if;

  if query is null then
    return query
    select c.*
      from public.conversations c
     where (p_statuses is null or c.status = any (p_statuses))
       and (p_assignment = 'all'
            or (p_assignment = 'mine' and c.assigned_agent_id = auth.uid())
            or (p_assignment = 'unassigned' and c.assigned_agent_id is null))
       and (p_before_at is null or (c.last_message_at, c.id) < (p_before_at, p_before_id))
     order by c.last_message_at desc, c.id desc
     limit max_rows;
    return;
  end if;

  hit_ids := array(select s.id from private.search_conversation_ids(
    query, p_statuses, p_assignment, p_before_at, p_before_id, max_rows) s);
  return query
  select c.*
    from public.conversations c
   where c.id = any (hit_ids)
   order by c.last_message_at desc, c.id desc;
end;
$$;
revoke all on function public.search_conversations(text, text[], text, timestamptz, uuid, integer)
  from public, anon, authenticated;
grant execute on function public.search_conversations(text, text[], text, timestamptz, uuid, integer)
  to authenticated, service_role;

notify pgrst, 'reload schema';
