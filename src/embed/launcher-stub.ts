/**
 * The `<parley-launcher>` a site gets from `dist/parley.js`: a dependency-free custom element (no
 * Lit, no supabase-js) that draws the same bubble as the full launcher and loads the full one, with
 * the chat panel and supabase-js, only when it is needed (ARCHITECTURE.md, "Loading"):
 * - on the first open (bubble click, `open` attribute or property, `show()`);
 * - when a returning visitor (this browser holds a visitor session for the project) gets a reply:
 *   until then, from idle on, a worker watches their conversations off the page's main thread
 *   (watcher.ts) and the stub draws the unread badge; where no worker can run, the full launcher
 *   connects on idle instead;
 * - at once when the visitor left the panel open before reloading this tab (one sessionStorage key),
 *   or the page was opened from a reply email's link (`#parley-conversation=…`).
 * Until then it reads those two keys and writes nothing, and makes no request.
 *
 * The full launcher is mounted inside this element's shadow root under an internal tag (see
 * app.ts). This module talks to it only through the full launcher's public surface (attributes,
 * `open`, `client`, `strings`, `accessToken`, `show()`, `hide()`, its CSS parts), so it keeps
 * working while that element changes.
 */
import { BASE_POSITION_CSS, BUBBLE_CSS, BUBBLE_ICON_PATH } from '../elements/launcher/bubble.ts';
import type { ParleyLauncher } from '../elements/launcher/launcher.ts';
import { hasVisitorSession, paintRememberedColors, whenIdle, type Idle } from '../session/storage-key.ts';
import { projectUrlOf, readLauncherUi } from '../session/ui-state.ts';
import { checkIdentify, type IdentifyInput } from '../session/identify-input.ts';
import { CommandQueue } from './queue.ts';
import type { Watch, WatchNext } from './watcher.ts';
import { localeOf } from '../i18n/locale.ts';
import { OPEN_LABELS } from '../i18n/open-labels.ts';
import { tokenDeclarations } from '../theme/tokens.ts';

/** What the lazily loaded chunk provides: the tag it defined the full launcher under. */
export interface LauncherApp {
  readonly appTag: string;
}

/** Properties without an attribute, handed to the full launcher as they are. */
const FORWARDED_PROPERTIES = ['client', 'strings', 'elementStrings', 'accessToken'] as const;
type ForwardedProperty = (typeof FORWARDED_PROPERTIES)[number];

/**
 * Attributes that describe this element in the page rather than configure the widget; the rest
 * (`supabase-url`, `supabase-key`, `theme`, `realtime`, `lang`, `dir` and any the full launcher gains) are copied.
 */
const LOCAL_ATTRIBUTE = /^(?:id|class|style|slot|part|exportparts|hidden|open|tabindex|role|inert|title|popover|autofocus|nonce|aria-.*|on.*|data-.*)$/;

/** The full launcher's documented parts; any other part it renders is exported when it appears. */
const APP_PARTS = ['base', 'bubble', 'badge', 'panel', 'header', 'close-button'];


/** The full launcher's host, base and bubble rules (shared through bubble.ts). */
const CSS = `@layer parley {
:host { display: block; }
.base {
  ${tokenDeclarations('sizes', ['focus-ring-color'])}
  ${tokenDeclarations('light', ['accent', 'on-accent'])}
  ${BASE_POSITION_CSS}
}
@media (prefers-color-scheme: dark) {
  :host(:not([theme='light'])) .base { ${tokenDeclarations('dark', ['accent', 'on-accent'])} }
}
:host([theme='dark']) .base { ${tokenDeclarations('dark', ['accent', 'on-accent'])} }
${BUBBLE_CSS}
}
:host([hidden]), [hidden] { display: none !important; }`;

let sheet: CSSStyleSheet | undefined;

/**
 * @summary The visitor's chat launcher as a tiny first load: the bubble now, the chat panel and
 * supabase-js on first open (or on idle for a returning visitor).
 *
 * Same attributes, properties, methods and CSS parts as the full `ParleyLauncher`; once loaded, the
 * full launcher's parts are exported through this element.
 *
 * @csspart base - The fixed-position container.
 * @csspart bubble - The round open/close button.
 */
export class ParleyLauncherStub extends HTMLElement {
  static readonly observedAttributes = ['open'];

  /** Loads the full launcher's chunk; replaceable (tests, hosts that serve the chunk elsewhere). */
  static loadApp: () => Promise<LauncherApp> = () => import('./app.ts');

  /** Loads the returning visitor's watch (a chunk of its own, so a first visit carries none of it). */
  static loadWatch: () => Promise<{ watch: Watch }> = () => import('./watcher.ts');

  /** Registers the class under `tag` unless the tag is taken (a second copy of the embed on one page). */
  static define(tag: string, registry: CustomElementRegistry = customElements): void {
    if (!registry.get(tag)) registry.define(tag, this);
  }

  readonly #root: ShadowRoot;
  readonly #base: HTMLElement;
  readonly #bubble: HTMLButtonElement;
  readonly #internals: ElementInternals | undefined;
  readonly #properties = new Map<ForwardedProperty, unknown>();
  #app: ParleyLauncher | undefined;
  #loading: Promise<ParleyLauncher> | undefined;
  #idle: Idle | undefined;
  /** A watch is starting or running (until it ends, or the full launcher takes over). */
  #watching = false;
  #stopWatch: (() => void) | null = null;
  /** The watch's unread count, and what the bubble's name gains for it (", 3 unread"; empty at zero). */
  #unread = 0;
  #unreadLabel = '';
  readonly #queue = new CommandQueue<ParleyLauncher>();

  constructor() {
    super();
    this.#internals = this.attachInternals?.();
    this.#root = this.attachShadow({ mode: 'open' });
    if (this.#root.adoptedStyleSheets) {
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
      }
      this.#root.adoptedStyleSheets = [sheet];
    } else {
      const style = document.createElement('style');
      style.textContent = CSS;
      this.#root.append(style);
    }
    this.#base = document.createElement('div');
    this.#base.className = 'base';
    this.#base.setAttribute('part', 'base');
    this.#bubble = document.createElement('button');
    this.#bubble.className = 'bubble';
    this.#bubble.type = 'button';
    this.#bubble.setAttribute('part', 'bubble');
    this.#bubble.setAttribute('aria-controls', 'panel');
    this.#bubble.setAttribute('aria-haspopup', 'dialog');
    this.#bubble.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="${BUBBLE_ICON_PATH}"></path></svg>`;
    this.#bubble.addEventListener('click', () => {
      this.open = !this.open;
    });
    this.#base.append(this.#bubble);
    this.#root.append(this.#base);
    this.#label();
  }

  connectedCallback(): void {
    // Values a page set before this element was defined sit on the instance and would hide the accessors.
    for (const name of [...FORWARDED_PROPERTIES, 'supabaseUrl', 'supabaseKey', 'theme', 'realtime', 'open'] as const) {
      if (Object.hasOwn(this, name)) {
        const value: unknown = this[name];
        Reflect.deleteProperty(this, name);
        (this as Record<typeof name, unknown>)[name] = value;
      }
    }
    // A reload of this tab with the panel open opens it again at once (one sessionStorage read).
    const project = projectUrlOf({ client: this.client, supabaseUrl: this.supabaseUrl });
    // The workspace's accent colour as last read, before the chat's code loads.
    if (project) paintRememberedColors(this, project);
    // So does a reply email's link back (`#parley-conversation=…`, read by the full launcher).
    if (!this.open && ((project && readLauncherUi(project).open) || location.hash.includes('parley-conversation='))) this.open = true;
    if (this.open) {
      this.#load().catch(() => undefined);
    } else if (!this.client && this.supabaseUrl && hasVisitorSession(this.supabaseUrl)) {
      // A returning visitor: watched while closed, so replies that came in meanwhile badge the bubble.
      this.#idle ??= whenIdle(() => {
        this.#idle = undefined;
        if (this.isConnected && !this.open && !this.#app && !this.#watching) this.#watch();
      });
    }
  }

  disconnectedCallback(): void {
    this.#idle?.cancel();
    this.#idle = undefined;
    this.#endWatch();
  }

  attributeChangedCallback(): void {
    const open = this.hasAttribute('open');
    this.#label();
    this.#internals?.states?.[open ? 'add' : 'delete']('open');
    if (this.#app) this.#app.open = open;
    else if (open && this.isConnected) this.#load().catch(() => undefined);
  }

  /** The Supabase project URL (used only when no `client` is given). */
  get supabaseUrl(): string {
    return this.getAttribute('supabase-url') ?? '';
  }
  set supabaseUrl(value: string) {
    this.setAttribute('supabase-url', value);
  }

  /** The project's anon (publishable) key (used only when no `client` is given). */
  get supabaseKey(): string {
    return this.getAttribute('supabase-key') ?? '';
  }
  set supabaseKey(value: string) {
    this.setAttribute('supabase-key', value);
  }

  /** `light` or `dark` forces a colour scheme; without it the widget follows `prefers-color-scheme`. */
  get theme(): 'light' | 'dark' | undefined {
    const theme = this.getAttribute('theme');
    return theme === 'light' || theme === 'dark' ? theme : undefined;
  }
  set theme(value: 'light' | 'dark' | undefined) {
    if (value) this.setAttribute('theme', value);
    else this.removeAttribute('theme');
  }

  /** `broadcast` for scale mode (see `ParleyLauncher.realtime`); `postgres-changes` by default. */
  get realtime(): 'postgres-changes' | 'broadcast' {
    return this.getAttribute('realtime') === 'broadcast' ? 'broadcast' : 'postgres-changes';
  }
  set realtime(value: 'postgres-changes' | 'broadcast') {
    this.setAttribute('realtime', value);
  }

  /** Whether the panel is open; reflected. Opening the first time loads the chat. */
  get open(): boolean {
    return this.hasAttribute('open');
  }
  set open(value: boolean) {
    this.toggleAttribute('open', Boolean(value));
  }

  /** A host-provided supabase-js client (see `ParleyLauncher.client`). */
  get client(): ParleyLauncher['client'] {
    return this.#get('client') as ParleyLauncher['client'];
  }
  set client(value: ParleyLauncher['client']) {
    this.#set('client', value);
  }

  /** Overrides for the launcher's visible strings (see `ParleyLauncher.strings`). */
  get strings(): ParleyLauncher['strings'] {
    return this.#get('strings') as ParleyLauncher['strings'];
  }
  set strings(value: ParleyLauncher['strings']) {
    this.#set('strings', value);
    this.#label();
  }

  /** Overrides for the strings of the elements inside (see `ParleyLauncher.elementStrings`). */
  get elementStrings(): ParleyLauncher['elementStrings'] {
    return this.#get('elementStrings') as ParleyLauncher['elementStrings'];
  }
  set elementStrings(value: ParleyLauncher['elementStrings']) {
    this.#set('elementStrings', value);
  }

  /** A host-issued access token callback, handed to the full launcher as is. */
  get accessToken(): (() => Promise<string | null>) | undefined {
    return this.#get('accessToken') as (() => Promise<string | null>) | undefined;
  }
  set accessToken(value: (() => Promise<string | null>) | undefined) {
    this.#set('accessToken', value);
  }

  /** Opens the panel (loading the chat first if needed) and moves focus into it. */
  show(): void {
    this.open = true;
  }

  /** Closes the panel; focus inside it returns to the bubble. */
  hide(): void {
    this.open = false;
  }

  /**
   * Tells the team who the visitor is (see `ParleyLauncher.identify`). Checked now (a TypeError for
   * bad input, nothing kept); before the chat is loaded the call is kept and replayed, in order, once
   * it is. Never loads the chat by itself.
   */
  identify(input: IdentifyInput): void {
    checkIdentify(input);
    const copy = { ...input };
    this.#queue.run((app) => app.identify(copy));
    // A watched visitor has a conversation, so the identity is written now, as a connected launcher does.
    if (this.#watching) this.#connect();
  }

  /**
   * Loads the chat without opening it (for example on hover, to open faster); resolves with the
   * full launcher once it is mounted.
   */
  load(): Promise<ParleyLauncher> {
    return this.#load();
  }

  #get(name: ForwardedProperty): unknown {
    return this.#app ? (this.#app as unknown as Record<string, unknown>)[name] : this.#properties.get(name);
  }

  #set(name: ForwardedProperty, value: unknown): void {
    this.#properties.set(name, value);
    if (this.#app) (this.#app as unknown as Record<string, unknown>)[name] = value;
  }

  #language(): string {
    return this.closest<HTMLElement>('[lang]')?.lang || navigator.language;
  }

  #label(): void {
    this.#bubble.setAttribute('aria-label', (this.strings?.open ?? OPEN_LABELS[localeOf(this.#language())]) + this.#unreadLabel);
    this.#bubble.setAttribute('aria-expanded', String(this.open));
  }

  /**
   * The returning visitor's watch (watcher.ts), unless the full launcher has to connect: a host's
   * token or a queued identify() (the full launcher writes them), or the watch cannot run.
   */
  #watch(): void {
    if (this.#properties.has('accessToken') || this.#queue.size > 0) return this.#connect();
    this.#watching = true;
    ParleyLauncherStub.loadWatch().then(({ watch }) => {
      if (this.#watching) {
        this.#stopWatch = watch(this, this.#bubble, (label, count) => {
          this.#unreadLabel = label;
          this.#unread = count;
          this.#label();
        }, (next) => this.#afterWatch(next));
      }
    }, () => this.#afterWatch('connect'));
  }

  /** `reply`: hand over (the watch runs until the full launcher is mounted); `connect`: connect that instead; `end`: stay a bubble. */
  #afterWatch(next: WatchNext): void {
    if (next !== 'reply') this.#endWatch();
    if (next !== 'end') this.#connect(next === 'reply');
  }

  #endWatch(): void {
    this.#watching = false;
    this.#stopWatch?.();
    this.#stopWatch = null;
  }

  /**
   * Loads the full launcher and connects it, closed (its bubble badges replies from then on);
   * `reply`: the watch heard the team write, which the full launcher alerts as its own.
   */
  #connect(reply = false): void {
    this.#load().then((app) => app.connect(reply, this.#unread), () => undefined);
  }

  #load(): Promise<ParleyLauncher> {
    this.#loading ??= ParleyLauncherStub.loadApp().then(
      (module) => this.#mount(module.appTag),
      (error: unknown) => {
        // A failed chunk load (offline, a deploy in between): back to a closed bubble that can try again.
        this.#loading = undefined;
        this.open = false;
        console.error('<parley-launcher>: the chat could not be loaded', error);
        throw error;
      },
    );
    return this.#loading;
  }

  async #mount(tag: string): Promise<ParleyLauncher> {
    const app = document.createElement(tag) as ParleyLauncher;
    for (const { name, value } of this.attributes) if (!LOCAL_ATTRIBUTE.test(name)) app.setAttribute(name, value);
    // The full launcher formats for the nearest lang, which it cannot find from inside this shadow root.
    const lang = this.closest<HTMLElement>('[lang]')?.lang;
    if (lang && !app.hasAttribute('lang')) app.lang = lang;
    app.setAttribute('exportparts', APP_PARTS.join(', '));
    new MutationObserver((records) => {
      for (const { attributeName: name } of records) {
        if (!name || LOCAL_ATTRIBUTE.test(name)) continue;
        const value = this.getAttribute(name);
        if (value === null) app.removeAttribute(name);
        else app.setAttribute(name, value);
      }
    }).observe(this, { attributes: true });
    // The full launcher closes itself (Escape, close button, its bubble): keep `open` here in step.
    new MutationObserver(() => {
      this.open = app.open;
    }).observe(app, { attributes: true, attributeFilter: ['open'] });
    for (const [name, value] of this.#properties) (app as unknown as Record<string, unknown>)[name] = value;
    this.#root.append(app);
    // It first renders closed: only opening after that moves focus into the panel.
    await app.updateComplete;
    if (app.shadowRoot) {
      new MutationObserver(() => this.#exportParts(app))
        .observe(app.shadowRoot, { childList: true, subtree: true, attributeFilter: ['part'] });
    }
    for (const [name, value] of this.#properties) (app as unknown as Record<string, unknown>)[name] = value;
    this.#app = app;
    // The full launcher takes over: its own session badges the bubble from now on.
    this.#endWatch();
    this.#queue.flush(app);
    const hadFocus = this.#root.activeElement === this.#bubble;
    this.#base.hidden = true;
    if (this.open) app.show();
    else if (hadFocus) app.shadowRoot?.querySelector<HTMLElement>('[part~="bubble"]')?.focus();
    this.#exportParts(app);
    return app;
  }

  /** Exports the documented parts plus any other the full launcher renders now. */
  #exportParts(app: ParleyLauncher): void {
    const parts = new Set(APP_PARTS);
    for (const el of app.shadowRoot?.querySelectorAll('[part]') ?? []) for (const part of el.part) parts.add(part);
    const value = [...parts].join(', ');
    if (app.getAttribute('exportparts') !== value) app.setAttribute('exportparts', value);
  }
}
