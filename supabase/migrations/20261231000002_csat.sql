-- Customer satisfaction (issue 15, item 4): after a resolution the visitor rates the conversation
-- once, on a scale of 3 or 5 steps, with an optional comment.
--
--   * A resolution is counted on the conversation (`resolutions`, bumped by a trigger each time the
--     status becomes 'resolved'), so "resolved, reopened, resolved again" asks again: one rating
--     per (conversation, resolution), enforced by the table's key as well as by the RPC.
--   * public.conversation_ratings keeps every rating. Nobody writes it directly (no INSERT, UPDATE
--     or DELETE for the API roles): rate_conversation() writes it after checking, under the
--     conversation's row lock, that the caller is the conversation's customer, that it is resolved
--     right now, not yet rated for this resolution, and that CSAT is on. A rating is final: no
--     change of score or comment afterwards (the agent may already have read it).
--     Agents read every rating, a visitor their own (RLS).
--   * The conversation row carries its latest rating (`rating_score`, `rating_scale`,
--     `rating_resolution`, `rated_at`; the widget reads all but `rated_at`): the console's list shows it without a query per row, the
--     widget knows after a reload whether this resolution is rated, and the rating reaches both
--     through the row's existing live paths (postgres_changes on conversations, and the
--     'parley:inbox' / 'parley:customer:<id>' topics of 20261215000001_broadcast_changes.sql).
--   * The rating also writes an internal system line into the thread ("Rated 4/5 · comment"), so
--     agents see it where it happened, live on the team thread in both transports.
--   * csat_summary(days): agents read the average and count of the last `days` days.
--   * workspace_settings.csat_scale: 3 or 5 (default 5), public in widget_settings().
--
-- Follows the rule atop 20261206000003_function_grants.sql and the bounds rule of
-- 20261206000004_schema_bounds.sql.

---------------------------------------------------------------------------------------------------
-- The scale, public like csat_enabled.

alter table public.workspace_settings
  add column csat_scale smallint not null default 5
    constraint workspace_settings_csat_scale_known check (csat_scale in (3, 5));

create or replace function private.widget_settings_of(s public.workspace_settings) returns jsonb
language sql immutable set search_path = ''
as $$
  select jsonb_build_object(
    'brand_name', s.brand_name, 'greeting', s.greeting, 'intro', s.intro, 'accent_color', s.accent_color,
    'show_team_avatars', s.show_team_avatars, 'reply_time', s.reply_time, 'business_hours', s.business_hours,
    'away_message', s.away_message, 'pre_chat', s.pre_chat, 'csat_enabled', s.csat_enabled,
    'csat_scale', s.csat_scale, 'default_language', s.default_language)
$$;
revoke all on function private.widget_settings_of(public.workspace_settings) from public, anon, authenticated;

---------------------------------------------------------------------------------------------------
-- Resolutions and the latest rating on the conversation row.

alter table public.conversations
  add column resolutions integer not null default 0 constraint conversations_resolutions_count check (resolutions >= 0),
  add column rating_score smallint,
  add column rating_scale smallint,
  add column rating_resolution integer,
  add column rated_at timestamptz,
  add constraint conversations_rating_whole check (
    (rating_score is null and rating_scale is null and rating_resolution is null and rated_at is null)
    or (rating_score is not null and rating_scale in (3, 5) and rating_score between 1 and rating_scale
        and rating_resolution between 1 and resolutions and rated_at is not null));
comment on column public.conversations.resolutions is
  'How many times the conversation became resolved; a rating belongs to one of them.';
comment on column public.conversations.rating_resolution is
  'The resolution the latest rating (rating_score of rating_scale) was given for; equal to resolutions while that one is rated.';

-- Conversations resolved before this migration count one resolution each, so they may be rated.
update public.conversations set resolutions = 1 where status in ('resolved', 'closed');

create function private.count_resolution() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if new.status = 'resolved' and (tg_op = 'INSERT' or old.status is distinct from 'resolved') then
    new.resolutions := coalesce(old.resolutions, 0) + 1;
  end if;
  return new;
end;
$$;
revoke all on function private.count_resolution() from public, anon, authenticated;
create trigger count_resolution before insert or update of status on public.conversations
  for each row execute function private.count_resolution();

---------------------------------------------------------------------------------------------------
-- The ratings.

create table public.conversation_ratings (
  conversation_id uuid not null references public.conversations (id) on delete cascade,
  resolution integer not null constraint conversation_ratings_resolution_positive check (resolution >= 1),
  customer_id uuid not null references public.customers (user_id) on delete cascade,
  score smallint not null,
  scale smallint not null constraint conversation_ratings_scale_known check (scale in (3, 5)),
  comment text constraint conversation_ratings_comment_bounded
    check (comment is null or (char_length(comment) between 1 and 500 and comment = btrim(comment))),
  rated_at timestamptz not null default now(),
  primary key (conversation_id, resolution),
  constraint conversation_ratings_score_in_scale check (score between 1 and scale)
);
comment on table public.conversation_ratings is
  'One rating per resolution of a conversation, written by rate_conversation(); agents read them all, a visitor their own.';
create index conversation_ratings_rated_at_idx on public.conversation_ratings (rated_at desc);
create index conversation_ratings_customer_idx on public.conversation_ratings (customer_id);

alter table public.conversation_ratings enable row level security;
revoke all on public.conversation_ratings from anon, authenticated;
grant select on public.conversation_ratings to authenticated;
do $$
begin
  if current_setting('server_version_num')::integer >= 170000 then
    execute 'revoke maintain on public.conversation_ratings from public, anon, authenticated, service_role';
  end if;
end
$$;

create policy "Agents read ratings; visitors their own"
  on public.conversation_ratings for select to authenticated
  using (customer_id = (select auth.uid()) or (select private.is_agent()));

---------------------------------------------------------------------------------------------------
-- Rating.

-- Rates the caller's resolved conversation for its current resolution. Errors (nothing changes):
-- 'not_found' (not the caller's conversation, or none), 'csat_disabled', 'not_resolved',
-- 'already_rated', 'score_invalid', 'comment_invalid'. Returns the conversation row.
create function public.rate_conversation(p_conversation_id uuid, p_score integer, p_comment text default null)
returns public.conversations
language plpgsql security definer set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  conversation public.conversations;
  scale smallint;
  enabled boolean;
  comment text := nullif(btrim(p_comment), '');
  after public.conversations;
begin
  select * into conversation from public.conversations c where c.id = p_conversation_id for update;
  if caller is null or conversation.id is null or conversation.customer_id <> caller then
    perform private.fail('PT404', 'Conversation not found', 'not_found');
  end if;
  select s.csat_enabled, s.csat_scale into enabled, scale from public.workspace_settings s where s.id;
  if not coalesce(enabled, false) then
    perform private.fail('PT409', 'Ratings are turned off', 'csat_disabled');
  end if;
  if conversation.status <> 'resolved' then
    perform private.fail('PT409', 'Only a resolved conversation can be rated', 'not_resolved');
  end if;
  if conversation.rating_resolution is not distinct from conversation.resolutions
     or exists (select 1 from public.conversation_ratings r
                 where r.conversation_id = p_conversation_id and r.resolution = conversation.resolutions) then
    perform private.fail('PT409', 'This conversation is already rated', 'already_rated');
  end if;
  if p_score is null or p_score < 1 or p_score > scale then
    perform private.fail('PT400', 'The score must be between 1 and ' || scale, 'score_invalid');
  end if;
  if char_length(comment) > 500 then
    perform private.fail('PT400', 'The comment must be at most 500 characters', 'comment_invalid');
  end if;
  insert into public.conversation_ratings (conversation_id, resolution, customer_id, score, scale, comment)
  values (p_conversation_id, conversation.resolutions, caller, p_score, scale, comment);
  update public.conversations
     set rating_score = p_score, rating_scale = scale, rating_resolution = conversation.resolutions,
         rated_at = clock_timestamp(), updated_at = clock_timestamp()
   where id = p_conversation_id;
  perform private.append_system_message(
    p_conversation_id,
    'Rated ' || p_score || '/' || scale || coalesce(' · ' || comment, ''),
    jsonb_build_object('event', 'rated', 'score', p_score, 'scale', scale, 'comment', comment,
                       'resolution', conversation.resolutions),
    'internal');
  select * into after from public.conversations where id = p_conversation_id;
  return after;
end;
$$;
revoke all on function public.rate_conversation(uuid, integer, text) from public, anon, authenticated;
grant execute on function public.rate_conversation(uuid, integer, text) to authenticated, service_role;

-- Average and count of the ratings of the last p_days days (1 to 366), agents only. Ratings given
-- on another scale (the setting changed) are mapped linearly onto the current one, so 5/5 and 3/3
-- both count as the top.
create function public.csat_summary(p_days integer)
returns jsonb
language plpgsql stable security definer set search_path = ''
as $$
declare
  current_scale smallint;
  result jsonb;
begin
  if not private.is_agent() then
    perform private.fail('PT403', 'Only agents can read ratings', 'not_agent');
  end if;
  if p_days is null or p_days < 1 or p_days > 366 then
    perform private.fail('PT400', 'Days must be between 1 and 366', 'days_invalid');
  end if;
  select s.csat_scale into current_scale from public.workspace_settings s where s.id;
  select jsonb_build_object(
           'days', p_days, 'scale', current_scale, 'count', count(*),
           'average', round(avg(1 + (r.score - 1)::numeric * (current_scale - 1) / (r.scale - 1)), 2))
    into result
    from public.conversation_ratings r
   where r.rated_at > now() - make_interval(days => p_days);
  return result;
end;
$$;
revoke all on function public.csat_summary(integer) from public, anon, authenticated;
grant execute on function public.csat_summary(integer) to authenticated, service_role;
