/**
 * Translated string tables, fetched per language and per root: a visitor's widget loads only the
 * widget's tables of its own language, the console adds its own. Elements wait for their table
 * before rendering (parley-element.ts); one that failed to arrive reads as English.
 */
import type { Locale } from './locale.ts';
import type {
  ComposerStrings, ConversationListStrings, InboxStrings, LauncherStrings, StatusStrings, ThreadStrings,
} from './strings.ts';
import type { RatingStrings } from './rating-strings.ts';
import type { QuickRepliesStrings } from './quick-replies-strings.ts';
import type { AttachmentStrings } from './attachment-strings.ts';
import type { AttachmentViewStrings } from './attachment-view-strings.ts';
import type { EmailSignInStrings } from './email-sign-in-strings.ts';
import type { SettingsStrings } from './settings-strings.ts';

/** Every string of the elements a visitor's widget shows. */
export interface WidgetTranslation {
  readonly status: StatusStrings;
  readonly composer: ComposerStrings;
  readonly conversationList: ConversationListStrings;
  readonly thread: ThreadStrings;
  readonly launcher: LauncherStrings;
  /** The CSAT card (loaded on demand; its table comes with the widget's). */
  readonly rating: RatingStrings;
  /** The continue-by-email form (loaded on demand; its table comes with the widget's). */
  readonly emailSignIn: EmailSignInStrings;
  /** The composer's file chips (loaded on demand; its table comes with the widget's). */
  readonly attachments: AttachmentStrings;
  /** Thumbnails, file cards and the image viewer in the thread (loaded on demand; the table comes with the widget's). */
  readonly attachmentView: AttachmentViewStrings;
  /** Quick reply buttons under a bot or team message (loaded on demand; the table comes with the widget's). */
  readonly quickReplies: QuickRepliesStrings;
}

/** Every string only the agent console shows (its children borrow the widget's tables). */
export interface ConsoleTranslation {
  readonly inbox: InboxStrings;
  readonly settings: SettingsStrings;
}

export type StringTableName = keyof WidgetTranslation | keyof ConsoleTranslation;
type Part = 'widget' | 'console';
export type Translated = Exclude<Locale, 'en'>;

const PART_OF: Readonly<Record<StringTableName, Part>> = {
  status: 'widget', composer: 'widget', conversationList: 'widget', thread: 'widget', launcher: 'widget', rating: 'widget', emailSignIn: 'widget', attachments: 'widget', attachmentView: 'widget', quickReplies: 'widget',
  inbox: 'console', settings: 'console',
};

type Loader = () => Promise<{ default: object }>;

// Literal import() calls, so bundlers make one chunk per language and part. The console's are
// registered by its own elements (console-translations.ts), so a visitor's bundle never names them.
const LOADERS: Record<Part, Partial<Record<Translated, Loader>>> = {
  widget: {
    de: () => import('./locales/de.widget.ts'),
    fr: () => import('./locales/fr.widget.ts'),
    es: () => import('./locales/es.widget.ts'),
    pt: () => import('./locales/pt.widget.ts'),
    ar: () => import('./locales/ar.widget.ts'),
    ja: () => import('./locales/ja.widget.ts'),
  },
  console: {},
};

/** Makes the console's tables loadable (its elements call this when their module loads). */
export function registerConsoleTranslations(loaders: Readonly<Record<Translated, () => Promise<{ default: ConsoleTranslation }>>>): void {
  LOADERS.console = loaders;
}

type AnyTable = Readonly<Record<string, string>>;

const loaded = new Map<string, Readonly<Partial<Record<StringTableName, AnyTable>>>>();
const loading = new Map<string, Promise<void>>();
/** Parts that failed to load: English for the rest of the page's life, not a retry per render. */
const failed = new Set<string>();

/**
 * The fetch of `table` in `locale` while it is under way (started here when it has not been), or
 * undefined once it arrived, failed, or is English: an element awaits it before rendering, so the
 * page does not see English first.
 */
export function translationPending(locale: Locale, table: StringTableName): Promise<void> | undefined {
  if (locale === 'en') return undefined;
  const part = PART_OF[table];
  const key = `${locale}:${part}`;
  if (loaded.has(key) || failed.has(key)) return undefined;
  let promise = loading.get(key);
  if (!promise) {
    const load = LOADERS[part][locale];
    if (!load) return undefined;
    promise = load().then(
      (module) => {
        loaded.set(key, module.default as Partial<Record<StringTableName, AnyTable>>);
      },
      () => {
        failed.add(key);
      },
    ).finally(() => loading.delete(key));
    loading.set(key, promise);
  }
  return promise;
}

/** The `table` of `locale` once it has arrived; undefined while it is English, loading or failed. */
export function translatedTable(locale: Locale, table: StringTableName): AnyTable | undefined {
  return locale === 'en' ? undefined : loaded.get(`${locale}:${PART_OF[table]}`)?.[table];
}
