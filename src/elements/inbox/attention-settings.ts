/**
 * The attention settings in the console's header: one disclosure with a switch per channel (sound,
 * desktop notifications, unread count in the tab). Turning notifications on asks the browser from
 * that click; where the browser refused or has no notifications, the switch is off and says why.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { InboxStrings } from '../../i18n/strings.ts';
import type { NotificationPermissionState } from '../../attention/notifier.ts';
import { ATTENTION_CHANNELS, type AttentionChannel, type AttentionPreferences } from '../../attention/preferences.ts';

export interface AttentionSettingsView {
  readonly t: InboxStrings;
  readonly preferences: AttentionPreferences;
  readonly permission: NotificationPermissionState;
  readonly onToggle: (channel: AttentionChannel, on: boolean) => void;
}

const LABELS: Record<AttentionChannel, keyof InboxStrings> = {
  sound: 'alertSound',
  notifications: 'alertNotifications',
  title: 'alertTitle',
};

const BELL = html`<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" fill="currentColor"><path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"/></svg>`;

export function attentionSettings(v: AttentionSettingsView): TemplateResult {
  const { t } = v;
  const blocked = v.permission === 'denied' ? t.notificationsBlocked : v.permission === 'unsupported' ? t.notificationsUnsupported : '';
  return html`
    <details class="alerts" part="alerts">
      <summary class="header-summary alerts-summary" part="alerts-summary">${BELL}<span>${t.alerts}</span></summary>
      <fieldset class="header-popover alerts-panel choices" part="alerts-panel">
        <legend>${t.alertsLabel}</legend>
        ${ATTENTION_CHANNELS.map((channel) => {
          const off = channel === 'notifications' && blocked !== '';
          const on = v.preferences[channel] && !off;
          return html`
            <label class="choice">
              <input type="checkbox" name=${`alert-${channel}`} .checked=${live(on)} ?disabled=${off}
                aria-describedby=${off ? 'alerts-blocked' : nothing}
                @change=${(e: Event) => v.onToggle(channel, (e.currentTarget as HTMLInputElement).checked)} />
              <span>${t[LABELS[channel]]}</span>
            </label>
            ${off ? html`<p class="alert-note" id="alerts-blocked">${blocked}</p>` : nothing}`;
        })}
      </fieldset>
    </details>
  `;
}

/** Laid out like the team disclosure next to it (presence.styles.ts). */
export const attentionStyles = css`
  @layer parley {
    .alerts {
      position: relative;
    }

    .alerts-panel {
      display: grid;
      gap: calc(var(--_space) * 0.25);
      min-inline-size: 15rem;
      margin: 0;
    }

    .alerts-panel legend {
      float: inline-start;
      inline-size: 100%;
    }

    .alert-note {
      margin: 0;
      padding-inline-start: calc(var(--_space) * 2.5);
      font-size: 0.8125rem;
      color: var(--_text-muted);
    }

    /* Narrow: the toggle may wrap to either edge, so the panel hangs from the whole header. */
    @container (max-width: 720px) {
      .header {
        position: relative;
      }

      .alerts {
        position: static;
      }

      .alerts-panel {
        inset-inline: var(--_space);
        inset-block-start: calc(100% - var(--_space) * 0.5);
        max-inline-size: none;
      }
    }
  }
`;
