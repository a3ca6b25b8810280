import { html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { ParleyElement } from '../parley-element.ts';
import { ParleyRetryEvent } from '../events.ts';
import { statusStrings } from '../../i18n/strings.ts';
import type { StatusStrings } from '../../i18n/strings.ts';
import { statusStyles } from './status.styles.ts';

/** The connection vocabulary of the realtime controller (`$connection`). */
export const CONNECTION_STATUSES = ['connecting', 'connected', 'reconnecting', 'polling', 'offline', 'error'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export function isConnectionStatus(value: unknown): value is ConnectionStatus {
  return typeof value === 'string' && (CONNECTION_STATUSES as readonly string[]).includes(value);
}

/**
 * @summary A compact connection indicator: a coloured dot and a human label, announced politely to
 * screen readers when it changes, with a Retry button when the connection failed.
 *
 * `polling` means live updates are paused (WebSockets blocked or down) and new messages are fetched
 * every few seconds instead; sending still works. The widget returns to `connected` by itself.
 *
 * @event {ParleyRetryEvent} parley-retry - The user pressed Retry (only offered in the `error` status).
 *
 * @csspart base - The pill around everything.
 * @csspart indicator - The dot (a ring when offline).
 * @csspart label - The status text; a polite live region.
 * @csspart retry-button - The Retry button, present only in `error`.
 *
 * @cssproperty [--parley-status-color] - Overrides the dot colour for every status (style per status with `parley-status[status=…]`).
 * @cssproperty [--parley-color-success=#1e7b34] - Dot when connected (`--parley-color-success-dark` in dark mode).
 * @cssproperty [--parley-color-warning=#a16207] - Dot while connecting or reconnecting, half-filled while polling.
 * @cssproperty [--parley-color-danger=#b3261e] - Dot on error.
 * @cssproperty [--parley-color-neutral=#6b7280] - Ring when offline.
 * @cssproperty [--parley-color-surface-raised=#f1f3f6] - Pill background.
 *
 * @cssstate connecting - Mirrors `status`; one of these six states is set at a time.
 * @cssstate connected
 * @cssstate reconnecting
 * @cssstate polling
 * @cssstate offline
 * @cssstate error
 */
export class ParleyStatus extends ParleyElement<StatusStrings> {
  static override css = statusStyles;

  /** The connection status, reflected so page CSS can style it. Unknown values fall back to `connecting`. */
  @property({ reflect: true }) accessor status: ConnectionStatus = 'connecting';

  protected readonly defaultStrings: StatusStrings = statusStrings;
  protected override readonly stringTable = 'status';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('status') && !isConnectionStatus(this.status)) this.status = 'connecting';
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('status')) {
      for (const status of CONNECTION_STATUSES) this.setCustomState(status, status === this.status);
    }
  }

  protected override render(): TemplateResult {
    const t = this.text;
    const isError = this.status === 'error';
    return html`
      <div class="base" part="base">
        <span class="indicator" part="indicator" aria-hidden="true"></span>
        <span class="label" part="label" role="status" aria-live="polite">${t[this.status]}</span>
        ${isError
          ? html`<button
              class="retry"
              part="retry-button"
              type="button"
              aria-label=${t.retryLabel}
              @click=${this.onRetry}
            >
              ${t.retry}
            </button>`
          : nothing}
      </div>
    `;
  }

  private onRetry(): void {
    this.emit(new ParleyRetryEvent());
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-status': ParleyStatus;
  }
}
