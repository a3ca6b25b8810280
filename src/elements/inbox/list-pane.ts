/**
 * The console's list column as a template: the conversation list wired to the inbox store, and the
 * list's load error with its retry. The element hands over what the list shows and where its
 * selections go; the store takes searches, filters and "load more" directly.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ParleyConversationSelectEvent, ParleyFilterChangeEvent, ParleySearchEvent } from '../events.ts';
import { formatString, type InboxStrings } from '../../i18n/strings.ts';
import type { ElementStrings } from '../parley-root-element.ts';
import type { Session } from '../../session/index.ts';
import { unreadBesides, withSendingPreviews, type InboxState } from '../../state/index.ts';

export interface ListPaneView {
  readonly t: InboxStrings;
  readonly language: string;
  readonly theme: string | undefined;
  readonly elementStrings: ElementStrings | undefined;
  readonly state: Session['state'];
  readonly inbox: InboxState;
  readonly selectedId: string | null;
  /** The conversation being read on screen: its list item shows no unread count. */
  readonly reading: string | null;
  readonly agentNames: ReadonlyMap<string, string>;
  readonly onSelect: (event: ParleyConversationSelectEvent) => void;
}

export function listPane(v: ListPaneView): TemplateResult {
  const { t, inbox, state } = v;
  const list = inbox.$listStatus.get();
  return html`
    <div class="list-pane" part="list-pane">
      <parley-conversation-list
        .strings=${v.elementStrings?.conversationList}
        .conversations=${withSendingPreviews(inbox.$visible.get(), state.$outbox.get())}
        .unread=${unreadBesides(state.$unread.get(), v.reading).byConversation}
        .selectedId=${v.selectedId}
        .filter=${state.$listFilter.get()}
        .agentNames=${v.agentNames}
        ?loading=${list.loading}
        ?has-more=${list.hasMore}
        theme=${v.theme ?? nothing}
        @parley-search=${(e: ParleySearchEvent) => inbox.setFilter({ search: e.detail.query })}
        @parley-filter-change=${(e: ParleyFilterChangeEvent) => inbox.setFilter(e.detail.filter)}
        @parley-conversation-select=${v.onSelect}
        @parley-load-more=${() => inbox.loadMore()}
      ></parley-conversation-list>
      ${list.error
        ? html`<p class="error list-error" part="error" role="alert">
            ${formatString(t.loadFailed, { error: list.error }, v.language)}
            <button type="button" class="button" @click=${() => inbox.setFilter({})}>${t.retry}</button>
          </p>`
        : nothing}
    </div>
  `;
}
