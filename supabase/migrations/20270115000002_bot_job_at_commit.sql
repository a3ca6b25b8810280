-- The bot's trigger on customer messages (20270110000001_chatbot.sql) runs at commit, after
-- everything else the message's transaction writes.
--
-- Since 20270115000001_message_first.sql the message row is written before the conversation's
-- counters, so an AFTER INSERT trigger runs while the counters still lack the message. For the
-- "Talk to a person" quick reply that trigger hands over at once, and realtime then carried the
-- conversation's changes in this order: the handover (bot off, handed_over_at), then the counters
-- counting the customer's message. A console reads the first as a handed-over conversation and the
-- second as a new customer message in a conversation without a bot: two alerts for one tap. At
-- commit, the counters move first (the bot still on, so nothing rings) and the handover comes last,
-- as one arrival. Jobs are queued at commit too, which changes nothing for the worker: it only ever
-- sees committed messages.

drop trigger messages_bot_job on public.messages;
create constraint trigger messages_bot_job after insert on public.messages
  deferrable initially deferred
  for each row when (new.sender_type = 'customer' and new.visibility = 'public')
  execute function private.queue_bot_job();
