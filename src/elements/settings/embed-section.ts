/**
 * The Embed snippet section: the one script tag and element a site adds, with this project's URL
 * and key filled in, and a Copy button (Clipboard API) whose result is announced.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { SettingsStrings } from '../../i18n/settings-strings.ts';

export const EMBED_SCRIPT_URL = 'https://cdn.jsdelivr.net/npm/parley-chat/dist/parley.js';

/** Escapes a value for a double-quoted HTML attribute in the snippet the admin pastes. */
function attribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The snippet text for a project. */
export function embedSnippet(supabaseUrl: string, supabaseKey: string): string {
  return [
    `<script type="module" src="${EMBED_SCRIPT_URL}"></script>`,
    '<parley-launcher',
    `  supabase-url="${attribute(supabaseUrl || 'https://YOUR-PROJECT.supabase.co')}"`,
    `  supabase-key="${attribute(supabaseKey || 'YOUR-ANON-OR-PUBLISHABLE-KEY')}"`,
    '></parley-launcher>',
  ].join('\n');
}

export type CopyState = 'idle' | 'copied' | 'failed';

export function embedSection(
  t: SettingsStrings,
  snippet: string,
  missing: boolean,
  copyState: CopyState,
  copy: () => void,
): TemplateResult {
  const status = copyState === 'copied' ? t.copied : copyState === 'failed' ? t.copyFailed : '';
  return html`<p>${t.embedIntro}</p>
    ${missing ? html`<p class="muted">${t.embedMissing}</p>` : nothing}
    <pre class="snippet" part="snippet" tabindex="0" aria-label=${t.snippet}><code>${snippet}</code></pre>
    <div class="form-footer">
      <button type="button" class="primary" part="copy-button" @click=${copy}>${t.copy}</button>
      <p class="form-status ${copyState === 'failed' ? 'is-error' : ''}" role="status" part="copy-status">${status}</p>
    </div>`;
}
