/**
 * The data set `npm run bench:search` searches: a photo-book shop's support history, seeded in bulk
 * with generate_series (no API calls), so 1,000,000 messages take a minute, not hours. Text is drawn
 * from the word lists below with a skew (earlier entries more often), so a common word, a rare word,
 * a name prefix and an email each hit a realistic share of rows; the benchmark prints each share.
 */
import { readFile } from 'node:fs/promises';
import type pg from 'pg';

const FIRST_NAMES = [
  'Priya', 'Tom', 'Lucia', 'Kenji', 'Amara', 'Oliver', 'Sofia', 'Noah', 'Hannah', 'Diego', 'Grace', 'Liam',
  'Emma', 'Mateo', 'Olivia', 'Lucas', 'Mia', 'Elias', 'Chloe', 'Jonas', 'Aisha', 'Omar', 'Yuki', 'Sven',
  'Ingrid', 'Pierre', 'Camille', 'Giulia', 'Marco', 'Ana', 'Joao', 'Fatima', 'Ravi', 'Meera', 'Chen', 'Wei',
  'Min-jun', 'Seo-yeon', 'Kofi', 'Zainab', 'Ethan', 'Ava', 'Leon', 'Nora', 'Finn', 'Ida', 'Hugo', 'Alice',
  'Theo', 'Clara', 'Max', 'Lena', 'Paul', 'Marie', 'David', 'Sarah', 'Daniel', 'Laura', 'Samuel', 'Julia',
  'Adam', 'Eva', 'Isaac', 'Rosa', 'Victor', 'Elena', 'Ivan', 'Olga', 'Tariq', 'Leila', 'Kwame', 'Nia',
  'Hiroshi', 'Aiko', 'Arjun', 'Ananya', 'Carlos', 'Valentina', 'Emil', 'Astrid', 'Rafael', 'Beatriz',
  'Jakub', 'Zofia', 'Lars', 'Freya', 'Mehmet', 'Elif', 'Tomasz', 'Agnieszka', 'Pablo', 'Carmen', 'Felix',
  'Greta', 'Anton', 'Mila', 'Nikolai', 'Vera', 'Sebastian', 'Matilda', 'Priyanka', 'Prisha',
] as const;

const LAST_NAMES = [
  'Natarajan', 'Becker', 'Fernandez', 'Watanabe', 'Okafor', 'Grant', 'Rossi', 'Williams', 'Schmidt', 'Alvarez',
  'Kim', 'Smith', 'Johnson', 'Brown', 'Garcia', 'Miller', 'Davis', 'Martinez', 'Lopez', 'Wilson', 'Anderson',
  'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Clark',
  'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Nguyen', 'Hill', 'Green',
  'Adams', 'Baker', 'Nelson', 'Carter', 'Mitchell', 'Roberts', 'Turner', 'Phillips', 'Campbell', 'Parker',
  'Evans', 'Edwards', 'Collins', 'Stewart', 'Morris', 'Murphy', 'Cook', 'Rogers', 'Morgan', 'Peterson',
  'Cooper', 'Reed', 'Bailey', 'Bell', 'Gomez', 'Kelly', 'Howard', 'Ward', 'Cox', 'Diaz', 'Richardson',
  'Wood', 'Watson', 'Brooks', 'Bennett', 'Gray', 'James', 'Reyes', 'Cruz', 'Hughes', 'Price', 'Myers', 'Long',
  'Foster', 'Sanders', 'Ross', 'Morales', 'Powell', 'Sullivan', 'Russell', 'Ortiz', 'Jenkins', 'Gutierrez',
  'Perry', 'Butler', 'Barnes', 'Fisher', 'Henderson', 'Coleman', 'Mueller', 'Schneider', 'Fischer', 'Weber',
  'Meyer', 'Wagner', 'Hoffmann', 'Schulz', 'Koch', 'Richter', 'Klein', 'Wolf', 'Neumann', 'Schwarz', 'Tanaka',
  'Suzuki', 'Sato', 'Takahashi', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato', 'Patel', 'Sharma',
  'Singh', 'Kumar', 'Gupta', 'Reddy', 'Iyer', 'Mensah', 'Owusu', 'Adeyemi', 'Silva', 'Santos', 'Oliveira',
  'Costa', 'Pereira', 'Dubois', 'Laurent', 'Moreau', 'Bernard', 'Ricci', 'Romano', 'Colombo', 'Novak',
  'Kowalski', 'Nowak', 'Larsen', 'Hansen', 'Johansson', 'Nilsson', 'Yilmaz', 'Kaya', 'Demir', 'Ivanova',
] as const;

const DOMAINS = [
  'gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'proton.me', 'gmx.de', 'web.de', 'hotmail.co.uk',
  'orange.fr', 'libero.it', 'example.com', 'studio.example', 'school.example.org', 'mail.example.net',
] as const;

const PRODUCTS = [
  'layflat book', 'hardcover book', 'softcover book', 'wall calendar', 'canvas print', 'photo prints',
  'wedding album', 'yearbook', 'poster', 'gift card', 'desk calendar', 'travel journal', 'baby album',
  'recipe book', 'greeting cards', 'metal print', 'acrylic block', 'mini book',
] as const;

// {order}, {product} and {name} are filled per row. Earlier entries are drawn more often.
const SUBJECTS = [
  'Order {order} has not shipped', 'Where is my {product}?', 'Refund for a damaged {product}',
  'Change shipping address', 'Photos look blurry in the preview', 'Discount code does not work',
  'Invoice for my company', 'Cover color differs from screen', 'Password reset email never arrives',
  'Question about {product} sizes', 'Cancel order {order}', 'Pricing for {product} copies',
  'Missing pages in my {product}', 'Upload keeps failing', 'Delivery to a different country',
  'Gift wrapping for {product}', 'Payment was charged twice', 'Editor crashes on large photos',
  'Wrong paper type on {product}', 'Reprint request for order {order}', 'Express shipping options',
  'Can I add text to the cover?', 'Bulk order discount', 'Account deletion request',
] as const;

const CUSTOMER_SENTENCES = [
  'Hi, I have a question about my order.', 'When will my {product} arrive?',
  'The tracking number does not work.', 'My order {order} still says in production.',
  'Can you help me with the delivery?', 'Thanks for the quick reply!', 'The colors look different from the preview.',
  'I would like a refund please.', 'Some photos look blurry in the {product}.', 'Is express delivery available to Canada?',
  'I moved last week, can I change the shipping address?', 'The discount code gives an error at checkout.',
  'How many pages can a {product} have?', 'The upload stops at 80 percent every time.',
  'I was charged twice for order {order}.', 'Can I still edit the {product} after ordering?',
  'The cover arrived scratched.', 'Page 7 is printed upside down.', 'Do you ship to Norway?',
  'Could you send an invoice with our VAT number?', 'The password reset email never arrives.',
  'I need it before my sister\'s wedding next Saturday.', 'Which paper do you recommend for black and white photos?',
  'The spine text is cut off.', 'Can I order 50 copies with a volume discount?', 'My payment failed but the money is gone.',
  'Perfect, that solves it.', 'Okay, I will wait then.', 'Is there a way to preview the printed result?',
  'The package was left at the wrong door.',
] as const;

const AGENT_SENTENCES = [
  'Hi {name}, thanks for reaching out!', 'Could you send me your order number?',
  'Your {product} ships tomorrow with standard delivery.', 'I have checked order {order} and it is on its way.',
  'Here is your tracking number; it updates within a day.', 'I am sorry about that, we will reprint it for free.',
  'I have issued a full refund; it takes 3 to 5 business days.', 'Standard delivery takes 3 to 5 business days.',
  'Express delivery arrives in 1 to 2 business days.', 'The preview is compressed so it loads fast.',
  'Photos below 1500 pixels print soft on a full page.', 'I have updated the shipping address on your order.',
  'The discount code applies to photo books but not to gift cards.', 'You can reset your password from the sign-in page.',
  'I have sent the invoice to your email address.', 'Glad I could help! Have a lovely day.',
  'Let me check with the print team and get back to you.', 'Could you attach a photo of the damage?',
  'We ship to most countries in Europe and North America.', 'The volume discount starts at 20 copies.',
  'I have cancelled order {order}; you will not be charged.', 'Our editor works best in a recent browser.',
] as const;

// Team-only notes (internal messages): customers must never find a conversation through them.
const NOTE_SENTENCES = [
  'Escalated to the print team.', 'Customer is a repeat buyer, offered goodwill credit.',
  'Checked with finance: refund approved.', 'Known issue with the upload service, ticket filed.',
  'Waiting for the courier to confirm.', 'Second complaint this month, watch for chargeback.',
] as const;

/**
 * Words that appear about once in 50,000 messages each (project names people mention, like
 * order references or street names would be). Generated from syllables so none is a common word.
 */
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tas', 'vo', 'zu', 'bel', 'dor', 'fin', 'gra', 'hul', 'jex', 'kor',
  'lun', 'mav', 'nep', 'oxi', 'pry', 'quo'] as const;
export const RARE_WORDS: readonly string[] = SYLLABLES.flatMap((a) => SYLLABLES.flatMap((b) =>
  ['th', 'dr', 'sk'].map((c) => `${a}${b}${c}on`)));

export interface SeedCounts { conversations: number; customers: number; messages: number }

/** Users the benchmark searches as: agents of the team. */
export const BENCH_AGENTS = Array.from({ length: 5 }, (_, i) => ({
  id: `00000000-0000-4000-ad00-${String(i + 1).padStart(12, '0')}`,
  name: `Bench Agent ${i + 1}`,
}));

const uuidFrom = (prefix: string, n: string) =>
  `(${prefix} || lpad(to_hex(${n}), 12, '0'))::uuid`;
const CUSTOMER_UUID = (n: string) => uuidFrom(`'00000000-0000-4000-ac00-'`, n);
const CONVERSATION_UUID = (n: string) => uuidFrom(`'00000000-0000-4000-ab00-'`, n);

/** Creates the team once: agents (as auth users) that conversations get assigned to. */
export async function seedAgents(db: pg.Pool): Promise<void> {
  for (const agent of BENCH_AGENTS) {
    await db.query(`insert into auth.users (id, aud, role, email, created_at, updated_at, raw_app_meta_data)
      values ($1, 'authenticated', 'authenticated', $2, now(), now(), '{"provider":"email"}')`,
    [agent.id, `${agent.name.toLowerCase().replace(/\s+/g, '.')}@parley.test`]);
    await db.query('insert into public.agents (user_id, display_name) values ($1, $2)', [agent.id, agent.name]);
  }
}

/**
 * Grows the data set to `target` conversations and customers (existing rows stay), each new
 * conversation with 2 to 18 messages (10 on average), one in twenty of them an internal note.
 * Returns what the tables hold afterwards.
 */
export async function seedTo(db: pg.Pool, target: { conversations: number; customers: number }): Promise<SeedCounts> {
  const client = await db.connect();
  try {
    await client.query("set maintenance_work_mem = '256MB'");
    await client.query("set work_mem = '64MB'");
    // The same rows on every run of the same stages.
    await client.query('select setseed(0.42)');
    // Skewed pick: index 1 most often, the last entry rarely. A SQL function, inlined per call.
    await client.query(`create or replace function pg_temp.pick(list text[], skew float8) returns text
      language sql volatile as $$ select list[1 + floor(cardinality(list) * random() ^ skew)::int] $$`);
    await client.query(`create or replace function pg_temp.fill(template text, first_name text) returns text
      language sql volatile as $$
        select replace(replace(replace(template,
          '{order}', 'LM-' || (10000 + floor(random() * 90000))::int),
          '{product}', pg_temp.pick($1::text[], 1.5)),
          '{name}', coalesce(first_name, 'there'))
      $$`.replace('$1::text[]', sqlArray(PRODUCTS)));

    const { rows: [have] } = await client.query<{ conversations: number; customers: number }>(
      `select (select count(*) from public.conversations where id::text like '00000000-0000-4000-ab00-%')::int as conversations,
              (select count(*) from public.customers where user_id::text like '00000000-0000-4000-ac00-%')::int as customers`);
    const fromCustomer = have?.customers ?? 0;
    const fromConversation = have?.conversations ?? 0;

    await client.query('begin');
    // Customers: three in ten anonymous visitors (no name, no email), two in ten a name only.
    await client.query(`
      insert into auth.users (id, aud, role, is_anonymous, created_at, updated_at, raw_app_meta_data)
      select ${CUSTOMER_UUID('n')}, 'authenticated', 'authenticated', n % 10 < 3, now(), now(), '{}'
        from generate_series($1::int + 1, $2::int) n`, [fromCustomer, target.customers]);
    await client.query(`
      insert into public.customers (user_id, name, email, created_at, updated_at)
      select id, case when kind >= 3 then first || ' ' || last end,
             case when kind >= 5 then translate(lower(first || '.' || last), 'áéíóú', 'aeiou') || n || '@' || domain end,
             now() - interval '400 days' * random(), now()
        from (select n, ${CUSTOMER_UUID('n')} as id, n % 10 as kind,
                     pg_temp.pick($3, 1.6) as first, pg_temp.pick($4, 1.4) as last, pg_temp.pick($5, 1.8) as domain
                from generate_series($1::int + 1, $2::int) n) people`,
    [fromCustomer, target.customers, FIRST_NAMES, LAST_NAMES, DOMAINS]);

    await client.query(`
      create temp table bench_new_conversations on commit drop as
      select ${CONVERSATION_UUID('k')} as id, k, customer, 2 + floor(random() * 17)::int as n,
             started, started + interval '1 minute' * (30 + floor(random() * 4000)) as last_at
        from (select k, ${CUSTOMER_UUID('1 + floor(random() * $2::int)::int')} as customer,
                     now() - interval '365 days' * random() ^ 0.7 - interval '3 days' as started
                from generate_series($1::int + 1, $3::int) k) picked`,
    [fromConversation, target.customers, target.conversations]);
    await client.query(`
      insert into public.conversations (id, customer_id, status, assigned_agent_id, subject, last_seq, last_message_at,
                                        created_at, updated_at)
      select c.id, c.customer,
             (array['closed', 'resolved', 'open', 'pending'])[1 + floor(4 * random() ^ 1.6)::int],
             case when random() < 0.8 then ($2::uuid[])[1 + floor(random() * cardinality($2::uuid[]))::int] end,
             case when random() < 0.7 then pg_temp.fill(pg_temp.pick($1, 1.7), null) end,
             c.n, c.last_at, c.started, c.last_at
        from bench_new_conversations c`,
    [SUBJECTS, BENCH_AGENTS.map((a) => a.id)]);
    // Message i of a conversation: odd from the customer, even from the team, and every twentieth
    // (i = 7, 27, …) an internal note, so public_seq = i minus the notes before it.
    await client.query(`
      insert into public.messages (id, conversation_id, seq, public_seq, visibility, sender_type, sender_id, content,
                                   created_at)
      select gen_random_uuid(), c.id, i,
             case when i % 20 <> 7 then i - (i + 13) / 20 end,
             case when i % 20 = 7 then 'internal' else 'public' end,
             case when i % 20 = 7 or i % 2 = 0 then 'agent' else 'customer' end,
             case when i % 20 = 7 or i % 2 = 0 then conv.assigned_agent_id else c.customer end,
             case
               when i % 20 = 7 then pg_temp.pick($3, 1.2)
               when i % 2 = 1 then pg_temp.fill(pg_temp.pick($1, 1.8), null)
                 || case when random() < 0.45 then ' ' || pg_temp.fill(pg_temp.pick($1, 1.8), null) else '' end
                 || case when random() < 0.05 then ' It is for the ' || pg_temp.pick($4, 1) || ' project.' else '' end
               else pg_temp.fill(pg_temp.pick($2, 1.6), split_part(cu.name, ' ', 1))
                 || case when random() < 0.5 then ' ' || pg_temp.fill(pg_temp.pick($2, 1.6), null) else '' end
             end,
             c.started + (c.last_at - c.started) * i / c.n
        from bench_new_conversations c
        join public.conversations conv on conv.id = c.id
        join public.customers cu on cu.user_id = c.customer
        cross join lateral generate_series(1, c.n) i
       -- In the order they were written, so a conversation's messages lie scattered over the table as
       -- they do in production (not side by side, which would flatter a per-conversation lookup).
       order by c.started + (c.last_at - c.started) * i / c.n`,
    [CUSTOMER_SENTENCES, AGENT_SENTENCES, NOTE_SENTENCES, RARE_WORDS]);
    await client.query(`
      update public.conversations conv
         set last_public_seq = s.last_public_seq, customer_messages = s.customer_messages,
             team_messages = s.team_messages, last_message_preview = left(s.preview, 160)
        from (select m.conversation_id, max(m.public_seq) as last_public_seq,
                     count(*) filter (where m.sender_type = 'customer') as customer_messages,
                     count(*) filter (where m.sender_type = 'agent' and m.visibility = 'public') as team_messages,
                     (array_agg(m.content order by m.seq desc) filter (where m.visibility = 'public'))[1] as preview
                from public.messages m
                join bench_new_conversations c on c.id = m.conversation_id
               group by m.conversation_id) s
       where conv.id = s.conversation_id`);
    await client.query('commit');
    await client.query('vacuum analyze public.customers, public.conversations, public.messages');
    const { rows: [counts] } = await client.query<SeedCounts>(`select
      (select count(*) from public.conversations)::int as conversations,
      (select count(*) from public.customers)::int as customers,
      (select count(*) from public.messages)::int as messages`);
    if (!counts) throw new Error('no counts');
    return counts;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function sqlArray(list: readonly string[]): string {
  return `array[${list.map((item) => `'${item.replace(/'/g, "''")}'`).join(', ')}]`;
}

const PREVIOUS_SOURCE = new URL('../supabase/migrations/20261124000003_chat_rpc.sql', import.meta.url);

/**
 * search_conversations as 20261124000003_chat_rpc.sql defined it (before
 * 20261207000001_search_uses_indexes.sql), created as `<schema>.search_conversations_previous` and
 * executable by authenticated and service_role: the floor the benchmark compares against, and the oracle the tests
 * check that results did not change against.
 */
export async function createPreviousSearch(db: pg.Pool, schema: string): Promise<string> {
  const sql = await readFile(PREVIOUS_SOURCE, 'utf8');
  const start = sql.indexOf('create function public.search_conversations(');
  const end = sql.indexOf('$$;', start);
  if (start < 0 || end < 0) throw new Error('no search_conversations in 20261124000003_chat_rpc.sql');
  const name = `${schema}.search_conversations_previous`;
  await db.query(`create schema if not exists ${schema}`);
  await db.query(`grant usage on schema ${schema} to authenticated, service_role`);
  await db.query(sql.slice(start, end + 3).replace('create function public.search_conversations(', `create or replace function ${name}(`));
  await db.query(`grant execute on function ${name}(text, text[], text, timestamptz, uuid, integer) to authenticated, service_role`);
  return name;
}
