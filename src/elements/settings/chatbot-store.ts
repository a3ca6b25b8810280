/**
 * The Chatbot section's logic (issue 17, STYLE.md §7): the chatbot settings form (when new
 * conversations start with the bot, which bot, its name, the webhook's address), the knowledge base
 * (search, the article form, delete), and the webhook credentials, which the database hands out once
 * per rotation and this keeps only until the admin dismisses them. Loaded with the section.
 */
import { atom, type ReadableAtom } from 'nanostores';
import {
  chatbotRuleMessages, parseTags, validateChatbotSettings, validateKnowledgeArticle,
  type ChatbotKind, type ChatbotRuleMessages, type ChatbotStart, type KnowledgeArticleFields,
} from '../../data/chatbot-rules.ts';
import { SettingsForm } from './settings-form.ts';
import { refusedField, type ChatbotCredentials, type ChatbotSource, type KnowledgeArticle } from './settings-source.ts';
import type { LoadPhase } from './settings-store.ts';

export interface ChatbotValues {
  readonly start: ChatbotStart;
  readonly kind: ChatbotKind;
  /** As typed; empty stores none. */
  readonly webhookUrl: string;
  readonly name: string;
}

/** The article being written: `id` null for a new one; tags as typed, comma-separated. */
export interface ArticleValues extends KnowledgeArticleFields {
  readonly id: string | null;
}

const DEFAULT_VALUES: ChatbotValues = { start: 'never', kind: 'builtin', webhookUrl: '', name: 'Assistant' };

export class ChatbotStore {
  readonly #source: ChatbotSource;
  readonly #messages: () => ChatbotRuleMessages;
  readonly #language: () => string;
  readonly #phase = atom<LoadPhase>('idle');
  readonly #loadError = atom<string | null>(null);
  readonly #articles = atom<readonly KnowledgeArticle[]>([]);
  readonly #query = atom('');
  readonly #articleOpen = atom(false);
  readonly #credentials = atom<ChatbotCredentials | null>(null);
  readonly #rotating = atom(false);
  /** Errors of one-click commands by row id (article id, `search`, `rotate`). */
  readonly #rowErrors = atom<Readonly<Record<string, string>>>({});
  readonly #busy = atom<ReadonlySet<string>>(new Set());
  #searchSeq = 0;

  readonly settings = new SettingsForm<ChatbotValues>(DEFAULT_VALUES, (v) => validateChatbotSettings(v, this.#messages()));
  readonly article: SettingsForm<ArticleValues>;

  /** `language`: a new article's language (the workspace's default). */
  constructor(source: ChatbotSource, messages: () => ChatbotRuleMessages = () => chatbotRuleMessages, language: () => string = () => 'en') {
    this.#source = source;
    this.#messages = messages;
    this.#language = language;
    this.article = new SettingsForm<ArticleValues>(this.#emptyArticle(), (v) => validateKnowledgeArticle(v, this.#messages()));
  }

  get $phase(): ReadableAtom<LoadPhase> { return this.#phase; }
  get $loadError(): ReadableAtom<string | null> { return this.#loadError; }
  get $articles(): ReadableAtom<readonly KnowledgeArticle[]> { return this.#articles; }
  get $query(): ReadableAtom<string> { return this.#query; }
  get $articleOpen(): ReadableAtom<boolean> { return this.#articleOpen; }
  /** The credentials of the latest rotation, until dismissed: nothing can read them back later. */
  get $credentials(): ReadableAtom<ChatbotCredentials | null> { return this.#credentials; }
  get $rotating(): ReadableAtom<boolean> { return this.#rotating; }
  get $rowErrors(): ReadableAtom<Readonly<Record<string, string>>> { return this.#rowErrors; }
  get $busy(): ReadableAtom<ReadonlySet<string>> { return this.#busy; }

  get stores(): ReadableAtom<unknown>[] {
    return [
      this.#phase, this.#loadError, this.#articles, this.#query, this.#articleOpen, this.#credentials, this.#rotating,
      this.#rowErrors, this.#busy, this.settings.$state, this.article.$state,
    ];
  }

  async load(): Promise<void> {
    this.#phase.set('loading');
    this.#loadError.set(null);
    try {
      const [settings, articles] = await Promise.all([this.#source.chatbotSettings(), this.#source.knowledgeArticles()]);
      this.settings.reset({ ...settings, webhookUrl: settings.webhookUrl ?? '' });
      this.#articles.set(articles);
      this.#phase.set('ready');
    } catch (error) {
      this.#loadError.set(refusedField(error).message);
      this.#phase.set('error');
    }
  }

  saveSettings(): Promise<boolean> {
    return this.settings.submit(
      (values) => this.#source.updateChatbotSettings({
        start: values.start, kind: values.kind, name: values.name.trim(),
        webhookUrl: values.webhookUrl.trim() === '' ? null : values.webhookUrl.trim(),
      }),
      (stored) => ({ ...stored, webhookUrl: stored.webhookUrl ?? '' }),
    );
  }

  /** Searches the knowledge base; a slower earlier answer never replaces a newer one. */
  async search(query: string): Promise<void> {
    this.#query.set(query);
    const seq = ++this.#searchSeq;
    try {
      const articles = await this.#source.knowledgeArticles(query.trim());
      if (seq === this.#searchSeq) {
        this.#articles.set(articles);
        this.#clearRowError('search');
      }
    } catch (error) {
      if (seq === this.#searchSeq) this.#rowErrors.set({ ...this.#rowErrors.get(), search: refusedField(error).message });
    }
  }

  openArticle(article: KnowledgeArticle | null): void {
    this.article.reset(article
      ? { id: article.id, question: article.question, answer: article.answer, tags: article.tags.join(', '), language: article.language }
      : this.#emptyArticle());
    this.#articleOpen.set(true);
  }

  closeArticle(): void {
    this.#articleOpen.set(false);
    this.article.reset(this.#emptyArticle());
  }

  async saveArticle(): Promise<boolean> {
    const saved = await this.article.submit(async (values) => {
      const input = { question: values.question.trim(), answer: values.answer, tags: parseTags(values.tags), language: values.language.trim() };
      return values.id === null ? this.#source.createKnowledgeArticle(input) : this.#source.updateKnowledgeArticle(values.id, input);
    });
    if (saved) {
      this.#articleOpen.set(false);
      await this.search(this.#query.get());
    }
    return saved;
  }

  deleteArticle(id: string): Promise<void> {
    return this.#row(id, async () => {
      await this.#source.deleteKnowledgeArticle(id);
      this.#articles.set(this.#articles.get().filter((article) => article.id !== id));
    });
  }

  /** New webhook secret and bot key; the previous ones stop working at once. */
  async rotate(): Promise<void> {
    if (this.#rotating.get()) return;
    this.#rotating.set(true);
    this.#clearRowError('rotate');
    try {
      this.#credentials.set(await this.#source.rotateChatbotCredentials());
    } catch (error) {
      this.#rowErrors.set({ ...this.#rowErrors.get(), rotate: refusedField(error).message });
    } finally {
      this.#rotating.set(false);
    }
  }

  dismissCredentials(): void {
    this.#credentials.set(null);
  }

  #emptyArticle(): ArticleValues {
    return { id: null, question: '', answer: '', tags: '', language: this.#language() };
  }

  #clearRowError(id: string): void {
    const errors = this.#rowErrors.get();
    if (!(id in errors)) return;
    const { [id]: _gone, ...rest } = errors;
    this.#rowErrors.set(rest);
  }

  async #row(id: string, command: () => Promise<void>): Promise<void> {
    if (this.#busy.get().has(id)) return;
    this.#busy.set(new Set([...this.#busy.get(), id]));
    this.#clearRowError(id);
    try {
      await command();
    } catch (error) {
      this.#rowErrors.set({ ...this.#rowErrors.get(), [id]: refusedField(error).message });
    } finally {
      const busy = new Set(this.#busy.get());
      busy.delete(id);
      this.#busy.set(busy);
    }
  }
}
