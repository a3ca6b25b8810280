import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayName, downloadName, fileKind, formatSize, typeLabel } from '../../src/elements/attachments/file-display.ts';
import { downloadUrl, LINK_LIFETIME, REFRESH_MARGIN, SignedLinks, type SignKeys } from '../../src/elements/attachments/signed-links.ts';
import { signedByKey } from '../../src/elements/attachments/storage-links.ts';

describe('file names as shown', () => {
  it('replaces control and bidi-override characters with a visible U+FFFD, keeps the rest', () => {
    assert.equal(displayName('invoice\u202Efdp.exe'), 'invoice\ufffdfdp.exe');
    assert.equal(displayName('a\u0000b\u001fc\u007fd\u0085e'), 'a\ufffdb\ufffdc\ufffdd\ufffde');
    assert.equal(displayName('x\u2066y\u2069z\u202Aw'), 'x\ufffdy\ufffdz\ufffdw');
    assert.equal(displayName('<img src=x onerror=alert(1)>.pdf'), '<img src=x onerror=alert(1)>.pdf');
    assert.equal(displayName('تقرير مالي.pdf'), 'تقرير مالي.pdf');
  });

  it('caps a name at 255 characters, counting astral characters once', () => {
    const shown = displayName('😀'.repeat(300));
    assert.equal([...shown].length, 255);
    assert.ok(shown.endsWith('…'));
  });

  it('saves downloads under a name without the hidden characters', () => {
    assert.equal(downloadName('invoice\u202Efdp.exe'), 'invoice_fdp.exe');
  });
});

describe('sizes in the reader’s language', () => {
  it('uses the largest fitting unit, one decimal below ten', () => {
    assert.equal(formatSize(512, 'en'), '512 bytes');
    assert.equal(formatSize(1, 'en'), '1 byte');
    assert.equal(formatSize(512, 'fr').replace(/\s/gu, ' '), '512 octets');
    assert.equal(formatSize(340_000, 'en'), '340 kB');
    assert.equal(formatSize(1_250_000, 'en'), '1.3 MB');
    assert.equal(formatSize(1_250_000, 'de'), '1,3 MB');
    // French separates number and unit with a (narrow) no-break space.
    assert.equal(formatSize(1_250_000, 'fr').replace(/\s/gu, ' '), '1,3 Mo');
  });

  it('survives an invalid language tag', () => {
    assert.match(formatSize(2_000, 'not a language!'), /2/);
  });
});

describe('type labels and kinds', () => {
  it('names well-known types and falls back to the subtype', () => {
    assert.equal(typeLabel('application/pdf'), 'PDF');
    assert.equal(typeLabel('application/vnd.openxmlformats-officedocument.wordprocessingml.document'), 'DOCX');
    assert.equal(typeLabel('image/png'), 'PNG');
    assert.equal(typeLabel('video/mp4'), 'MP4');
    assert.equal(typeLabel('text/html'), 'HTML');
    assert.equal(typeLabel('image/svg+xml'), 'SVG');
  });

  it('picks an icon kind', () => {
    assert.equal(fileKind('application/pdf'), 'document');
    assert.equal(fileKind('application/zip'), 'archive');
    assert.equal(fileKind('video/mp4'), 'video');
    assert.equal(fileKind('image/svg+xml'), 'image');
    assert.equal(fileKind('application/octet-stream'), 'other');
  });
});

describe('SignedLinks', () => {
  function recorder(answer?: (keys: readonly string[]) => (string | null)[]) {
    const calls: (readonly string[])[] = [];
    answer ??= (keys) => keys.map((k) => `https://s.test/${k}?token=${calls.length}`);
    const sign: SignKeys = async (keys, expiresIn) => {
      assert.equal(expiresIn, LINK_LIFETIME);
      calls.push(keys);
      return answer(keys);
    };
    return { calls, sign };
  }

  it('signs the keys asked for in one task in one request, and reuses the URLs', async () => {
    const { calls, sign } = recorder();
    const links = new SignedLinks(sign);
    const urls = await Promise.all([links.url('a'), links.url('b'), links.url('a')]);
    assert.deepEqual(calls, [['a', 'b']]);
    assert.equal(urls[0], urls[2]);
    assert.equal(await links.url('b'), urls[1]);
    assert.equal(links.fresh('a'), urls[0]);
    assert.equal(calls.length, 1);
  });

  it('signs again shortly before expiry, and after forget', async () => {
    let now = 1_000_000;
    const { calls, sign } = recorder();
    const links = new SignedLinks(sign, () => now);
    const first = await links.url('a');
    now += LINK_LIFETIME * 1000 - REFRESH_MARGIN - 1;
    assert.equal(await links.url('a'), first);
    now += 2;
    assert.equal(links.fresh('a'), undefined);
    const second = await links.url('a');
    assert.notEqual(second, first);
    links.forget('a');
    assert.notEqual(await links.url('a'), second);
    assert.equal(calls.length, 3);
  });

  it('rejects only the key Storage refused, and every key when the request fails', async () => {
    const { sign } = recorder((keys) => keys.map((k) => (k === 'gone' ? null : `https://s.test/${k}`)));
    const links = new SignedLinks(sign);
    const [ok, gone] = await Promise.allSettled([links.url('ok'), links.url('gone')]);
    assert.equal(ok?.status, 'fulfilled');
    assert.equal(gone?.status, 'rejected');

    let fail = true;
    const flaky = new SignedLinks(async (keys) => {
      if (fail) throw new Error('offline');
      return keys.map((k) => `https://s.test/${k}`);
    });
    await assert.rejects(flaky.url('x'), /offline/);
    fail = false;
    assert.equal(await flaky.url('x'), 'https://s.test/x');
  });

  it('reads Storage’s answer by path, and keeps only http(s) URLs', () => {
    const data = [
      { path: 'b', signedUrl: 'https://s.test/b', error: null },
      { path: 'a', signedUrl: 'javascript:alert(1)', error: null },
      { path: 'c', signedUrl: null, error: 'Either the object does not exist or you do not have access to it' },
      'junk',
    ];
    assert.deepEqual(signedByKey(['a', 'b', 'c', 'd'], data), [null, 'https://s.test/b', null, null]);
    assert.throws(() => signedByKey(['a'], { error: 'x' }), /list/);
  });

  it('makes a download link with the original name encoded', () => {
    const url = downloadUrl('https://s.test/storage/v1/object/sign/attachments/c/u/a.pdf?token=t', 'a&b #1?.pdf');
    const parsed = new URL(url);
    assert.equal(parsed.searchParams.get('token'), 't');
    assert.equal(parsed.searchParams.get('download'), 'a&b #1?.pdf');
    assert.equal(parsed.hash, '');
  });
});
