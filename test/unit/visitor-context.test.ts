// The launcher's side of "who the visitor is": the user-agent parser, the captured context's bounds,
// identify()'s input checks and the embed stub's command queue.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TIME_ZONE_KEY, captureContext, parseUserAgent, timeZone, type PageLike } from '../../src/session/visit-capture.ts';
import { IDENTIFY_LIMITS, checkIdentify, mergeIdentity } from '../../src/session/identify-input.ts';
import { CommandQueue } from '../../src/embed/queue.ts';

const UA = {
  chromeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  edgeWin: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  safariIphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  chromeAndroid: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  samsung: 'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36',
  opera: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0',
  chromeIos: 'Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
  chromeOs: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

describe('visitor context: the user-agent parser', () => {
  it('names browser and OS from the user-agent string', () => {
    const cases: [string, string, string][] = [
      [UA.chromeMac, 'Chrome 131', 'macOS'],
      [UA.edgeWin, 'Edge 131', 'Windows'],
      [UA.firefoxLinux, 'Firefox 133', 'Linux'],
      [UA.safariIphone, 'Safari 17.4', 'iOS 17.4'],
      [UA.safariMac, 'Safari 18.1', 'macOS'],
      [UA.chromeAndroid, 'Chrome 131', 'Android 14'],
      [UA.samsung, 'Samsung Internet 23', 'Android 13'],
      [UA.opera, 'Opera 115', 'Windows'],
      [UA.chromeIos, 'Chrome 131', 'iPadOS 17.1'],
      [UA.chromeOs, 'Chrome 131', 'ChromeOS'],
    ];
    for (const [ua, browser, os] of cases) assert.deepEqual(parseUserAgent(ua), { browser, os }, ua);
    assert.deepEqual(parseUserAgent('curl/8.0'), { browser: null, os: null });
  });

  it('prefers userAgentData\'s brands and platform where the browser has them', () => {
    const data = {
      brands: [{ brand: 'Not)A;Brand', version: '99' }, { brand: 'Microsoft Edge', version: '131' }, { brand: 'Chromium', version: '131' }],
      platform: 'Windows',
    };
    assert.deepEqual(parseUserAgent(UA.chromeMac, data), { browser: 'Edge 131', os: 'Windows' });
    // The string's Android version is kept when the platform agrees.
    assert.deepEqual(parseUserAgent(UA.chromeAndroid, { brands: [{ brand: 'Google Chrome', version: '131' }], platform: 'Android' }),
      { browser: 'Chrome 131', os: 'Android 14' });
    assert.deepEqual(parseUserAgent('', { brands: [{ brand: 'Chromium', version: '120' }], platform: 'Linux' }), { browser: 'Chromium 120', os: 'Linux' });
  });
});

describe('visitor context: what is captured', () => {
  const page = (over: Partial<{ href: string; title: string; referrer: string }> = {}): PageLike => ({
    location: { href: over.href ?? 'https://shop.test/lamps?color=red#reviews' },
    document: { title: over.title ?? 'Lamps', referrer: over.referrer ?? 'https://search.test/?q=lamp' },
    navigator: { userAgent: UA.firefoxLinux, language: 'fr-CA' },
    screen: { width: 1440, height: 900 },
  });

  it('takes the address without its fragment, the title, referrer, browser, language, zone and screen', () => {
    const context = captureContext(page());
    assert.equal(context.url, 'https://shop.test/lamps?color=red');
    assert.equal(context.title, 'Lamps');
    assert.equal(context.referrer, 'https://search.test/?q=lamp');
    assert.equal(context.browser, 'Firefox 133');
    assert.equal(context.os, 'Linux');
    assert.equal(context.language, 'fr-CA');
    assert.equal(context.screen, '1440×900');
    assert.equal(typeof context.timeZone, 'string');
    assert.equal(captureContext(page(), 'https://shop.test/').referrer, 'https://shop.test/', 'a single-page navigation\'s referrer');
    assert.equal(captureContext(page({ title: '  ', referrer: '' })).title, null);
  });

  it('keeps the resolved time zone with its UTC offset and resolves again only when the offset differs', () => {
    const store = new Map<string, string>();
    const cache = { getItem: (key: string) => store.get(key) ?? null, setItem: (key: string, value: string) => void store.set(key, value) };
    const resolved = Intl.DateTimeFormat().resolvedOptions().timeZone;
    assert.equal(timeZone(cache, 60), resolved);
    assert.equal(store.get(TIME_ZONE_KEY), `60 ${resolved}`);
    store.set(TIME_ZONE_KEY, '60 Test/Kept');
    assert.equal(timeZone(cache, 60), 'Test/Kept', 'the kept name, without Intl');
    assert.equal(timeZone(cache, -120), resolved, 'another offset: resolved again');
    assert.equal(store.get(TIME_ZONE_KEY), `-120 ${resolved}`);
    const blocked = { getItem: (): string => { throw new Error('blocked'); }, setItem: (): void => { throw new Error('blocked'); } };
    assert.equal(timeZone(blocked, 0), resolved, 'blocked storage: resolved every time');
    assert.equal(timeZone(null, 0), resolved);
  });

  it('cuts every field to its column\'s bound', () => {
    const context = captureContext(page({ href: `https://shop.test/${'a'.repeat(5000)}`, title: 't'.repeat(900), referrer: 'r'.repeat(9000) }));
    assert.equal(context.url.length, 2048);
    assert.equal(context.title?.length, 300);
    assert.equal(context.referrer?.length, 2048);
  });
});

describe('identify(): input checks', () => {
  it('splits name and email from the attributes, trimmed, the email lower-cased', () => {
    assert.deepEqual(checkIdentify({ name: ' Ada ', email: 'ADA@Example.com', plan: 'pro', seats: 3, beta: true, gone: null, skipped: undefined }),
      { name: 'Ada', email: 'ada@example.com', attributes: { plan: 'pro', seats: 3, beta: true, gone: null } });
    assert.deepEqual(checkIdentify({ name: '', email: null }), { attributes: {} });
  });

  it('refuses bad input with a message that names the problem', () => {
    const cases: [unknown, RegExp][] = [
      [null, /pass an object/],
      ['Ada', /pass an object/],
      [[1], /pass an object/],
      [{ name: 42 }, /name must be text/],
      [{ name: 'n'.repeat(IDENTIFY_LIMITS.name + 1) }, /name is longer than 120/],
      [{ email: 'nope' }, /email "nope" is not an email address/],
      [{ plan: { tier: 'pro' } }, /attribute "plan" must be a string, finite number, boolean or null/],
      [{ tags: ['a'] }, /attribute "tags"/],
      [{ score: Number.NaN }, /attribute "score"/],
      [{ bio: 'b'.repeat(257) }, /attribute "bio" is longer than 256/],
      [{ ['k'.repeat(65)]: 1 }, /attribute names are at most 64/],
      [{ '': 1 }, /cannot be empty/],
      [Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, i])), /at most 50 attributes/],
    ];
    for (const [input, message] of cases) {
      assert.throws(() => checkIdentify(input), (error: unknown) => error instanceof TypeError && message.test(error.message), String(message));
    }
  });

  it('merges calls: later values win, attributes add up', () => {
    const merged = mergeIdentity(checkIdentify({ name: 'Ada', plan: 'free', seats: 1 }), checkIdentify({ email: 'a@b.co', plan: 'pro' }));
    assert.deepEqual(merged, { name: 'Ada', email: 'a@b.co', attributes: { plan: 'pro', seats: 1 } });
  });
});

describe('embed stub: the command queue', () => {
  it('keeps calls until the target exists, replays them in order, then runs calls at once', () => {
    const queue = new CommandQueue<string[]>();
    queue.run((log) => log.push('first'));
    queue.run((log) => log.push('second'));
    assert.equal(queue.size, 2);
    const log: string[] = [];
    queue.flush(log);
    assert.deepEqual(log, ['first', 'second']);
    queue.run((l) => l.push('third'));
    assert.deepEqual(log, ['first', 'second', 'third']);
    assert.equal(queue.size, 0);
  });
});
