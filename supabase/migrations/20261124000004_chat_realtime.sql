-- Live updates: messages, conversation changes and read markers stream through Supabase Realtime.
-- Full replica identity gives UPDATE events the old row too (status from → to in the console).
alter table public.messages replica identity full;
alter table public.conversations replica identity full;
alter table public.conversation_reads replica identity full;

alter publication supabase_realtime add table public.messages, public.conversations, public.conversation_reads;
