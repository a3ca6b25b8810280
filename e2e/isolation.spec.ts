import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type * as Supabase from '@supabase/supabase-js';
import { conversationWith, environment, launcher, openChat, openCustomerPage, person, unique, visitorLog, visitorSends } from './helpers.ts';

const require = createRequire(import.meta.url);
const SUPABASE_UMD = path.join(path.dirname(require.resolve('@supabase/supabase-js')), 'umd', 'supabase.js');

interface Probe {
  readonly conversations: readonly string[];
  readonly messages: readonly string[];
  readonly byId: readonly string[];
  readonly joinFirst: string;
  readonly changes: readonly string[];
}

test('a second visitor never sees the first visitor\'s conversation, in the widget or through supabase-js', async ({ browser }) => {
  const first = await person(browser);
  const second = await person(browser);
  const secret = unique('My card ends in 4242');
  await openCustomerPage(first.page);
  await openChat(first.page);
  await visitorSends(first.page, secret);
  const firstId = await conversationWith(secret);

  await openCustomerPage(second.page);
  await openChat(second.page);
  // A new visitor opens on the home screen: nothing of the first visitor's anywhere in the panel.
  await expect(launcher(second.page).getByRole('dialog')).not.toContainText(secret);
  await visitorSends(second.page, unique('Hi, a different visitor here'));
  await expect(visitorLog(second.page)).not.toContainText(secret);

  // From the second visitor's page: a supabase-js client on the widget's own stored session.
  await second.page.addScriptTag({ path: SUPABASE_UMD });
  const env = environment();
  const probe = second.page.evaluate(async ({ url, key, firstId }): Promise<Probe> => {
    const { createClient } = (window as unknown as { supabase: typeof Supabase }).supabase;
    const client = createClient(url, key, { auth: { storageKey: `parley-auth:${new URL(url).host}` } });
    const { data: session } = await client.auth.getSession();
    if (!session.session) throw new Error('the widget\'s session is not in storage');
    const conversations = (await client.from('conversations').select('id')).data ?? [];
    const messages = (await client.from('messages').select('content')).data ?? [];
    const byId = (await client.from('messages').select('content').eq('conversation_id', firstId)).data ?? [];
    await client.realtime.setAuth();
    const joinFirst = await new Promise<string>((resolve) => {
      client.channel(`conversation:${firstId}`, { config: { private: true } }).subscribe((status) => {
        if (status !== 'SUBSCRIBED' && status !== 'CLOSED') resolve(status);
        if (status === 'SUBSCRIBED') resolve(status);
      });
    });
    const changes: string[] = [];
    await new Promise<void>((resolve) => {
      client.channel('snoop').on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'messages' },
        (payload) => changes.push(String((payload.new as { content?: unknown }).content)))
        .subscribe((status) => { if (status === 'SUBSCRIBED') resolve(); });
    });
    (window as unknown as { snoop: string[] }).snoop = changes;
    return { conversations: conversations.map((c) => c.id as string), messages: messages.map((m) => m.content as string), byId: byId.map((m) => m.content as string), joinFirst, changes };
  }, { url: env.apiUrl, key: env.anonKey, firstId });
  const seen = await probe;
  expect(seen.conversations).toHaveLength(1);
  expect(seen.conversations).not.toContain(firstId);
  expect(seen.messages).not.toContain(secret);
  expect(seen.byId).toEqual([]);
  expect(seen.joinFirst, 'the first visitor\'s private channel refuses the second').not.toBe('SUBSCRIBED');

  // A new message of the first visitor does not reach the second one's subscription.
  const later = unique('Also my address is 1 Main St');
  await visitorSends(first.page, later);
  await conversationWith(later);
  const own = unique('second visitor again');
  await visitorSends(second.page, own);
  await expect.poll(() => second.page.evaluate(() => (window as unknown as { snoop: string[] }).snoop)).toContain(own);
  expect(await second.page.evaluate(() => (window as unknown as { snoop: string[] }).snoop)).not.toContain(later);
  await first.context.close();
  await second.context.close();
});
