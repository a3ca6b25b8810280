import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCALES, isRightToLeft, localeOf } from '../../src/i18n/locale.ts';
import * as english from '../../src/i18n/strings.ts';
import { ratingStrings } from '../../src/i18n/rating-strings.ts';
import { emailSignInStrings } from '../../src/i18n/email-sign-in-strings.ts';
import { attachmentStrings } from '../../src/i18n/attachment-strings.ts';
import { attachmentViewStrings } from '../../src/i18n/attachment-view-strings.ts';
import { settingsStrings } from '../../src/i18n/settings-strings.ts';
import { quickRepliesStrings } from '../../src/i18n/quick-replies-strings.ts';
import type { ConsoleTranslation, Translated, WidgetTranslation } from '../../src/i18n/translations.ts';
import { OPEN_LABELS } from '../../src/i18n/open-labels.ts';
import { UNREAD_LABELS } from '../../src/i18n/unread-labels.ts';

const ENGLISH: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  status: english.statusStrings,
  composer: english.composerStrings,
  conversationList: english.conversationListStrings,
  thread: english.threadStrings,
  launcher: english.launcherStrings,
  rating: ratingStrings,
  emailSignIn: emailSignInStrings,
  attachments: attachmentStrings,
  attachmentView: attachmentViewStrings,
  quickReplies: quickRepliesStrings,
  inbox: english.inboxStrings,
  settings: settingsStrings,
};

/** Every shipped translation, by the locale files' names. */
async function allTranslations(): Promise<ReadonlyMap<Translated, { widget: WidgetTranslation; console: ConsoleTranslation }>> {
  const result = new Map<Translated, { widget: WidgetTranslation; console: ConsoleTranslation }>();
  for (const locale of LOCALES) {
    if (locale === 'en') continue;
    const widget = (await import(`../../src/i18n/locales/${locale}.widget.ts`) as { default: WidgetTranslation }).default;
    const consoleTables = (await import(`../../src/i18n/locales/${locale}.console.ts`) as { default: ConsoleTranslation }).default;
    result.set(locale, { widget, console: consoleTables });
  }
  return result;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('translations', () => {
  it('ship every language Parley names, English built in, and load each through the element layer', async () => {
    const { translationPending, translatedTable } = await import('../../src/i18n/translations.ts');
    await import('../../src/i18n/console-translations.ts');
    for (const locale of LOCALES) {
      if (locale === 'en') continue;
      await translationPending(locale, 'launcher');
      await translationPending(locale, 'inbox');
      assert.ok(translatedTable(locale, 'launcher')?.['open'], `${locale}: the widget's tables load`);
      assert.ok(translatedTable(locale, 'inbox')?.['title'], `${locale}: the console's tables load`);
    }
    assert.equal(translationPending('en', 'launcher'), undefined, 'English is built in');
  });

  it('have every table and key English has, no others, with the same {placeholders}, none empty', async () => {
    for (const [locale, parts] of await allTranslations()) {
      const tables: Record<string, Readonly<Record<string, string>>> = { ...parts.widget, ...parts.console };
      assert.deepEqual(Object.keys(tables).sort(), Object.keys(ENGLISH).sort(), `${locale}: tables`);
      for (const [name, table] of Object.entries(ENGLISH)) {
        const translated = tables[name] ?? {};
        assert.deepEqual(Object.keys(translated).sort(), Object.keys(table).sort(), `${locale}.${name}: keys`);
        for (const [key, value] of Object.entries(table)) {
          const text = translated[key] ?? '';
          assert.notEqual(text.trim(), '', `${locale}.${name}.${key} is empty`);
          assert.deepEqual(placeholders(text), placeholders(value), `${locale}.${name}.${key}: placeholders`);
          assert.equal(text.split('|').length, value.split('|').length, `${locale}.${name}.${key}: as many |-separated parts`);
        }
      }
    }
  });

  it('are translated, not English copies (a few words may read the same)', async () => {
    for (const [locale, parts] of await allTranslations()) {
      const tables: Record<string, Readonly<Record<string, string>>> = { ...parts.widget, ...parts.console };
      let same = 0;
      let total = 0;
      for (const [name, table] of Object.entries(ENGLISH)) {
        for (const [key, value] of Object.entries(table)) {
          total++;
          if (tables[name]?.[key] === value) same++;
        }
      }
      assert.ok(same / total < 0.1, `${locale}: ${same} of ${total} strings are the English text`);
    }
  });

  it('give the embed\'s bubble (before the chat loads) the same name as the launcher', async () => {
    assert.equal(OPEN_LABELS.en, english.launcherStrings.open);
    for (const [locale, parts] of await allTranslations()) assert.equal(OPEN_LABELS[locale], parts.widget.launcher.open, locale);
    assert.equal(UNREAD_LABELS.en, english.launcherStrings.unread);
    for (const [locale, parts] of await allTranslations()) assert.equal(UNREAD_LABELS[locale], parts.widget.launcher.unread, locale);
  });

  it('pick the shipped language of a tag, English for the rest', () => {
    assert.equal(localeOf('de-CH'), 'de');
    assert.equal(localeOf('pt_BR'), 'pt');
    assert.equal(localeOf('AR'), 'ar');
    assert.equal(localeOf('zh-Hans'), 'en');
    assert.equal(localeOf(''), 'en');
    assert.equal(localeOf(undefined), 'en');
    assert.equal(isRightToLeft(localeOf('ar-EG')), true);
    assert.equal(isRightToLeft(localeOf('ja')), false);
  });
});
