import { expect } from '@open-wc/testing';
import { browserClient } from '../browser-stack/stack.ts';

describe('the local stack from a browser', () => {
  it('signs in, reads through RLS and receives a realtime insert', async () => {
    const agent = await browserClient();
    const { error } = await agent.auth.signInWithPassword({ email: 'agent@parley.test', password: 'parley-agent' });
    expect(error).to.equal(null);
    // Suites share one stack and add conversations, so look for the seeded ones.
    const seeded = Array.from({ length: 23 }, (_, i) => `00000000-0000-4000-c000-${String(i + 1).padStart(12, '0')}`);
    const { data } = await agent.from('conversations').select('id').in('id', seeded);
    expect(data?.length).to.equal(23);

    const visitor = await browserClient();
    await visitor.auth.signInAnonymously();
    const started = await visitor.rpc('start_conversation', {});
    const conversationId = (started.data as { id: string }).id;
    const received: string[] = [];
    await agent.auth.getSession();
    await new Promise<void>((resolve, reject) => {
      agent.channel('smoke').on('postgres_changes',
        { event: 'INSERT', schema: 'public', table: 'messages', filter: `conversation_id=eq.${conversationId}` },
        (payload) => received.push((payload.new as { content: string }).content))
        .subscribe((status, err) => (status === 'SUBSCRIBED' ? resolve() : status === 'CHANNEL_ERROR' && reject(err)));
    });
    await visitor.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: 'hello from Chromium' });
    const deadline = Date.now() + 5000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(received).to.deep.equal(['hello from Chromium']);
    await agent.removeAllChannels();
  });
});
