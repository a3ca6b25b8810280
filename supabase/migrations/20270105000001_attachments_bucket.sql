-- Attachments (issue 16): files in a conversation go to the private Storage bucket `attachments`,
-- under keys `<conversation id>/<uuid>/<safe name>` the client builds (Storage refuses non-ASCII
-- keys, so the name a person gave the file travels as the message's metadata, not in the key).
-- Who may do what is RLS on storage.objects, as for the chat tables: the conversation's customer and
-- the agents read and upload; nobody overwrites a file (no UPDATE policy, so an upsert is refused
-- and a second upload of a key is a 409), and only its uploader deletes one.
-- The bucket is private: files are reached through signed URLs, never public ones.

-- Whether a key has the attachment shape and the caller takes part in the conversation it names.
-- Security definer, so it answers the same whatever the caller's own RLS on conversations, and only
-- the yes/no leaves.
create function private.can_use_attachment(object_name text) returns boolean
language plpgsql stable security definer set search_path = ''
as $$
declare
  conversation uuid;
begin
  if object_name is null
     or object_name !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$' then
    return false;
  end if;
  conversation := split_part(object_name, '/', 1)::uuid;
  return exists (
    select 1 from public.conversations c
     where c.id = conversation and (c.customer_id = auth.uid() or private.is_agent())
  );
end;
$$;

revoke all on function private.can_use_attachment(text) from public, anon;
grant execute on function private.can_use_attachment(text) to authenticated, service_role;

-- 10 MB, and types a browser shows safely or downloads: no SVG, no HTML (they would run as pages).
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('attachments', 'attachments', false, 10000000, array[
  'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/heic', 'image/heif',
  'application/pdf', 'text/plain', 'text/csv', 'application/zip',
  'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint', 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'video/mp4', 'audio/mpeg'
])
on conflict (id) do nothing;

create policy "Attachments are read by their conversation's customer and agents"
  on storage.objects for select to authenticated
  using (bucket_id = 'attachments' and private.can_use_attachment(name));

create policy "Attachments are uploaded by their conversation's customer and agents, as themselves"
  on storage.objects for insert to authenticated
  with check (
    bucket_id = 'attachments'
    and owner_id = (select auth.uid())::text
    and private.can_use_attachment(name)
  );

create policy "Attachments are deleted only by their uploader"
  on storage.objects for delete to authenticated
  using (
    bucket_id = 'attachments'
    and owner_id = (select auth.uid())::text
    and private.can_use_attachment(name)
  );
