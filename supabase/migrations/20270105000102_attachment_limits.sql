-- Attachment limits in the workspace settings (issue 16): the largest file a message may carry and
-- the types it may have, chosen by an admin within the bucket's hard cap and allow-list
-- (20270105000001_attachments_bucket.sql: 10 MB, no SVG or HTML). insert_message checks them
-- (private.attachment_limits), the visitor's widget reads them from widget_settings() to refuse a
-- file before uploading it, and the bucket itself is kept in step so Storage refuses the upload too.
--
-- Keeping the bucket in step: a security-definer trigger updates storage.buckets. It runs as the
-- migration's owner (`postgres`), which may update storage.buckets on a hosted project as it may
-- insert into it (the bucket migration does), so this works unchanged on hosted.
--
-- Follows the rule atop 20261206000003_function_grants.sql and the bounds rule of
-- 20261206000004_schema_bounds.sql.

alter table public.workspace_settings
  add column attachment_max_bytes bigint not null default 10000000
    constraint workspace_settings_attachment_max_bytes_range check (attachment_max_bytes between 1000 and 10000000),
  add column attachment_types text[] not null default array[
    'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/heic', 'image/heif',
    'application/pdf', 'text/plain', 'text/csv', 'application/zip',
    'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.ms-powerpoint', 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    'video/mp4', 'audio/mpeg']
    -- Only types of the bucket's own list (never SVG or HTML; a null is in no list); empty turns attachments off.
    constraint workspace_settings_attachment_types_known check (
      attachment_types <@ array[
        'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/heic', 'image/heif',
        'application/pdf', 'text/plain', 'text/csv', 'application/zip',
        'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'application/vnd.ms-powerpoint', 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
        'video/mp4', 'audio/mpeg']);
comment on column public.workspace_settings.attachment_max_bytes is
  'Largest file a message may carry, in bytes (1000 to the bucket''s 10 MB cap).';
comment on column public.workspace_settings.attachment_types is
  'MIME types a message may carry: part of the attachments bucket''s allow-list; empty: no attachments.';

---------------------------------------------------------------------------------------------------
-- What insert_message checks (20270105000101_message_attachments.sql): the settings, never beyond
-- the bucket (whichever is narrower wins, should someone widen one by hand).
create or replace function private.attachment_limits(out max_bytes bigint, out types text[])
language plpgsql stable security definer set search_path = ''
as $$
begin
  select least(s.attachment_max_bytes, coalesce(b.file_size_limit, s.attachment_max_bytes)),
         array(select t from unnest(s.attachment_types) t
                where b.allowed_mime_types is null or t = any (b.allowed_mime_types))
    into max_bytes, types
    from public.workspace_settings s left join storage.buckets b on b.id = 'attachments'
   where s.id;
  if not found then
    max_bytes := 0;
    types := '{}';
  end if;
end;
$$;
revoke all on function private.attachment_limits() from public, anon, authenticated;

-- The bucket follows the settings, so Storage refuses an oversized or disallowed upload itself.
-- An empty list would read as "any type" to Storage (null and [] both mean no restriction there);
-- the settings' empty list means none, so the bucket gets a type nobody can upload instead.
create function private.sync_attachment_bucket() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  types text[] := case when cardinality(new.attachment_types) = 0
                       then array['application/x-parley-attachments-off'] else new.attachment_types end;
begin
  update storage.buckets
     set file_size_limit = new.attachment_max_bytes, allowed_mime_types = types
   where id = 'attachments'
     and (file_size_limit is distinct from new.attachment_max_bytes or allowed_mime_types is distinct from types);
  return null;
end;
$$;
revoke all on function private.sync_attachment_bucket() from public, anon, authenticated;

create trigger workspace_settings_attachment_bucket
  after update of attachment_max_bytes, attachment_types on public.workspace_settings
  for each row execute function private.sync_attachment_bucket();

---------------------------------------------------------------------------------------------------
-- The visitor's widget learns the limits with the rest of its settings (and live, by the same
-- broadcast, when an admin changes them).
create or replace function private.widget_settings_of(s public.workspace_settings) returns jsonb
language sql immutable set search_path = ''
as $$
  select jsonb_build_object(
    'brand_name', s.brand_name, 'greeting', s.greeting, 'intro', s.intro, 'accent_color', s.accent_color,
    'show_team_avatars', s.show_team_avatars, 'reply_time', s.reply_time, 'business_hours', s.business_hours,
    'away_message', s.away_message, 'pre_chat', s.pre_chat, 'csat_enabled', s.csat_enabled,
    'csat_scale', s.csat_scale, 'default_language', s.default_language,
    'attachment_max_bytes', s.attachment_max_bytes, 'attachment_types', to_jsonb(s.attachment_types))
$$;
revoke all on function private.widget_settings_of(public.workspace_settings) from public, anon, authenticated;

notify pgrst, 'reload schema';
