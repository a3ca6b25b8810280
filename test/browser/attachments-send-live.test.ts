// Issue 16: a message with a file goes through the outbox like a text message, on the local stack
// with the real storage-js, IndexedDB and XMLHttpRequest: uploaded with progress, sent once, and
// sent exactly once when the page goes away mid-upload (a new session on the same storage takes
// over) or after the upload finished but before the message was stored.
import { expect, waitUntil } from '@open-wc/testing';
import type { SupabaseClient } from '@supabase/supabase-js';
import { createSession, type Session } from '../../src/session/index.ts';
import type { OutgoingFile } from '../../src/data/attachment.ts';
import { uploadProgress } from '../../src/realtime/attachment-delivery.ts';
import { safeKeyName } from '../../src/elements/composer/composer-files.ts';
import '../../src/define.ts';
import type { ParleyLauncher } from '../../src/define.ts';
import '../browser-helpers/console-guard.ts';
import { browserClient, browserStack } from '../browser-stack/stack.ts';

const wait = (predicate: () => boolean | Promise<boolean>, message: string, timeout = 15000): Promise<void> =>
  waitUntil(predicate, message, { timeout, interval: 25 });

const OUTBOX_KEY = 'parley-test-attachments-outbox';

/** A real PNG of `side`×`side` pixels, padded to about `bytes` with a trailing chunk. */
async function png(side: number, bytes = 0): Promise<Blob> {
  const canvas = new OffscreenCanvas(side, side);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  context.fillStyle = '#1f5fd1';
  context.fillRect(0, 0, side, side);
  const image = await canvas.convertToBlob({ type: 'image/png' });
  return bytes > image.size ? new Blob([image, new Uint8Array(bytes - image.size)], { type: 'image/png' }) : image;
}

/** Holds PUTs to signed upload URLs until released, as a slow network would; counts them. */
function holdUploads(cleanup: (() => unknown)[]): { started: number; release: () => void } {
  const proto = XMLHttpRequest.prototype;
  const open = proto.open;
  const send = proto.send;
  const abort = proto.abort;
  const held: (() => void)[] = [];
  const waiting = new Map<XMLHttpRequest, () => void>();
  const state = { started: 0, holding: true, release: () => { state.holding = false; for (const go of held.splice(0)) go(); } };
  const urls = new WeakMap<XMLHttpRequest, string>();
  proto.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    urls.set(this, String(url));
    return (open as (...args: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof proto.open;
  proto.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    if (!urls.get(this)?.includes('/object/upload/sign/')) return send.call(this, body);
    state.started += 1;
    if (!state.holding) return send.call(this, body);
    const go = () => { waiting.delete(this); send.call(this, body); };
    waiting.set(this, go);
    held.push(go);
  };
  // Aborting a held request aborts it as the browser would a request in flight.
  proto.abort = function (this: XMLHttpRequest) {
    const go = waiting.get(this);
    if (go) {
      held.splice(held.indexOf(go), 1);
      go();
    }
    abort.call(this);
  };
  cleanup.push(() => { proto.open = open; proto.send = send; proto.abort = abort; });
  return state;
}

/** Makes insert_message fail before it leaves, as a dropped network would. */
function blockInserts(cleanup: (() => unknown)[]): { attempts: number; restore: () => void } {
  const original = window.fetch;
  const net = { attempts: 0, restore: () => { window.fetch = original; } };
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes('/rest/v1/rpc/insert_message')) {
      net.attempts += 1;
      return Promise.reject(new TypeError('Failed to fetch'));
    }
    return original(input, init);
  };
  cleanup.push(() => { window.fetch = original; });
  return net;
}

describe('attachments through the outbox (issue 16)', function () {
  this.timeout(60000);
  const cleanup: (() => unknown)[] = [];
  let visitor: SupabaseClient;
  let conversationId: string;

  beforeEach(async () => {
    localStorage.removeItem(OUTBOX_KEY);
    visitor = await browserClient();
    await visitor.auth.signInAnonymously();
    conversationId = crypto.randomUUID();
    await visitor.rpc('start_conversation', { p_id: conversationId });
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    await visitor.removeAllChannels();
    localStorage.removeItem(OUTBOX_KEY);
  });

  /** A visitor's session on the shared outbox storage, as a page load makes one. */
  async function open(): Promise<Session> {
    const session = createSession({ client: visitor, audience: 'customer', outboxStorage: localStorage, outboxKey: OUTBOX_KEY });
    cleanup.push(() => session.dispose());
    await session.realtime.start({ listNow: false });
    return session;
  }

  async function rows(): Promise<{ id: string; content: string; attachments: { key: string; name: string; size: number; width?: number }[] }[]> {
    const { data, error } = await visitor.from('messages').select('id,content,attachments').eq('conversation_id', conversationId);
    if (error) throw error;
    return data as never;
  }

  it('uploads with progress, then sends the message with its file', async () => {
    const session = await open();
    const blob = await png(40, 300_000);
    const file: OutgoingFile = { file: blob, name: 'Écran 1/2.png', keyName: safeKeyName('Écran 1/2.png'), type: 'image/png', width: 40, height: 40 };
    const seen: number[] = [];
    const entry = session.realtime.send(conversationId, '', undefined, { files: [file] });
    const stop = uploadProgress(entry.id).subscribe((p) => { if (p) seen.push(p.loaded); });
    cleanup.push(stop);
    await wait(async () => (await rows()).length === 1, 'stored');
    const [row] = await rows();
    expect(row?.id).to.equal(entry.id);
    expect(row?.content).to.equal('');
    expect(row?.attachments).to.have.length(1);
    expect(row?.attachments[0]?.name).to.equal('Écran 1/2.png');
    expect(row?.attachments[0]?.key).to.equal(`${conversationId}/${entry.id}/0-Ecran_1_2.png`);
    expect(row?.attachments[0]?.width).to.equal(40);
    expect(seen.at(-1)).to.equal(blob.size);
    await wait(() => session.state.$outbox.get().length === 0, 'the outbox is empty');
  });

  it('a reload mid-upload sends exactly once: the next page finds the bytes in IndexedDB', async () => {
    const uploads = holdUploads(cleanup);
    const first = await open();
    const entry = first.realtime.send(conversationId, 'Here is the screenshot', undefined, {
      files: [{ file: await png(20), name: 'shot.png', keyName: safeKeyName('shot.png'), type: 'image/png', width: 20, height: 20 }],
    });
    await wait(() => uploads.started === 1, 'the upload started');
    await first.dispose();
    // The page is gone; its held upload never reaches the server.
    expect(localStorage.getItem(OUTBOX_KEY)).to.contain(entry.id);

    uploads.release();
    const second = await open();
    await wait(async () => (await rows()).length === 1, 'stored once');
    await wait(() => second.state.$outbox.get().length === 0, 'the outbox is empty');
    const stored = await rows();
    expect(stored.map((r) => r.id)).to.deep.equal([entry.id]);
    expect(stored[0]?.attachments[0]?.key).to.equal(entry.attachments?.[0]?.key);
  });

  it('a reload after the upload but before the message was stored re-uses the uploaded file', async () => {
    const net = blockInserts(cleanup);
    const first = await open();
    const blob = await png(24);
    const entry = first.realtime.send(conversationId, '', undefined, { files: [{ file: blob, name: 'a.png', keyName: safeKeyName('a.png'), type: 'image/png' }] });
    await wait(() => net.attempts > 0, 'the insert was tried');
    const key = entry.attachments?.[0]?.key ?? '';
    const { data: listed } = await visitor.storage.from('attachments').list(`${conversationId}/${entry.id}`);
    expect(listed?.map((f) => f.name)).to.deep.equal([key.split('/').at(-1)]);
    await first.dispose();
    net.restore(); // the network is back
    const again = holdUploads(cleanup);
    again.release();

    const second = await open();
    await wait(async () => (await rows()).length === 1, 'stored once');
    await wait(() => second.state.$outbox.get().length === 0, 'the outbox is empty');
    expect(again.started).to.equal(0, 'no second upload: the key was there');
    expect((await rows())[0]?.id).to.equal(entry.id);
  });

  it('cancelling an upload drops the message and its bytes', async () => {
    const uploads = holdUploads(cleanup);
    const session = await open();
    const entry = session.realtime.send(conversationId, '', undefined, { files: [{ file: await png(16), name: 'c.png', keyName: safeKeyName('c.png'), type: 'image/png' }] });
    await wait(() => uploads.started === 1, 'the upload started');
    const { cancel } = await import('../../src/realtime/attachment-delivery.ts');
    cancel(entry.id);
    await wait(() => session.state.$outbox.get().length === 0, 'dropped from the outbox');
    expect(session.state.thread(conversationId).get().pending).to.have.length(0);
    uploads.release();
    expect(await rows()).to.have.length(0);
  });

  it("refuses a file the workspace's limits exclude before uploading it, with a message a person understands", async () => {
    const admin = await browserClient((await browserStack()).serviceRoleKey);
    const limits = { attachment_max_bytes: 10_000_000, attachment_types: ['image/png'] };
    await admin.from('workspace_settings').update(limits).eq('id', true).throwOnError();
    cleanup.push(async () => {
      await admin.from('workspace_settings').update({ attachment_types: ALL_TYPES, attachment_max_bytes: 10_000_000 }).eq('id', true);
    });
    const uploads = holdUploads(cleanup);
    uploads.release();
    const session = await open();
    const entry = session.realtime.send(conversationId, 'the invoice', undefined, {
      files: [{ file: new Blob(['%PDF-1.7'], { type: 'application/pdf' }), name: 'invoice.pdf', keyName: safeKeyName('invoice.pdf'), type: 'application/pdf' }],
    });
    await wait(() => session.state.$outbox.get().some((e) => e.id === entry.id && e.state === 'failed'), 'failed');
    const failed = session.state.$outbox.get().find((e) => e.id === entry.id);
    expect(failed?.error).to.equal('This type of file is not accepted.');
    expect(uploads.started).to.equal(0);
    expect(await rows()).to.have.length(0);
  });
});

describe('attachments from the launcher (issue 16)', function () {
  this.timeout(60000);
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith('parley-auth') || key.startsWith('parley-outbox')) localStorage.removeItem(key);
    }
  });

  it("a visitor's first message may be a file: it starts the conversation and the agent reads it once", async () => {
    const stack = await browserStack();
    const el = document.createElement('parley-launcher') as ParleyLauncher;
    el.setAttribute('supabase-url', stack.url);
    el.setAttribute('supabase-key', stack.anonKey);
    document.body.append(el);
    cleanup.push(() => el.remove());
    await el.updateComplete;
    el.shadowRoot?.querySelector<HTMLElement>('.bubble')?.click();
    await wait(() => el.phase === 'ready', 'session ready');
    await el.updateComplete;
    el.shadowRoot?.querySelector<HTMLElement>('[part~="send-us-a-message"], [part~="conversation"]')?.click();
    await wait(() => el.shadowRoot?.querySelector('parley-composer:not([disabled])') != null, 'the composer');
    const composer = el.shadowRoot?.querySelector('parley-composer');
    if (!composer) throw new Error('no composer');
    await composer.addFiles([new File(['%PDF-1.7\n'], 'Relevé de compte.pdf', { type: 'application/pdf' })]);
    await composer.updateComplete;
    composer.shadowRoot?.querySelector<HTMLButtonElement>('[part~="send-button"]')?.click();
    await wait(() => el.conversationId !== null, 'the file starts a conversation');

    const agent = await browserClient();
    await agent.auth.signInWithPassword({ email: 'agent@parley.test', password: 'parley-agent' });
    cleanup.push(() => agent.auth.signOut());
    const read = async () => (await agent.from('messages').select('content,attachments,sender_type')
      .eq('conversation_id', el.conversationId ?? '')).data ?? [];
    await wait(async () => (await read()).length === 1, 'the agent reads it');
    const [message] = await read();
    expect(message?.sender_type).to.equal('customer');
    expect((message?.attachments as { name: string }[])[0]?.name).to.equal('Relevé de compte.pdf');
  });
});

const ALL_TYPES = [
  'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/heic', 'image/heif',
  'application/pdf', 'text/plain', 'text/csv', 'application/zip',
  'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint', 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'video/mp4', 'audio/mpeg',
];
