/**
 * The launcher's bubble as a Lit template: the button that opens and closes the panel, named with
 * the unread count, and its badge. The stub draws the same bubble without Lit (bubble.ts).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { formatString, type LauncherStrings } from '../../i18n/strings.ts';
import { BUBBLE_ICON_PATH } from './bubble.ts';

export interface BubbleButtonOptions {
  readonly t: LauncherStrings;
  readonly language: string;
  readonly open: boolean;
  readonly unread: number;
  readonly onClick: () => void;
}

export function bubbleButton({ t, language, open, unread, onClick }: BubbleButtonOptions): TemplateResult {
  const action = open ? t.hide : t.open;
  const name = unread > 0 ? `${action}, ${formatString(t.unread, { count: unread }, language)}` : action;
  return html`
    <button
      class="bubble"
      part="bubble"
      type="button"
      aria-label=${name}
      aria-expanded=${open ? 'true' : 'false'}
      aria-controls="panel"
      aria-haspopup="dialog"
      @click=${onClick}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
        <path d=${BUBBLE_ICON_PATH}></path>
      </svg>
      ${unread > 0 ? html`<span class="badge" part="badge" aria-hidden="true">${unread > 99 ? '99+' : String(unread)}</span>` : nothing}
    </button>
  `;
}
