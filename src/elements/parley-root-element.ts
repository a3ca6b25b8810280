import { property } from 'lit/decorators.js';
import type { SupabaseClient } from '@supabase/supabase-js';
import { ParleyElement } from './parley-element.ts';
import type {
  ComposerStrings, ConversationListStrings, StatusStrings, StringTable, ThreadStrings,
} from '../i18n/strings.ts';
import { rootSession, type Session, type SessionOptions } from '../session/index.ts';
import { projectUrlOf } from '../session/ui-state.ts';

/** String overrides for the elements a root renders inside it, by element. */
export interface ElementStrings {
  readonly status?: Partial<StatusStrings>;
  readonly thread?: Partial<ThreadStrings>;
  readonly composer?: Partial<ComposerStrings>;
  /** Only the inbox has a conversation list. */
  readonly conversationList?: Partial<ConversationListStrings>;
}

/** What a root adds to the session its properties describe (storage, typing name, auth scope). */
export type RootSessionOptions = Omit<SessionOptions, 'client' | 'supabaseUrl' | 'supabaseKey' | 'accessToken'>;

/**
 * The base of the root elements, `<parley-launcher>` and `<parley-inbox>`: each owns one session
 * (STYLE.md §8), and these properties say where it comes from — a Supabase project by URL and key,
 * or the page's own supabase-js client, optionally with the page's own access tokens.
 *
 * @property {SupabaseClient} client - A supabase-js client of the host page, used instead of
 *   creating one from `supabase-url` and `supabase-key`.
 */
export abstract class ParleyRootElement<S extends StringTable = StringTable> extends ParleyElement<S> {
  /** The Supabase project URL (used only when no `client` is given). */
  @property({ attribute: 'supabase-url' }) accessor supabaseUrl = '';

  /** The project's anon (publishable) key (used only when no `client` is given). */
  @property({ attribute: 'supabase-key' }) accessor supabaseKey = '';

  /**
   * How live changes arrive: `postgres-changes` (the default, Supabase Postgres Changes) or
   * `broadcast`, scale mode for projects whose Realtime has outgrown Postgres Changes: Broadcast
   * from Database on private topics authorized once per join (the project needs Parley's
   * migrations, nothing else). Read when the session starts.
   */
  @property() accessor realtime: 'postgres-changes' | 'broadcast' = 'postgres-changes';

  /** A host-provided supabase-js client: used as is (same sign-in) and never disposed. Read when the session starts. */
  @property({ attribute: false }) accessor client: SupabaseClient | undefined;

  /**
   * A host-issued access token (Supabase third-party auth), called for every request instead of
   * Parley's own sign-in (anonymous for the launcher, the form for the inbox). Read when the session starts.
   */
  @property({ attribute: false }) accessor accessToken: (() => Promise<string | null>) | undefined;

  /**
   * Overrides for the visible strings of the elements inside (`status`, `thread`, `composer`, and
   * the inbox's `conversationList`), so every string the root shows can be translated:
   * `{ composer: { placeholder: 'Écrivez un message…' }, thread: { seen: 'Vu' } }`.
   */
  @property({ attribute: false }) accessor elementStrings: ElementStrings | undefined;

  /** The Supabase project these properties name (the host client's, when given): what per-project storage is keyed by. */
  protected get projectUrl(): string {
    return projectUrlOf(this);
  }

  /** The session these properties describe. Throws a TypeError without a `client` or a project. */
  protected createRootSession(options: RootSessionOptions): Session {
    if (this.client) return rootSession({ client: this.client, realtime: this.realtime, ...options });
    return rootSession({
      realtime: this.realtime,
      supabaseUrl: this.supabaseUrl,
      supabaseKey: this.supabaseKey,
      ...(this.accessToken ? { accessToken: this.accessToken } : {}),
      ...options,
    });
  }
}
