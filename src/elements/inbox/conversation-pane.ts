/**
 * The open conversation's column: the header (customer, subject, controls, the customer's other
 * conversations), the thread and the composer, with the customer side panel beside them. The element gathers what it shows from its stores
 * and owns the handlers; this only lays it out.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { formatString, type InboxStrings } from '../../i18n/strings.ts';
import type { Agent, CannedResponse, ConversationSummary } from '../../data/types.ts';
import type { ElementStrings } from '../parley-root-element.ts';
import type { CommandState, CustomerHistory, InboxState } from '../../state/index.ts';
import type { ThreadState } from '../../state/thread.ts';
import { conversationControls } from './templates.ts';
import { customerHistory } from './customer-history.ts';
import { collisionIndicator } from './presence-templates.ts';
import type { TeamViewer } from '../../realtime/team-presence.ts';

export interface ConversationPaneView {
  readonly t: InboxStrings;
  readonly language: string;
  readonly theme: string | undefined;
  readonly elementStrings: ElementStrings | undefined;
  readonly row: ConversationSummary;
  readonly inbox: InboxState;
  readonly me: Agent | null;
  readonly command: CommandState;
  /** The customer as the console names them. */
  readonly customer: string;
  readonly names: Readonly<Record<string, string>>;
  /** The chatbot's name above its replies, once read. */
  readonly botName: string | null;
  readonly thread: ThreadState;
  readonly userId: string | null;
  readonly seenSeq: number;
  readonly typing: readonly string[];
  readonly history: CustomerHistory;
  readonly cannedResponses: readonly CannedResponse[];
  /** Other agents in this conversation (collision). */
  readonly viewers: readonly TeamViewer[];
  /** The agent's quick replies for their next reply (quick-reply-draft.ts). */
  readonly quickReplies: TemplateResult;
  /** The customer side panel and its toggle (customer-panel-controller.ts). */
  readonly customerPanel: TemplateResult;
  readonly customerPanelToggle: TemplateResult;
}

export interface ConversationPaneHandlers {
  readonly onBack: () => void;
  readonly onOpenOther: (id: string) => void;
}

export function conversationPane(view: ConversationPaneView, on: ConversationPaneHandlers): TemplateResult {
  const { t, language, row, customer } = view;
  return html`<div class="conversation-main">
    <div class="conversation-header" part="conversation-header">
      <button type="button" class="button back" part="back-button" aria-label=${t.back} @click=${on.onBack}>
        <span aria-hidden="true">←</span>
      </button>
      <div class="identity">
        <h3 class="customer">${customer}</h3>
        <p class="subject">${row.subject?.trim() || t.noSubject}${row.customer?.email && row.customer.email !== customer ? ` · ${row.customer.email}` : ''}</p>
      </div>
      ${view.customerPanelToggle}
      ${conversationControls({ t, language, row, inbox: view.inbox, me: view.me, busy: view.command.busy !== null })}
      ${view.command.error ? html`<p class="error" part="error" role="alert">${view.command.error}</p>` : nothing}
      ${collisionIndicator({ t, language, viewers: view.viewers, agents: view.inbox.$agents.get() })}
      ${customerHistory({ t, language, customer, history: view.history, onOpen: on.onOpenOther })}
    </div>
    <parley-thread
      .strings=${view.elementStrings?.thread}
      .thread=${view.thread}
      viewer="agent"
      .viewerId=${view.userId}
      .seenSeq=${view.seenSeq}
      .names=${view.names}
      .botName=${view.botName}
      .typing=${view.typing}
      theme=${view.theme ?? nothing}
    ></parley-thread>
    ${view.quickReplies}
    <parley-composer
      allow-notes
      .strings=${view.elementStrings?.composer}
      .cannedResponses=${view.cannedResponses}
      theme=${view.theme ?? nothing}
    ></parley-composer>
  </div>${view.customerPanel}`;
}

/** The conversation's label for assistive technology: "Conversation with Ada". */
export function conversationLabel(t: InboxStrings, customer: string, language: string): string {
  return formatString(t.conversationLabel, { name: customer }, language);
}

/** Selects show the stored value, not the agent's last pick (a refused change snaps back). */
export function showStoredValues(root: ParentNode, row: ConversationSummary | null): void {
  if (!row) return;
  const status = root.querySelector<HTMLSelectElement>('select.status');
  if (status) status.value = row.status;
  const assignee = root.querySelector<HTMLSelectElement>('select.assignee');
  if (assignee) assignee.value = row.assigned_agent_id ?? '';
}
