-- Demo data for Parley: a support team for "Lumen", a made-up photo-book shop, and the people who
-- write to it. Runs on a fresh database after the migrations, locally or with `supabase db reset`.
--
-- Demo logins (agent console):
--   admin@parley.test   / parley-admin   (Maya Chen, admin)
--   agent@parley.test   / parley-agent   (Sam Rivera, agent)
--   jordan@parley.test  / parley-agent   (Jordan Blake, agent)
-- Customers with an email can sign in with the password parley-customer; the others are
-- anonymous visitors, as most widget users are.

create function pg_temp.user_account(
  id uuid, email text, password text, full_name text, anonymous boolean, created interval
) returns void
language sql
as $$
  insert into auth.users (
    instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data,
    raw_user_meta_data, created_at, updated_at, last_sign_in_at, confirmation_token, recovery_token,
    email_change_token_new, email_change, is_anonymous
  ) values (
    '00000000-0000-0000-0000-000000000000', id, 'authenticated', 'authenticated', email,
    case when password is null then null else extensions.crypt(password, extensions.gen_salt('bf')) end,
    case when email is null then null else now() - created end,
    case when anonymous then '{"provider":"anonymous","providers":["anonymous"]}'::jsonb
         else '{"provider":"email","providers":["email"]}'::jsonb end,
    case when full_name is null then '{}'::jsonb else jsonb_build_object('full_name', full_name) end,
    now() - created, now() - created, now() - created, '', '', '', '', anonymous
  );
  insert into auth.identities (id, user_id, provider_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
  select gen_random_uuid(), id, id::text,
         jsonb_build_object('sub', id::text, 'email', email, 'email_verified', true, 'phone_verified', false),
         'email', now() - created, now() - created, now() - created
   where email is not null;
$$;

create function pg_temp.customer(id uuid, name text, email text, created interval, metadata jsonb default '{}')
returns void
language sql
as $$
  select pg_temp.user_account(id, email, case when email is null then null else 'parley-customer' end,
                              name, email is null, created);
  insert into public.customers (user_id, name, email, metadata, created_at, updated_at)
  values (id, name, email, metadata, now() - created, now() - created);
$$;

create function pg_temp.conversation(
  id uuid, customer uuid, subject text, status text, agent uuid, chatbot boolean, started interval
) returns void
language sql
as $$
  insert into public.conversations (id, customer_id, subject, status, assigned_agent_id, chatbot_enabled,
                                    last_message_at, created_at, updated_at)
  values (id, customer, subject, status, agent, chatbot, now() - started, now() - started, now() - started);
$$;

-- One message: 'customer', 'agent' (the assigned agent, else the admin), 'chatbot', 'system', or
-- 'note' (an internal note by that agent). Workflow system lines (assignment, status → open or
-- pending) are internal, as the RPCs write them. Keeps seq, public_seq, the conversation's counters
-- and the sender's read marker as insert_message would.
create function pg_temp.say(conversation uuid, sender text, content text, ago interval, metadata jsonb default '{}')
returns void
language plpgsql
as $$
declare
  conv public.conversations;
  at timestamptz := now() - ago;
  kind text := case when sender = 'note' then 'agent' else sender end;
  visibility text := case
    when sender = 'note' then 'internal'
    when sender = 'system' and (metadata ->> 'event' = 'assigned' or metadata ->> 'to' in ('open', 'pending')) then 'internal'
    else 'public' end;
  activity boolean := visibility = 'public' and kind <> 'system';
  author uuid;
begin
  update public.conversations c
     set last_seq = c.last_seq + 1,
         last_public_seq = c.last_public_seq + case when visibility = 'public' then 1 else 0 end,
         customer_messages = c.customer_messages + case when kind = 'customer' then 1 else 0 end,
         team_messages = c.team_messages + case when visibility = 'public' and kind in ('agent', 'chatbot') then 1 else 0 end,
         updated_at = at,
         last_message_at = case when activity then at else c.last_message_at end,
         last_message_preview = case when activity then left(regexp_replace(content, '\s+', ' ', 'g'), 160)
                                     else c.last_message_preview end
   where c.id = conversation
  returning * into conv;
  author := case kind when 'customer' then conv.customer_id
                      when 'agent' then coalesce(conv.assigned_agent_id, '00000000-0000-4000-a000-000000000001')
            end;
  insert into public.messages (conversation_id, seq, public_seq, visibility, sender_type, sender_id, content, metadata, created_at)
  values (conversation, conv.last_seq, case when visibility = 'public' then conv.last_public_seq end, visibility,
          kind, author, content, metadata, at);
  -- Sending moves the sender's own read marker to the message, as insert_message does.
  if author is not null then
    insert into public.conversation_reads as r (conversation_id, user_id, last_read_seq, last_read_public_seq,
                                                read_customer_messages, read_team_messages, updated_at)
    values (conversation, author, conv.last_seq, conv.last_public_seq, conv.customer_messages, conv.team_messages, at)
    on conflict (conversation_id, user_id) do update
       set last_read_seq = excluded.last_read_seq, last_read_public_seq = excluded.last_read_public_seq,
           read_customer_messages = excluded.read_customer_messages, read_team_messages = excluded.read_team_messages,
           updated_at = excluded.updated_at;
  end if;
end;
$$;

-- A reader's position by seq (the team's numbering); the public position and counters follow.
create function pg_temp.read_up_to(conversation uuid, reader uuid, up_to bigint) returns void
language sql
as $$
  insert into public.conversation_reads as r (conversation_id, user_id, last_read_seq, last_read_public_seq,
                                              read_customer_messages, read_team_messages)
  select conversation, reader, up_to, coalesce(max(m.public_seq), 0),
         count(*) filter (where m.sender_type = 'customer'),
         count(*) filter (where m.sender_type in ('agent', 'chatbot') and m.visibility = 'public')
    from public.messages m
   where m.conversation_id = conversation and m.seq <= up_to
  on conflict (conversation_id, user_id) do update
     set last_read_seq = excluded.last_read_seq, last_read_public_seq = excluded.last_read_public_seq,
         read_customer_messages = excluded.read_customer_messages, read_team_messages = excluded.read_team_messages
   where r.last_read_seq < excluded.last_read_seq;
$$;

-- The team -------------------------------------------------------------------------------------
select pg_temp.user_account('00000000-0000-4000-a000-000000000001', 'admin@parley.test', 'parley-admin', 'Maya Chen', false, '90 days');
select pg_temp.user_account('00000000-0000-4000-a000-000000000002', 'agent@parley.test', 'parley-agent', 'Sam Rivera', false, '60 days');
select pg_temp.user_account('00000000-0000-4000-a000-000000000003', 'jordan@parley.test', 'parley-agent', 'Jordan Blake', false, '30 days');
insert into public.agents (user_id, display_name, role) values
  ('00000000-0000-4000-a000-000000000001', 'Maya Chen', 'admin'),
  ('00000000-0000-4000-a000-000000000002', 'Sam Rivera', 'agent'),
  ('00000000-0000-4000-a000-000000000003', 'Jordan Blake', 'agent');

insert into public.canned_responses (shortcut, title, body) values
  ('hello', 'Greeting', 'Hi there! Thanks for reaching out to Lumen. How can I help you today?'),
  ('shipping', 'Shipping times', 'Photo books are printed within 2 business days. Standard shipping takes 3–5 business days; express arrives in 1–2.'),
  ('refund', 'Refund policy', 'If anything is wrong with your book, we reprint it or refund you in full within 30 days of delivery. No need to send it back.'),
  ('order-number', 'Ask for the order number', 'Could you send me your order number? It starts with LM- and is in your confirmation email.'),
  ('password', 'Password reset', 'You can reset your password at lumen.example/reset. The link in the email is valid for one hour.'),
  ('bye', 'Closing', 'Glad I could help! If anything else comes up, just write here. Have a lovely day.');

-- Customers ------------------------------------------------------------------------------------
select pg_temp.customer('00000000-0000-4000-b000-000000000001', 'Priya Natarajan', 'priya.natarajan@example.com', '40 days', '{"plan":"plus"}');
select pg_temp.customer('00000000-0000-4000-b000-000000000002', 'Tom Becker', 'tom.becker@example.com', '35 days');
select pg_temp.customer('00000000-0000-4000-b000-000000000003', 'Lucía Fernández', 'lucia.fernandez@example.com', '20 days', '{"locale":"es"}');
select pg_temp.customer('00000000-0000-4000-b000-000000000004', 'Kenji Watanabe', 'kenji.w@example.com', '15 days');
select pg_temp.customer('00000000-0000-4000-b000-000000000005', 'Amara Okafor', 'amara.okafor@example.com', '12 days', '{"plan":"pro"}');
select pg_temp.customer('00000000-0000-4000-b000-000000000006', 'Oliver Grant', 'oliver.grant@example.com', '10 days');
select pg_temp.customer('00000000-0000-4000-b000-000000000007', 'Sofia Rossi', 'sofia.rossi@example.com', '9 days');
select pg_temp.customer('00000000-0000-4000-b000-000000000008', 'Noah Williams', 'noah.w@example.com', '8 days');
select pg_temp.customer('00000000-0000-4000-b000-000000000009', 'Visitor from Lisbon', null, '6 days', '{"page":"/pricing"}');
select pg_temp.customer('00000000-0000-4000-b000-000000000010', null, null, '5 days', '{"page":"/books/layflat"}');
select pg_temp.customer('00000000-0000-4000-b000-000000000011', 'Hannah Schmidt', 'hannah.schmidt@example.com', '4 days');
select pg_temp.customer('00000000-0000-4000-b000-000000000012', 'Diego Alvarez', 'diego.alvarez@example.com', '3 days');
select pg_temp.customer('00000000-0000-4000-b000-000000000013', null, null, '2 days', '{"page":"/checkout"}');
select pg_temp.customer('00000000-0000-4000-b000-000000000014', 'Grace Kim', 'grace.kim@example.com', '1 day');

-- Conversations --------------------------------------------------------------------------------
-- Open: waiting for the team.
select pg_temp.conversation('00000000-0000-4000-c000-000000000001', '00000000-0000-4000-b000-000000000014', 'Order LM-48213 has not shipped', 'open', null, false, '50 minutes');
select pg_temp.say('00000000-0000-4000-c000-000000000001', 'customer', 'Hi! I ordered a layflat book 4 days ago (LM-48213) and it still says "in production". Is that normal?', '50 minutes');
select pg_temp.say('00000000-0000-4000-c000-000000000001', 'customer', 'It''s a birthday present for Saturday, so I''m a bit nervous 😅', '49 minutes');

select pg_temp.conversation('00000000-0000-4000-c000-000000000002', '00000000-0000-4000-b000-000000000013', null, 'open', null, true, '2 hours');
select pg_temp.say('00000000-0000-4000-c000-000000000002', 'customer', 'does the discount code work on gift cards?', '2 hours');
select pg_temp.say('00000000-0000-4000-c000-000000000002', 'chatbot', 'Discount codes apply to photo books and prints, but not to gift cards. Would you like me to connect you with someone from the team?', '119 minutes');
select pg_temp.say('00000000-0000-4000-c000-000000000002', 'customer', 'yes please', '118 minutes');

select pg_temp.conversation('00000000-0000-4000-c000-000000000003', '00000000-0000-4000-b000-000000000012', 'Photos look blurry in the preview', 'open', '00000000-0000-4000-a000-000000000002', false, '3 hours');
select pg_temp.say('00000000-0000-4000-c000-000000000003', 'customer', 'The preview of page 7 looks really blurry. Will the print look like that too?', '3 hours');
select pg_temp.say('00000000-0000-4000-c000-000000000003', 'system', 'Sam Rivera took the conversation', '170 minutes', '{"event":"assigned","to":"00000000-0000-4000-a000-000000000002"}');
select pg_temp.say('00000000-0000-4000-c000-000000000003', 'system', 'Sam Rivera joined the conversation', '170 minutes', '{"event":"joined","agent":"00000000-0000-4000-a000-000000000002"}');
select pg_temp.say('00000000-0000-4000-c000-000000000003', 'agent', 'Hi Diego, Sam here. The editor shows a compressed preview so it loads fast. Can you tell me the size of the original photo? If it''s under 1500 pixels wide we show a warning icon on the page.', '165 minutes');
select pg_temp.say('00000000-0000-4000-c000-000000000003', 'note', 'Print team: below 1500 px it prints soft on a full page but fine at half size. Suggest the two-photo layout if it is small.', '160 minutes');
select pg_temp.say('00000000-0000-4000-c000-000000000003', 'customer', 'It''s 1200 × 900, and yes there''s a little yellow triangle. So it will be blurry?', '150 minutes');
select pg_temp.say('00000000-0000-4000-c000-000000000003', 'customer', 'I only have this one photo from that day unfortunately', '149 minutes');

select pg_temp.conversation('00000000-0000-4000-c000-000000000004', '00000000-0000-4000-b000-000000000011', 'Change shipping address', 'open', '00000000-0000-4000-a000-000000000003', false, '5 hours');
select pg_temp.say('00000000-0000-4000-c000-000000000004', 'customer', 'Guten Tag! I moved last week and my order LM-48190 still has my old address. Can I change it?', '5 hours');
select pg_temp.say('00000000-0000-4000-c000-000000000004', 'agent', 'Hi Hannah! Yes, as long as it hasn''t shipped. What''s the new address?', '290 minutes');
select pg_temp.say('00000000-0000-4000-c000-000000000004', 'customer', 'Lindenstraße 14, 10969 Berlin', '280 minutes');

select pg_temp.conversation('00000000-0000-4000-c000-000000000005', '00000000-0000-4000-b000-000000000010', null, 'open', null, false, '7 hours');
select pg_temp.say('00000000-0000-4000-c000-000000000005', 'customer', 'How thick can a layflat book be? I have about 300 photos from our wedding', '7 hours');

select pg_temp.conversation('00000000-0000-4000-c000-000000000006', '00000000-0000-4000-b000-000000000005', 'Invoice for my company', 'open', '00000000-0000-4000-a000-000000000001', false, '1 day');
select pg_temp.say('00000000-0000-4000-c000-000000000006', 'customer', 'Could you send an invoice with our VAT number for order LM-47701? Okafor Design Studio, VAT GB 123 4567 89.', '1 day');
select pg_temp.say('00000000-0000-4000-c000-000000000006', 'agent', 'Of course, Amara. I''ll have it for you by tomorrow morning.', '23 hours');
select pg_temp.say('00000000-0000-4000-c000-000000000006', 'note', 'Asked finance for the invoice. Their company is VAT-registered in the UK, so no VAT on it.', '22 hours');
select pg_temp.say('00000000-0000-4000-c000-000000000006', 'customer', 'Thank you! Also, can the invoice be in EUR? Our accountant asked.', '5 hours');

select pg_temp.conversation('00000000-0000-4000-c000-000000000007', '00000000-0000-4000-b000-000000000009', 'Pricing for 50 copies', 'open', null, false, '9 hours');
select pg_temp.say('00000000-0000-4000-c000-000000000007', 'customer', 'Olá! We are a small school and want 50 copies of a yearbook, 40 pages. Is there a volume discount?', '9 hours');
select pg_temp.say('00000000-0000-4000-c000-000000000007', 'customer', 'Our deadline is the 15th of next month.', '9 hours');

select pg_temp.conversation('00000000-0000-4000-c000-000000000008', '00000000-0000-4000-b000-000000000004', 'Can''t log in', 'open', '00000000-0000-4000-a000-000000000002', false, '30 minutes');
select pg_temp.say('00000000-0000-4000-c000-000000000008', 'customer', 'The password reset email never arrives. I checked spam too.', '30 minutes');
select pg_temp.say('00000000-0000-4000-c000-000000000008', 'agent', 'Sorry about that, Kenji. Which email address did you use for the account?', '28 minutes');
select pg_temp.say('00000000-0000-4000-c000-000000000008', 'customer', 'kenji.w@example.com — but maybe I signed up with my work address, kenji.watanabe@example.org?', '20 minutes');

-- Pending: waiting for the customer.
select pg_temp.conversation('00000000-0000-4000-c000-000000000009', '00000000-0000-4000-b000-000000000001', 'Cover color differs from screen', 'pending', '00000000-0000-4000-a000-000000000002', false, '3 days');
select pg_temp.say('00000000-0000-4000-c000-000000000009', 'customer', 'The cover of my book is much darker than what I saw on screen. The sky is almost grey instead of blue.', '3 days');
select pg_temp.say('00000000-0000-4000-c000-000000000009', 'agent', 'I''m sorry, Priya. Could you send a photo of the printed cover next to the screen? Then our print team can check the color profile.', '3 days');
select pg_temp.say('00000000-0000-4000-c000-000000000009', 'system', 'Sam Rivera marked the conversation as pending', '3 days', '{"event":"status_changed","from":"open","to":"pending"}');

select pg_temp.conversation('00000000-0000-4000-c000-000000000010', '00000000-0000-4000-b000-000000000006', 'Missing page in book', 'pending', '00000000-0000-4000-a000-000000000003', false, '2 days');
select pg_temp.say('00000000-0000-4000-c000-000000000010', 'customer', 'My book arrived but pages 12 and 13 are missing, it jumps from 11 to 14.', '2 days');
select pg_temp.say('00000000-0000-4000-c000-000000000010', 'agent', 'That should never happen, Oliver, I''m sorry. We''ll reprint it for free. Can you confirm the delivery address is still 22 Baker Row, Leeds?', '2 days');
select pg_temp.say('00000000-0000-4000-c000-000000000010', 'system', 'Jordan Blake marked the conversation as pending', '2 days', '{"event":"status_changed","from":"open","to":"pending"}');

select pg_temp.conversation('00000000-0000-4000-c000-000000000011', '00000000-0000-4000-b000-000000000007', 'Gift wrapping', 'pending', '00000000-0000-4000-a000-000000000001', false, '26 hours');
select pg_temp.say('00000000-0000-4000-c000-000000000011', 'customer', 'Ciao, can you gift wrap the book and leave the price off the packing slip?', '26 hours');
select pg_temp.say('00000000-0000-4000-c000-000000000011', 'agent', 'Ciao Sofia! We can leave the price off. Gift wrapping costs €4 — shall I add it to order LM-48077?', '25 hours');

select pg_temp.conversation('00000000-0000-4000-c000-000000000012', '00000000-0000-4000-b000-000000000003', 'Factura', 'pending', '00000000-0000-4000-a000-000000000003', false, '4 days');
select pg_temp.say('00000000-0000-4000-c000-000000000012', 'customer', 'Hola, ¿me podéis enviar la factura del pedido LM-47950? Gracias.', '4 days');
select pg_temp.say('00000000-0000-4000-c000-000000000012', 'agent', '¡Hola Lucía! Claro. ¿A qué nombre y NIF la emitimos?', '4 days');

select pg_temp.conversation('00000000-0000-4000-c000-000000000013', '00000000-0000-4000-b000-000000000008', 'Upload stuck at 99%', 'pending', '00000000-0000-4000-a000-000000000002', false, '5 days');
select pg_temp.say('00000000-0000-4000-c000-000000000013', 'customer', 'Uploading my photos gets stuck at 99% every time. Chrome on Windows.', '5 days');
select pg_temp.say('00000000-0000-4000-c000-000000000013', 'agent', 'Thanks Noah. Does it happen with every photo or only some? HEIC files from iPhones sometimes need converting first.', '5 days');
select pg_temp.say('00000000-0000-4000-c000-000000000013', 'customer', 'Only some… let me check which ones and get back to you.', '5 days');

-- Resolved.
select pg_temp.conversation('00000000-0000-4000-c000-000000000014', '00000000-0000-4000-b000-000000000001', 'Discount code not applied', 'resolved', '00000000-0000-4000-a000-000000000002', false, '12 days');
select pg_temp.say('00000000-0000-4000-c000-000000000014', 'customer', 'The code SPRING20 says it''s invalid at checkout.', '12 days');
select pg_temp.say('00000000-0000-4000-c000-000000000014', 'agent', 'It only works on books with 30+ pages — yours has 26. I''ve applied 20% to your order manually. 🎉', '12 days');
select pg_temp.say('00000000-0000-4000-c000-000000000014', 'customer', 'Amazing, thank you!!', '12 days');
select pg_temp.say('00000000-0000-4000-c000-000000000014', 'system', 'Sam Rivera marked the conversation as resolved', '12 days', '{"event":"status_changed","from":"open","to":"resolved"}');

select pg_temp.conversation('00000000-0000-4000-c000-000000000015', '00000000-0000-4000-b000-000000000002', 'Express shipping to Austria', 'resolved', '00000000-0000-4000-a000-000000000003', false, '9 days');
select pg_temp.say('00000000-0000-4000-c000-000000000015', 'customer', 'Do you ship express to Vienna?', '9 days');
select pg_temp.say('00000000-0000-4000-c000-000000000015', 'agent', 'We do! Express to Austria takes 2 business days and costs €12.90.', '9 days');
select pg_temp.say('00000000-0000-4000-c000-000000000015', 'system', 'Jordan Blake marked the conversation as resolved', '9 days', '{"event":"status_changed","from":"open","to":"resolved"}');

select pg_temp.conversation('00000000-0000-4000-c000-000000000016', '00000000-0000-4000-b000-000000000005', 'Add a second editor to our account', 'resolved', '00000000-0000-4000-a000-000000000001', false, '7 days');
select pg_temp.say('00000000-0000-4000-c000-000000000016', 'customer', 'How do I let my colleague edit our projects?', '7 days');
select pg_temp.say('00000000-0000-4000-c000-000000000016', 'agent', 'On the Pro plan: Settings → Team → Invite. They get an email and can edit every project you share with them.', '7 days');
select pg_temp.say('00000000-0000-4000-c000-000000000016', 'customer', 'Found it, thanks Maya.', '7 days');
select pg_temp.say('00000000-0000-4000-c000-000000000016', 'system', 'Maya Chen marked the conversation as resolved', '7 days', '{"event":"status_changed","from":"open","to":"resolved"}');

select pg_temp.conversation('00000000-0000-4000-c000-000000000017', '00000000-0000-4000-b000-000000000004', 'Font missing in editor', 'resolved', '00000000-0000-4000-a000-000000000002', true, '6 days');
select pg_temp.say('00000000-0000-4000-c000-000000000017', 'customer', 'The Japanese text in my captions shows as little boxes.', '6 days');
select pg_temp.say('00000000-0000-4000-c000-000000000017', 'chatbot', 'I''m sorry about that! Choosing the "Noto Sans JP" font in the caption menu usually fixes it. Did that help?', '6 days');
select pg_temp.say('00000000-0000-4000-c000-000000000017', 'customer', 'Yes it works now 👍', '6 days');
select pg_temp.say('00000000-0000-4000-c000-000000000017', 'system', 'Sam Rivera marked the conversation as resolved', '6 days', '{"event":"status_changed","from":"open","to":"resolved"}');

select pg_temp.conversation('00000000-0000-4000-c000-000000000018', '00000000-0000-4000-b000-000000000012', 'Delivery date', 'resolved', '00000000-0000-4000-a000-000000000003', false, '3 days');
select pg_temp.say('00000000-0000-4000-c000-000000000018', 'customer', 'When will LM-48102 arrive?', '3 days');
select pg_temp.say('00000000-0000-4000-c000-000000000018', 'agent', 'It shipped this morning with DHL; tracking says Thursday. Here is the link: https://tracking.example/LM-48102', '3 days');
select pg_temp.say('00000000-0000-4000-c000-000000000018', 'system', 'Jordan Blake marked the conversation as resolved', '3 days', '{"event":"status_changed","from":"open","to":"resolved"}');

-- Closed.
select pg_temp.conversation('00000000-0000-4000-c000-000000000019', '00000000-0000-4000-b000-000000000002', 'Refund for damaged book', 'closed', '00000000-0000-4000-a000-000000000002', false, '30 days');
select pg_temp.say('00000000-0000-4000-c000-000000000019', 'customer', 'My book arrived with a torn cover. Photo attached in the email I sent.', '30 days');
select pg_temp.say('00000000-0000-4000-c000-000000000019', 'agent', 'I''m so sorry, Tom. I''ve refunded the full €39.90 — you''ll see it in 3–5 days. No need to send it back.', '30 days');
select pg_temp.say('00000000-0000-4000-c000-000000000019', 'customer', 'That was quick, thanks.', '30 days');
select pg_temp.say('00000000-0000-4000-c000-000000000019', 'system', 'Sam Rivera marked the conversation as closed', '29 days', '{"event":"status_changed","from":"resolved","to":"closed"}');

select pg_temp.conversation('00000000-0000-4000-c000-000000000020', '00000000-0000-4000-b000-000000000006', 'Delete my account', 'closed', '00000000-0000-4000-a000-000000000001', false, '20 days');
select pg_temp.say('00000000-0000-4000-c000-000000000020', 'customer', 'Please delete my old account oliver@oldmail.example, I made a new one.', '20 days');
select pg_temp.say('00000000-0000-4000-c000-000000000020', 'agent', 'Done, Oliver. The old account and its projects are deleted.', '20 days');
select pg_temp.say('00000000-0000-4000-c000-000000000020', 'system', 'Maya Chen marked the conversation as closed', '20 days', '{"event":"status_changed","from":"open","to":"closed"}');

select pg_temp.conversation('00000000-0000-4000-c000-000000000021', '00000000-0000-4000-b000-000000000008', 'Spam?', 'closed', '00000000-0000-4000-a000-000000000003', false, '15 days');
select pg_temp.say('00000000-0000-4000-c000-000000000021', 'customer', 'Is the email about a "free book voucher" really from you?', '15 days');
select pg_temp.say('00000000-0000-4000-c000-000000000021', 'agent', 'No — that''s phishing. We never ask for your password by email. Please delete it.', '15 days');
select pg_temp.say('00000000-0000-4000-c000-000000000021', 'system', 'Jordan Blake marked the conversation as closed', '15 days', '{"event":"status_changed","from":"open","to":"closed"}');

select pg_temp.conversation('00000000-0000-4000-c000-000000000022', '00000000-0000-4000-b000-000000000011', 'Paper types', 'closed', null, true, '11 days');
select pg_temp.say('00000000-0000-4000-c000-000000000022', 'customer', 'What''s the difference between matte and lustre paper?', '11 days');
select pg_temp.say('00000000-0000-4000-c000-000000000022', 'chatbot', 'Matte has no shine and hides fingerprints; lustre has a soft sheen that makes colors pop. Both are 200 gsm.', '11 days');
select pg_temp.say('00000000-0000-4000-c000-000000000022', 'system', 'Parley marked the conversation as closed', '10 days', '{"event":"status_changed","from":"open","to":"closed"}');

select pg_temp.conversation('00000000-0000-4000-c000-000000000023', '00000000-0000-4000-b000-000000000007', 'Calendar sizes', 'resolved', '00000000-0000-4000-a000-000000000001', false, '8 days');
select pg_temp.say('00000000-0000-4000-c000-000000000023', 'customer', 'Do you make A3 wall calendars?', '8 days');
select pg_temp.say('00000000-0000-4000-c000-000000000023', 'agent', 'Yes: A4 and A3, portrait or landscape, starting any month you like.', '8 days');
select pg_temp.say('00000000-0000-4000-c000-000000000023', 'system', 'Maya Chen marked the conversation as resolved', '8 days', '{"event":"status_changed","from":"open","to":"resolved"}');

-- What each side has read: the team is mostly caught up; customers have seen the replies.
select pg_temp.read_up_to('00000000-0000-4000-c000-000000000003', '00000000-0000-4000-a000-000000000002', 5);
select pg_temp.read_up_to('00000000-0000-4000-c000-000000000004', '00000000-0000-4000-a000-000000000003', 3);
select pg_temp.read_up_to('00000000-0000-4000-c000-000000000006', '00000000-0000-4000-a000-000000000001', 3);
select pg_temp.read_up_to('00000000-0000-4000-c000-000000000008', '00000000-0000-4000-a000-000000000002', 2);
select pg_temp.read_up_to('00000000-0000-4000-c000-000000000009', '00000000-0000-4000-b000-000000000001', 2);
select pg_temp.read_up_to('00000000-0000-4000-c000-000000000010', '00000000-0000-4000-a000-000000000003', 3);
select pg_temp.read_up_to('00000000-0000-4000-c000-000000000014', '00000000-0000-4000-b000-000000000001', 4);
select pg_temp.read_up_to('00000000-0000-4000-c000-000000000014', '00000000-0000-4000-a000-000000000002', 4);

-- A pending invitation (issue 14): signing up as casey@parley.test makes Casey an agent, as an
-- admin's invitation from the settings screen would.
insert into public.agent_invitations (email, role, display_name, invited_by)
values ('casey@parley.test', 'agent', 'Casey Park', '00000000-0000-4000-a000-000000000001');

-- The shop's workspace settings (issue 14): its name, greeting and colour; the studio's hours are
-- filled in but off, so the demo behaves the same at any time of day until an admin turns them on.
update public.workspace_settings set
  brand_name = 'Lumen Prints',
  greeting = 'Hi, we''re the Lumen studio 👋',
  intro = 'Questions about prints, frames, paper or delivery? Ask away: a person answers.',
  accent_color = '#a8491f',
  reply_time = 'minutes',
  business_hours = jsonb_build_object(
    'enabled', false, 'timezone', 'Europe/London',
    'weekly', jsonb_build_object(
      'mon', '[["08:00","20:00"]]'::jsonb, 'tue', '[["08:00","20:00"]]'::jsonb, 'wed', '[["08:00","20:00"]]'::jsonb,
      'thu', '[["08:00","20:00"]]'::jsonb, 'fri', '[["08:00","20:00"]]'::jsonb, 'sat', '[["08:00","20:00"]]'::jsonb,
      'sun', '[]'::jsonb),
    'holidays', '["2026-12-25","2026-12-26","2027-01-01"]'::jsonb),
  away_message = 'The studio is closed right now. Leave a message and we will answer by email in the morning.'
where id;

-- The seeded bot conversations' history is already answered: no bot jobs for the past (the
-- messages trigger queued one per customer message above; a worker would answer them again).
delete from private.bot_jobs;

-- The shop's knowledge base (issue 17): what the built-in chatbot answers from. Off in a fresh
-- database (chatbot_start 'never'); `npm start` turns it on for new conversations in the demo.
insert into public.knowledge_articles (question, answer, tags, language) values
  ('How do I return a print?',
   'Unframed prints and photo books can be returned within 30 days of delivery. Write to us here with your order number and we will send a prepaid return label; the refund reaches your card within 5 working days of the parcel arriving at the studio.',
   array['returns', 'refund', 'send back'], 'en'),
  ('My order arrived damaged. What now?',
   'We are sorry! Send us a photo of the damage and your order number here. Reprints are free if anything is off, and you do not need to send anything back.',
   array['damaged', 'broken', 'reprint', 'replacement'], 'en'),
  ('How long does shipping take?',
   'Prints leave the studio within 2 working days, photo books within 4. From our Porto studio, standard delivery takes 3 to 5 working days across Europe and express 1 to 2. Every order gets a tracking link by email.',
   array['shipping', 'delivery', 'dispatch', 'tracking'], 'en'),
  ('How much does shipping cost?',
   'Standard shipping in Europe is free on orders over €60 and €4.95 below that; the rest of the world is €14.95. Express delivery in Europe is €12.90.',
   array['shipping', 'delivery', 'postage', 'international'], 'en'),
  ('Which cover should I choose for my photo book?',
   'The Pocket Softcover has a gloss cover, light and flexible, good for a trip or a year (15 × 15 cm). The Classic Hardcover has a matte photo cover that stands on a shelf (21 × 28 cm). Linen hardcover, on the lay-flat album, adds a debossed title on natural linen in sand, slate or forest green (30 × 30 cm).',
   array['covers', 'hardcover', 'softcover', 'linen', 'photo book'], 'en'),
  ('What paper types do you offer for prints?',
   'Matte has no shine and hides fingerprints; lustre has a soft sheen that makes colours pop; fine-art cotton rag has a textured, museum-grade surface. Matte and lustre are 200 gsm, cotton rag is 310 gsm.',
   array['paper', 'matte', 'lustre', 'cotton rag', 'finish'], 'en'),
  ('Can I change or cancel my order?',
   'Within 2 hours of ordering you can change or cancel it from the link in your confirmation email. After that it is in production: tell us here and we will do what we can.',
   array['cancel', 'change order', 'edit order'], 'en'),
  ('Do discount codes work on gift cards?',
   'Discount codes apply to prints, frames and photo books, not to gift cards. One code per order; it is entered at checkout.',
   array['discount', 'coupon', 'promo code', 'gift card'], 'en'),
  ('What image resolution do I need for a sharp print?',
   'Aim for 300 pixels per inch of print: 3000 × 2400 pixels for a 10 × 8 inch print. The editor warns you with a yellow mark when a photo is too small for its size.',
   array['resolution', 'dpi', 'quality', 'blurry'], 'en'),
  ('Wie kann ich einen Druck zurückgeben?',
   'Ungerahmte Drucke und Fotobücher können Sie innerhalb von 30 Tagen nach Lieferung zurückgeben. Schreiben Sie uns hier Ihre Bestellnummer, und wir senden Ihnen ein frankiertes Rücksendeetikett.',
   array['Rückgabe', 'Erstattung', 'Rücksendung'], 'de');
