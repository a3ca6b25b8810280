/**
 * The package entry, `parley-chat`: the element classes, their events, sessions and the data
 * layer, without registering any tag (a module with no side effects, so a bundler keeps only what
 * is used). Register the elements once with `import 'parley-chat/define'`, or define a class under
 * a tag of your own with `ParleyX.define('my-tag')`.
 */
export { ParleyElement, THEMES, type Theme } from './elements/parley-element.ts';
export { ParleyComposer, type CannedReply } from './elements/composer/composer.ts';
export { ParleyConversationList } from './elements/conversation-list/conversation-list.ts';
export { ParleyInbox, INBOX_PHASES, type InboxPhase } from './elements/inbox/inbox.ts';
export { ParleyLauncher, type LauncherPhase } from './elements/launcher/launcher.ts';
export { ParleySettings } from './elements/settings/settings.ts';
export type {
  BusinessHours, CannedReplyFields, Invitation, OwnProfile, SettingsSource, TeamMember, WidgetSettings, WorkspaceSettings,
} from './elements/settings/settings-source.ts';
export { ParleyStatus } from './elements/status/status.ts';
export { ParleyThread, THREAD_VIEWERS, type ThreadSection, type ThreadViewer } from './elements/thread/thread.ts';
export * from './elements/events.ts';

export { createSession, sessionContext, type Session, type SessionOptions } from './session/index.ts';
export type { RealtimeController } from './realtime/index.ts';
export {
  CONNECTION_STATUSES,
  type ConnectionStatus,
  type ListFilter,
  type ParleyState,
  type PendingMessage,
  type ThreadState,
  type TypingEntry,
} from './state/index.ts';

export {
  ASSIGNMENT_FILTERS,
  AUDIENCES,
  CONVERSATION_STATUSES,
  ERROR_KINDS,
  MAX_MESSAGE_LENGTH,
  MAX_PAGE_SIZE,
  MESSAGE_VISIBILITIES,
  ParleyError,
  REALTIME_TRANSPORTS,
  SENDER_TYPES,
  createDataApi,
  isParleyError,
  unreadFor,
  type Agent,
  type AssignmentFilter,
  type Audience,
  type CannedResponse,
  type Conversation,
  type ConversationCursor,
  type DataApiOptions,
  type ConversationPage,
  type ConversationStatus,
  type ConversationSummary,
  type Customer,
  type ConversationApi,
  type DataApi,
  type ErrorKind,
  type ListConversationsOptions,
  type Message,
  type MessagePage,
  type MessageVisibility,
  type PageMessagesOptions,
  type ReadMarker,
  type RealtimeTransport,
  type SendMessageInput,
  type SenderType,
  type StartConversationOptions,
  type TeamProfile,
} from './data/index.ts';
// Issue 14: the admin screen's data layer (console only) and what the widget reads of the settings.
export { ParleyDataError, createAdminApi, type AdminApi } from './data/admin-api.ts';
export { WIDGET_SETTINGS_EVENT, WIDGET_SETTINGS_TOPIC, parseWidgetSettings, widgetSettings } from './data/widget-settings.ts';
export * from './data/admin-types.ts';

export {
  composerStrings,
  conversationListStrings,
  inboxStrings,
  launcherStrings,
  statusStrings,
  threadStrings,
  type ComposerStrings,
  type ConversationListStrings,
  type InboxStrings,
  type LauncherStrings,
  type StatusStrings,
  type StringTable,
  type ThreadStrings,
} from './i18n/strings.ts';
