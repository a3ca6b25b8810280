import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { createDataApi, REALTIME_TRANSPORTS } from '../../src/data/index.ts';
import { ConversationController, createRealtimeController, type RealtimeController } from '../../src/realtime/index.ts';
import { createParleyState } from '../../src/state/index.ts';
import '../browser-helpers/console-guard.ts';
import { browserClient } from '../browser-stack/stack.ts';


class ConversationHost extends LitElement {
  static override properties = { conversationId: { attribute: false } };
  declare conversationId: string | null;
  realtime: RealtimeController | undefined;
  readonly conversation = new ConversationController(this, {
    realtime: () => this.realtime,
    conversationId: () => this.conversationId,
  });

  constructor() {
    super();
    this.conversationId = null;
  }
}
customElements.define('realtime-test-conversation-host', ConversationHost);

describe('ConversationController (Lit adapter)', function () {
  this.timeout(20000);

  afterEach(() => fixtureCleanup());

  for (const transport of REALTIME_TRANSPORTS) it(`opens in hostConnected, follows the id, releases in hostDisconnected (${transport})`, async () => {
    const client = await browserClient();
    await client.auth.signInAnonymously();
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { data } = await client.rpc('start_conversation', {});
      ids.push((data as { id: string }).id);
    }
    const [a, b] = ids as [string, string];
    const state = createParleyState();
    const realtime = createRealtimeController({ client, api: createDataApi(client, { audience: 'customer' }), state, transport });
    await realtime.start();
    const topics = (): string[] => client.getChannels().map((c) => c.topic);
    // Typing, and in scale mode the messages on a channel of their own.
    const opened = (id: string): string[] =>
      [`realtime:conversation:${id}`, ...(transport === 'broadcast' ? [`realtime:parley:thread:${id}`] : [])];

    const el = document.createElement('realtime-test-conversation-host') as ConversationHost;
    el.realtime = realtime;
    el.conversationId = a;
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    host.append(el);
    await el.updateComplete;
    expect(topics()).to.include.members(opened(a));
    expect(el.conversation.conversationId).to.equal(a);

    el.conversationId = b;
    await el.updateComplete;
    expect(el.conversation.conversationId).to.equal(b);
    await waitUntil(() => !topics().some((t) => t.endsWith(a)), 'the old conversation released');
    expect(topics()).to.include.members(opened(b));

    el.remove();
    await waitUntil(() => !topics().some((t) => t.endsWith(a) || t.endsWith(b)), 'released on disconnect');
    expect(state.threadIds()).to.deep.equal([]);
    await realtime.stop();
    expect(client.getChannels()).to.deep.equal([]);
    state.dispose();
    await client.removeAllChannels();
  });
});
