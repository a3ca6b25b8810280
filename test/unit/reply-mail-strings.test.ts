// The reply email's text tables (supabase/worker/reply-mail/mail-strings.ts): every shipped language,
// the same {placeholders} as English, none empty; tags resolve to a table, English for the rest; a
// placeholder inside a value is left as typed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCALES } from '../../src/i18n/locale.ts';
import { MAIL_STRINGS, fill, mailLanguage } from '../../supabase/worker/reply-mail/mail-strings.ts';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('reply email strings', () => {
  it('cover every shipped language with English\'s keys and placeholders, none empty', () => {
    assert.deepEqual(Object.keys(MAIL_STRINGS).sort(), [...LOCALES].sort());
    for (const [locale, table] of Object.entries(MAIL_STRINGS)) {
      assert.deepEqual(Object.keys(table).sort(), Object.keys(MAIL_STRINGS.en).sort(), locale);
      for (const [key, english] of Object.entries(MAIL_STRINGS.en)) {
        const text = (table as unknown as Record<string, string>)[key] ?? '';
        assert.notEqual(text.trim(), '', `${locale}.${key} is empty`);
        assert.deepEqual(placeholders(text), placeholders(english), `${locale}.${key}: placeholders`);
        if (locale !== 'en') assert.notEqual(text, english, `${locale}.${key} is still English`);
      }
    }
  });

  it('resolve a workspace language tag to a table, right to left for Arabic, English otherwise', () => {
    assert.deepEqual([mailLanguage('pt-BR').locale, mailLanguage('DE').locale, mailLanguage('ar-EG').dir], ['pt', 'de', 'rtl']);
    for (const tag of [null, undefined, '', 'zh', 'english']) assert.deepEqual(mailLanguage(tag).locale, 'en', String(tag));
    assert.equal(mailLanguage('ja').dir, 'ltr');
  });

  it('fill only the template\'s placeholders, never ones inside a value', () => {
    assert.equal(fill(MAIL_STRINGS.en.subject, { brand: '{link} & co' }), 'New reply from {link} & co');
    assert.equal(fill('{a} {b}', { a: 1 }), '1 {b}');
  });
});
