import { expect, waitUntil } from '@open-wc/testing';
import { TabLeader } from '../../src/attention/leader.ts';
import { TitleBadger } from '../../src/attention/badger.ts';
import { ToneSink } from '../../src/attention/sound.ts';
import { Notifier, type NotificationApi } from '../../src/attention/notifier.ts';
import '../browser-helpers/console-guard.ts';

let names = 0;
const lockName = (): string => `parley-attention-test-${++names}-${Math.random()}`;

describe('attention parts', () => {
  describe('TabLeader (Web Locks)', () => {
    it('lets exactly one of several tabs lead, and hands over when it stops', async () => {
      const name = lockName();
      const changes: string[] = [];
      const first = new TabLeader(name, { onChange: (on) => changes.push(`first ${on}`) });
      const second = new TabLeader(name, { onChange: (on) => changes.push(`second ${on}`) });
      first.start();
      await waitUntil(() => first.leader, 'the first tab leads');
      second.start();
      // The second is queued behind the first's lock; a query of the lock manager shows it waiting.
      await waitUntil(async () => (await navigator.locks.query()).pending?.some((l) => l.name === name), 'the second waits');
      expect(second.leader).to.equal(false);
      first.stop();
      await waitUntil(() => second.leader, 'the second takes over');
      expect(first.leader).to.equal(false);
      second.stop();
      expect(changes).to.deep.equal(['first true', 'first false', 'second true', 'second false']);
      await waitUntil(async () => ((await navigator.locks.query()).held ?? []).every((l) => l.name !== name), 'the lock is free');
    });

    it('leaves the queue without an error when stopped while waiting', async () => {
      const name = lockName();
      const first = new TabLeader(name);
      const second = new TabLeader(name);
      first.start();
      await waitUntil(() => first.leader);
      second.start();
      second.stop();
      first.stop();
      await waitUntil(async () => ((await navigator.locks.query()).pending ?? []).every((l) => l.name !== name));
      expect(second.leader).to.equal(false);
    });

    it('leads alone where Web Locks are missing', () => {
      const leader = new TabLeader(lockName(), { locks: null });
      leader.start();
      expect(leader.leader).to.equal(true);
      leader.stop();
      expect(leader.leader).to.equal(false);
    });
  });

  describe('TitleBadger', () => {
    let saved: string;
    beforeEach(() => {
      saved = document.title;
      document.title = 'Inbox · Shop';
      for (const link of document.head.querySelectorAll('link[rel~="icon"]')) link.remove();
    });
    afterEach(() => {
      document.title = saved;
      for (const link of document.head.querySelectorAll('link[rel~="icon"]')) link.remove();
    });

    it('puts the count in the title and a badge on the icon, and restores both', async () => {
      const original = 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"%3E%3Crect width="8" height="8" fill="blue"/%3E%3C/svg%3E';
      const link = Object.assign(document.createElement('link'), { rel: 'icon', href: original });
      document.head.append(link);
      const badger = new TitleBadger();
      badger.show(3);
      expect(document.title).to.equal('(3) Inbox · Shop');
      await waitUntil(() => link.href.startsWith('data:image/png'), 'the icon gets its badge');
      badger.show(4);
      expect(document.title).to.equal('(4) Inbox · Shop');
      badger.show(0);
      expect(document.title).to.equal('Inbox · Shop');
      expect(link.href).to.equal(original);
    });

    it('restores a title the host changed meanwhile, and leaves a title the host set after it alone', () => {
      const badger = new TitleBadger(document, { favicon: false });
      badger.show(2);
      document.title = 'Orders · Shop';
      badger.show(2);
      expect(document.title).to.equal('(2) Orders · Shop');
      badger.restore();
      expect(document.title).to.equal('Orders · Shop');
      badger.show(1);
      document.title = 'Checkout';
      badger.restore();
      expect(document.title).to.equal('Checkout');
      expect(document.head.querySelector('link[rel~="icon"]')).to.equal(null);
    });

    it('adds an icon where the page has none and removes it again', async () => {
      const badger = new TitleBadger();
      badger.show(1, (n, title) => `${title} [${n}]`);
      expect(document.title).to.equal('Inbox · Shop [1]');
      await waitUntil(() => document.head.querySelector<HTMLLinkElement>('link[rel~="icon"]')?.href.startsWith('data:image/png'));
      badger.restore();
      expect(document.head.querySelector('link[rel~="icon"]')).to.equal(null);
    });
  });

  describe('ToneSink', () => {
    const Original = window.AudioContext;
    let created = 0;
    beforeEach(() => {
      created = 0;
      window.AudioContext = class extends Original {
        constructor() {
          super();
          created += 1;
        }
      };
    });
    afterEach(() => {
      window.AudioContext = Original;
    });

    it('creates no audio context before the page had a user gesture', () => {
      const sink = new ToneSink({ activated: () => false });
      sink.play('message');
      expect(created).to.equal(0);
    });

    it('plays through one context after a gesture, without console errors', async () => {
      const sink = new ToneSink({ activated: () => true });
      sink.play('conversation');
      sink.play('message');
      expect(created).to.equal(1);
      sink.dispose();
      // A closed context refuses quietly.
      sink.play('reply');
      expect(created).to.equal(2);
      sink.dispose();
    });

    it('swallows a refused resume (NotAllowedError)', async () => {
      let refused = 0;
      window.AudioContext = class extends Original {
        override get state(): AudioContextState {
          return 'suspended';
        }
        override resume(): Promise<void> {
          refused += 1;
          return Promise.reject(new DOMException('not allowed', 'NotAllowedError'));
        }
      };
      const sink = new ToneSink({ activated: () => true });
      sink.play('message');
      await waitUntil(() => refused === 1);
      await new Promise((resolve) => setTimeout(resolve, 0));
      sink.dispose();
    });
  });

  describe('Notifier', () => {
    function fakeApi(permission: NotificationPermission, answer: NotificationPermission = 'granted') {
      const shown: (EventTarget & { title: string; options?: NotificationOptions | undefined; closed: boolean })[] = [];
      class FakeNotification extends EventTarget {
        static permission = permission;
        static requests = 0;
        static requestPermission(): Promise<NotificationPermission> {
          FakeNotification.requests += 1;
          FakeNotification.permission = answer;
          return Promise.resolve(answer);
        }
        closed = false;
        constructor(readonly title: string, readonly options?: NotificationOptions) {
          super();
          shown.push(this);
        }
        close(): void {
          this.closed = true;
        }
      }
      return { api: FakeNotification as unknown as NotificationApi & { requests: number }, shown };
    }

    it('asks only when the browser has not decided, and shows only when granted', async () => {
      const { api, shown } = fakeApi('default', 'denied');
      const notifier = new Notifier(api);
      expect(notifier.show({ title: 'x', body: '', tag: 't', onClick: () => undefined })).to.equal(false);
      expect(await notifier.request()).to.equal(false);
      expect(await notifier.request()).to.equal(false);
      expect(api.requests).to.equal(1);
      expect(notifier.permission).to.equal('denied');
      expect(shown).to.have.length(0);
    });

    it('reads the browser\'s permission once (a synchronous call in Chromium), again after a request', async () => {
      const { api } = fakeApi('default', 'granted');
      let reads = 0;
      let answer: NotificationPermission = 'default';
      Object.defineProperty(api, 'permission', {
        get: () => ((reads += 1), answer),
        set: (value: NotificationPermission) => (answer = value),
      });
      const notifier = new Notifier(api);
      for (let i = 0; i < 5; i++) expect(notifier.permission).to.equal('default');
      expect(reads).to.equal(1);
      expect(await notifier.request()).to.equal(true);
      expect(notifier.permission, 'the new answer, not the remembered one').to.equal('granted');
      expect(notifier.permission).to.equal('granted');
      expect(reads).to.equal(2);
    });

    it('shows text as given and hands a click over once', async () => {
      const { api, shown } = fakeApi('granted');
      const notifier = new Notifier(api);
      const clicks: string[] = [];
      expect(notifier.show({ title: '<b>Ana</b>', body: 'Hi <i>', tag: 'parley-1', onClick: () => clicks.push('1') })).to.equal(true);
      const note = shown[0];
      expect(note?.title).to.equal('<b>Ana</b>');
      expect(note?.options).to.deep.equal({ body: 'Hi <i>', tag: 'parley-1' });
      note?.dispatchEvent(new Event('click'));
      expect(clicks).to.deep.equal(['1']);
      expect(note?.closed).to.equal(true);
    });

    it('says unsupported and never throws without the API or when the constructor refuses', async () => {
      const none = new Notifier(null);
      expect(none.permission).to.equal('unsupported');
      expect(await none.request()).to.equal(false);
      const Refusing = Object.assign(function refusing(): never {
        throw new TypeError('Illegal constructor. Use ServiceWorkerRegistration.showNotification() instead.');
      }, { permission: 'granted' as NotificationPermission, requestPermission: () => Promise.resolve('granted' as NotificationPermission) });
      const refusing = new Notifier(Refusing as unknown as NotificationApi);
      expect(refusing.show({ title: 'x', body: '', tag: 't', onClick: () => undefined })).to.equal(false);
    });
  });
});
