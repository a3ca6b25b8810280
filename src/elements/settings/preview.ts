/**
 * A static picture of the launcher with the settings being edited: the bubble and the open panel's
 * header with brand, greeting, intro and reply time, in the accent colour. Cheap on purpose (no
 * launcher code is loaded); it follows the admin's typing because it renders from the form's values.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { SettingsStrings } from '../../i18n/settings-strings.ts';
import type { WorkspaceValues } from './settings-store.ts';

const HEX = /^#[0-9a-f]{6}$/i;

function luminance(hex: string): number {
  const channel = (offset: number): number => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** White or near-black, whichever reads better on `accent` (WCAG contrast), as the launcher does. */
export function textOnAccent(accent: string): string {
  const l = luminance(accent);
  const onWhite = 1.05 / (l + 0.05);
  const onBlack = (l + 0.05) / 0.05;
  return onWhite >= onBlack ? '#ffffff' : '#111111';
}

export function previewTemplate(values: WorkspaceValues, t: SettingsStrings): TemplateResult {
  const accent = HEX.test(values.accentColor.trim()) ? values.accentColor.trim().toLowerCase() : '#4f46e5';
  const colours = styleMap({ '--_preview-accent': accent, '--_preview-on-accent': textOnAccent(accent) });
  const reply = {
    minutes: t.previewReplyMinutes, hour: t.previewReplyHour, day: t.previewReplyDay, unknown: '',
  }[values.replyTime];
  return html`<figure class="preview" part="preview" style=${colours}>
    <figcaption>${t.preview} <span class="hint">${t.previewNote}</span></figcaption>
    <div class="preview-stage" aria-hidden="true">
      <div class="preview-panel" part="preview-panel">
        <div class="preview-header">
          ${values.showTeamAvatars
            ? html`<div class="preview-avatars"><span></span><span></span><span></span></div>`
            : nothing}
          <p class="preview-brand" part="preview-brand">${values.brandName}</p>
          ${reply ? html`<p class="preview-reply">${reply}</p>` : nothing}
        </div>
        <div class="preview-body">
          <p class="preview-greeting" part="preview-greeting">${values.greeting}</p>
          ${values.intro.trim() ? html`<p class="preview-intro" part="preview-intro">${values.intro}</p>` : nothing}
        </div>
      </div>
      <div class="preview-bubble" part="preview-bubble" title=${t.previewBubble}>
        <svg viewBox="0 0 24 24" width="26" height="26" fill="currentColor" aria-hidden="true">
          <path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z" />
        </svg>
      </div>
    </div>
  </figure>`;
}
