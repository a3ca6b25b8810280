import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatString } from '../../src/i18n/strings.ts';

/** Languages from ICU's list, with every kind of default digits, and tags that choose a script or digits. */
const LANGS = [
  'af am ar ar-MA ar-EG as az be bg bgc bho bn bo br brx bs ca ccp ceb chr ckb cs cy da de doi dz el en en-IN es et eu',
  'fa ff ff-Adlm fi fil fo fr ga gd gl gu ha he hi hi-Latn hr hu hy id ig is it ja jv ka kk km kn ko kok ks ks-Deva ku',
  'ky lb lo lrc lt lv mai mi mk ml mn mni mr ms mt my mzn nb ne nl nn no or pa pa-Arab pl ps pt qu raj rm ro ru sa sat',
  'sd sd-Deva sdh si sk sl so sq sr sr-Latn su sv sw ta te tg th ti tk tr tt ug uk ur ur-IN uz uz-Arab vi wo xh yi yo',
  'yue zh zh-Hant zu en-u-nu-arab de-u-ca-gregory-nu-deva th-u-nu-thai',
].join(' ').split(' ');

describe('formatString', () => {
  it('formats numbers exactly as Intl.NumberFormat does for the language, also where it skips Intl', () => {
    for (const lang of LANGS) {
      for (const n of [0, 3, 42, 99, 999, 1000, 12345, -5, 2.5]) {
        assert.equal(formatString('{count} unread', { count: n }, lang), `${new Intl.NumberFormat(lang).format(n)} unread`, `${lang}: ${n}`);
      }
    }
  });

  it('fills strings as given and leaves unknown placeholders as written', () => {
    assert.equal(formatString('{name} wrote {what}', { name: '<b>Ada</b>' }), '<b>Ada</b> wrote {what}');
  });

  it('falls back to the default locale for an invalid lang', () => {
    assert.equal(formatString('{n}', { n: 12345 }, 'not a tag!'), new Intl.NumberFormat().format(12345));
  });
});
