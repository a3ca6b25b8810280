import { LitElement, css } from 'lit';
import type { CSSResultGroup } from 'lit';
import { property } from 'lit/decorators.js';
import type { ParleyEvent } from './events.ts';
import { isRightToLeft, localeOf, type Locale } from '../i18n/locale.ts';
import { mergeStrings } from '../i18n/strings.ts';
import type { StringTable } from '../i18n/strings.ts';
import { translatedTable, translationPending, type StringTableName } from '../i18n/translations.ts';
import { tokenStyles } from '../theme/tokens.styles.ts';

export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/**
 * Host rules every element shares. `:host` sets only `display` (in the `parley` layer, so any page
 * rule wins); `[hidden]` must win over a page's `display` rule, which is what `!important` inside a
 * shadow root does.
 */
const hostStyles = css`
  @layer parley {
    :host {
      display: block;
    }

    /* Read by screen readers, not shown: labels whose visible cue is elsewhere. */
    .visually-hidden {
      position: absolute;
      inline-size: 1px;
      block-size: 1px;
      margin: -1px;
      padding: 0;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
      border: 0;
    }
  }

  :host([hidden]) {
    display: none !important;
  }
`;

/**
 * The base of every Parley element: shared host styles and design tokens, registration through
 * `define()`, typed `emit()`, overridable strings, theme, direction and language awareness, and
 * custom states (`:state(...)`) through `ElementInternals`.
 *
 * Subclasses put their own CSS in `static css` (the base prepends the host styles and tokens) and
 * their default strings in `defaultStrings`; they render a root element with `class="base"
 * part="base"`, which carries the tokens.
 */
export abstract class ParleyElement<S extends StringTable = StringTable> extends LitElement {
  /** The element's own styles; `styles` prepends host styles and tokens. */
  static css?: CSSResultGroup;

  static override get styles(): CSSResultGroup {
    const own = this.css === undefined ? [] : [this.css];
    return [hostStyles, tokenStyles, ...own];
  }

  /**
   * Registers the class under `tag` unless that tag is already defined (an embed loaded twice, or
   * two bundles on one page), in which case the first definition stays and nothing throws.
   */
  static define(tag: string, registry: CustomElementRegistry = customElements): void {
    if (registry.get(tag)) return;
    registry.define(tag, this as unknown as CustomElementConstructor);
  }

  /** `light` or `dark` forces a colour scheme; without it the element follows `prefers-color-scheme`. */
  @property({ reflect: true }) accessor theme: Theme | undefined;

  /** Overrides for any subset of the element's visible strings (i18n); merged with its English defaults. */
  @property({ attribute: false }) accessor strings: Partial<S> | undefined;

  /** The element's English strings; `strings` overrides them key by key. */
  protected abstract readonly defaultStrings: S;

  /** Which shipped table translates `defaultStrings` (src/i18n/locales); none: English only. */
  protected readonly stringTable: StringTableName | undefined = undefined;

  protected readonly internals: ElementInternals = this.attachInternals();

  #text: { locale: Locale; translated: StringTable | undefined; strings: Partial<S> | undefined; merged: S } | undefined;

  /**
   * Waits for the element's language's table before rendering (fetched the first time an element
   * needs it), so a page in that language never sees English first; a failed fetch renders English.
   */
  protected override scheduleUpdate(): ReturnType<LitElement['scheduleUpdate']> {
    const pending = this.stringTable ? translationPending(localeOf(this.language), this.stringTable) : undefined;
    return pending ? pending.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }

  /** The strings to render: English, then the element's language's table, then `strings`, key by key. */
  protected get text(): S {
    const locale = localeOf(this.language);
    const translated = this.stringTable ? translatedTable(locale, this.stringTable) : undefined;
    const cached = this.#text;
    if (cached && cached.locale === locale && cached.translated === translated && cached.strings === this.strings) return cached.merged;
    const base = translated ? mergeStrings(this.defaultStrings, translated as Partial<S>) : this.defaultStrings;
    const merged = mergeStrings(base, this.strings);
    this.#text = { locale, translated, strings: this.strings, merged };
    return merged;
  }

  /** The writing direction the element is laid out in, inherited from the page (`dir` on any ancestor). */
  protected get direction(): 'ltr' | 'rtl' {
    try {
      return this.matches(':dir(rtl)') ? 'rtl' : 'ltr';
    } catch {
      // Browsers without :dir() (before 2023).
      return getComputedStyle(this).direction === 'rtl' ? 'rtl' : 'ltr';
    }
  }

  /** The language for formatting (numbers, dates): the nearest `lang`, then the document's, then the browser's. */
  protected get language(): string {
    const host = this.closest<HTMLElement>('[lang]');
    return host?.lang || document.documentElement.lang || navigator.language;
  }

  /**
   * `dir` for a root's base when its language is written right to left, so it and its children lay
   * out mirrored even on a left-to-right page; undefined leaves the page's direction.
   */
  protected get languageDirection(): 'rtl' | undefined {
    return isRightToLeft(localeOf(this.language)) ? 'rtl' : undefined;
  }

  /**
   * Dispatches one of Parley's typed events from the host. Returns false when a listener cancelled
   * it (for cancelable request events); the caller then leaves its state as it was.
   */
  protected emit(event: ParleyEvent): boolean {
    return this.dispatchEvent(event);
  }

  /** Adds or removes a custom state, styleable as `:host(:state(name))` and `parley-x:state(name)`. */
  protected setCustomState(name: string, on: boolean): void {
    // CustomStateSet arrived in 2024 (Chrome 125, Safari 17.4, Firefox 126); older browsers go without.
    const states = this.internals.states as CustomStateSet | undefined;
    // Only a real change: every add or delete invalidates the host's style, once per update.
    if (!states || states.has(name) === on) return;
    if (on) states.add(name);
    else states.delete(name);
  }
}
