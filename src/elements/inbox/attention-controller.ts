/**
 * The console's attention (STYLE.md §9): the unread count in the tab title and favicon, and for
 * what is new (src/attention/arrivals.ts) a sound and a desktop notification, from the one console
 * tab of this agent that holds the lock ({@link TabLeader}). A message in the conversation the agent
 * is looking at rings nothing while the tab is visible. Each channel is the agent's choice, kept
 * per agent ({@link readPreferences}). Everything comes from stores the console already follows.
 */
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import { arrivals, watermark, type Arrival } from '../../attention/arrivals.ts';
import { TitleBadger } from '../../attention/badger.ts';
import { TabLeader } from '../../attention/leader.ts';
import { Notifier, type NotificationPermissionState } from '../../attention/notifier.ts';
import {
  DEFAULT_PREFERENCES, preferencesKey, readPreferences, writePreferences, type AttentionChannel, type AttentionPreferences,
} from '../../attention/preferences.ts';
import { ToneSink, type AudioSink } from '../../attention/sound.ts';
import { formatString, type InboxStrings } from '../../i18n/strings.ts';
import type { Session } from '../../session/index.ts';
import { unreadBesides, type ConversationMap, type InboxState } from '../../state/index.ts';
import { customerLabel } from '../customer-label.ts';
import { attentionSettings } from './attention-settings.ts';

export interface AttentionControllerOptions {
  /** The signed-in console's session and inbox; undefined while nobody is signed in. */
  readonly session: () => Session | undefined;
  readonly inbox: () => InboxState | undefined;
  readonly userId: () => string | null;
  readonly projectUrl: () => string;
  /** The conversation the agent is looking at. */
  readonly conversationId: () => string | null;
  /** The conversation read on screen (open on a visible page): the tab's count leaves it out. */
  readonly reading: () => string | null;
  readonly text: () => InboxStrings;
  readonly language: () => string;
  /** Where sounds go; null for the default synthesized tone. */
  readonly sink: () => AudioSink | null;
  /** A notification was clicked: show that conversation. */
  readonly open: (conversationId: string) => void;
}

function safeStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export class AttentionController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: AttentionControllerOptions;
  readonly #badger = new TitleBadger();
  readonly #notifier: Notifier;
  #tone: ToneSink | null = null;
  #key: string | null = null;
  #session: Session | undefined;
  #leader: TabLeader | null = null;
  #unlisten: (() => void)[] = [];
  #unwatch = (): void => undefined;
  #preferences: AttentionPreferences = DEFAULT_PREFERENCES;
  /** The map as of the last look, once the first page loaded (undefined before). */
  #held: ConversationMap | undefined;
  #since: string | null = null;

  constructor(host: ReactiveControllerHost, options: AttentionControllerOptions, notifier = new Notifier()) {
    this.#host = host;
    this.#options = options;
    this.#notifier = notifier;
    host.addController(this);
  }

  get preferences(): AttentionPreferences {
    return this.#preferences;
  }

  /** This tab is the one of the agent's console tabs that rings. */
  get leading(): boolean {
    return this.#leader?.leader ?? false;
  }

  hostUpdated(): void {
    const session = this.#options.session();
    const inbox = this.#options.inbox();
    const userId = this.#options.userId();
    const key = session && inbox && userId ? preferencesKey(this.#options.projectUrl(), userId) : null;
    if (key !== this.#key || session !== this.#session) {
      this.#stop();
      if (session && inbox && key) this.#start(session, inbox, key);
    }
    this.#badge();
  }

  hostConnected(): void {
    globalThis.addEventListener?.('storage', this.#onStorage);
    this.#unwatch = this.#notifier.watch(() => this.#host.requestUpdate());
  }

  hostDisconnected(): void {
    globalThis.removeEventListener?.('storage', this.#onStorage);
    this.#unwatch();
    this.#stop();
    this.#tone?.dispose();
    this.#tone = null;
  }

  /** The header's settings (three switches). */
  settings(t: InboxStrings): TemplateResult {
    return attentionSettings({
      t, preferences: this.#preferences, permission: this.#notifier.permission,
      onToggle: (channel, on) => void this.#toggle(channel, on),
    });
  }

  /** The agent changed a setting in another console tab: the leader may be this one. */
  readonly #onStorage = (event: StorageEvent): void => {
    if (!this.#key || event.key !== this.#key) return;
    this.#preferences = readPreferences(safeStorage(), this.#key);
    this.#badge();
    this.#host.requestUpdate();
  };

  #start(session: Session, inbox: InboxState, key: string): void {
    this.#key = key;
    this.#session = session;
    this.#preferences = readPreferences(safeStorage(), key);
    const leader = new TabLeader(key);
    this.#leader = leader;
    leader.start();
    const { $conversations, $unread } = session.state;
    const baseline = (): void => {
      if (this.#held !== undefined || inbox.$listStatus.get().loading) return;
      this.#held = $conversations.get();
      this.#since = watermark(this.#held);
    };
    this.#unlisten = [
      inbox.$listStatus.listen(baseline),
      $conversations.listen((map) => {
        if (this.#held === undefined) return;
        const found = arrivals(this.#held, map, this.#since);
        this.#held = map;
        if (found.length > 0) this.#ring(found, map);
      }),
      $unread.listen(() => this.#badge()),
    ];
    baseline();
  }

  #stop(): void {
    for (const unlisten of this.#unlisten) unlisten();
    this.#unlisten = [];
    this.#leader?.stop();
    this.#leader = null;
    this.#badger.restore();
    this.#key = null;
    this.#session = undefined;
    this.#held = undefined;
    this.#since = null;
  }

  #badge(): void {
    const unread = this.#session?.state.$unread.get();
    const count = unread ? unreadBesides(unread, this.#options.reading()).total : 0;
    if (!this.#preferences.title || count === 0) {
      this.#badger.restore();
      return;
    }
    const t = this.#options.text();
    const language = this.#options.language();
    this.#badger.show(count, (n, title) => formatString(t.unreadTitle, { count: n, title }, language));
  }

  #ring(found: readonly Arrival[], map: ConversationMap): void {
    if (!this.leading) return;
    const looking = document.visibilityState === 'visible' ? this.#options.conversationId() : null;
    const news = found.filter((a) => a.kind === 'conversation' || a.conversationId !== looking);
    const first = news.find((a) => a.kind === 'conversation') ?? news[0];
    if (!first) return;
    const p = this.#preferences;
    if (p.sound) (this.#options.sink() ?? (this.#tone ??= new ToneSink())).play(first.kind);
    if (!p.notifications) return;
    const t = this.#options.text();
    const language = this.#options.language();
    for (const arrival of news) {
      const row = map[arrival.conversationId];
      if (!row) continue;
      const name = customerLabel(row.customer, row.customer_id, t.visitor, language);
      const id = arrival.conversationId;
      this.#notifier.show({
        title: formatString(arrival.kind === 'conversation' ? t.newConversation : t.newMessage, { name }, language),
        body: row.last_message_preview ?? '',
        tag: `parley-${id}`,
        onClick: () => this.#options.open(id),
      });
    }
  }

  async #toggle(channel: AttentionChannel, on: boolean): Promise<void> {
    // Asked here, in the click's task: browsers ignore a permission request without a user gesture.
    const allowed = channel === 'notifications' && on ? await this.#notifier.request() : true;
    this.#preferences = Object.freeze({ ...this.#preferences, [channel]: on && allowed });
    if (this.#key) writePreferences(safeStorage(), this.#key, this.#preferences);
    this.#badge();
    this.#host.requestUpdate();
  }

  /** Where notifications stand in the browser (tests, the settings). */
  get permission(): NotificationPermissionState {
    return this.#notifier.permission;
  }
}
