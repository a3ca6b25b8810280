/**
 * Visible text. Every element has a table of default English strings (below, one per element) and a
 * `strings` property that overrides any subset of it, so a host page localises with
 * `el.strings = { send: 'Envoyer' }`. Templates use `{name}` placeholders; numbers are formatted for
 * the element's language.
 */

export type StringTable = Readonly<Record<string, string>>;

/** Defaults merged with overrides; `undefined` in an override means "keep the default". */
export function mergeStrings<S extends StringTable>(defaults: S, overrides: Partial<S> | undefined): S {
  if (!overrides) return defaults;
  const merged: Record<string, string> = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    if (typeof value === 'string' && key in defaults) merged[key] = value;
  }
  return merged as S;
}

/** Fills `{name}` placeholders; numbers go through `Intl.NumberFormat` for `lang`. Unknown names stay as written. */
export function formatString(template: string, values: Readonly<Record<string, string | number>>, lang?: string): string {
  let numberFormat: Intl.NumberFormat | undefined;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    if (typeof value === 'number') {
      if (plainDigits(value, lang)) return String(value);
      numberFormat ??= safeNumberFormat(lang);
      return numberFormat.format(value);
    }
    return value;
  });
}

/**
 * Languages whose default digits may not be 0–9 in CLDR (a superset: a few only in some regions),
 * or a tag naming such a script or a numbering system (`-u-nu-`).
 */
const OTHER_DIGITS = /^(?:ar|ars|as|bgc|bho|bn|bo|brx|ccp|ckb|doi|dz|fa|kok|ks|lrc|mai|mni|mr|my|mzn|ne|ps|raj|sa|sat|sd|ur)(?:-|$)|-(?:adlm|arab|beng|deva|mymr|olck|tibt)(?:-|$)|-u-(?:.+-)?nu-/i;

/**
 * Whether `value` reads the same in `lang` without Intl: a whole number under 1000 (no grouping,
 * no minus sign) in a language written with 0–9. The page's first `Intl.NumberFormat` loads locale
 * data, tens of milliseconds on the host page's main thread, for the unread count in a closed bubble.
 */
function plainDigits(value: number, lang: string | undefined): boolean {
  const tag = lang || (typeof navigator === 'undefined' ? '' : navigator.language);
  return Number.isInteger(value) && value >= 0 && value < 1000 && !OTHER_DIGITS.test(tag);
}

/** One formatter per language: building one loads locale data (milliseconds on a host page's main thread). */
const numberFormats = new Map<string, Intl.NumberFormat>();

function safeNumberFormat(lang: string | undefined): Intl.NumberFormat {
  const key = lang ?? '';
  let format = numberFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(lang || undefined);
    } catch {
      // An invalid lang attribute on the host page must not break rendering.
      format = new Intl.NumberFormat();
    }
    numberFormats.set(key, format);
  }
  return format;
}

/** `<parley-status>`: one label per connection status, and the retry action. */
export const statusStrings = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  /** WebSockets are blocked or down; messages still arrive by polling (src/realtime/rest-fallback.ts). */
  polling: 'Updating every few seconds',
  offline: 'Offline',
  error: 'Connection failed',
  retry: 'Retry',
  retryLabel: 'Retry connecting',
} as const satisfies StringTable;
export type StatusStrings = { readonly [K in keyof typeof statusStrings]: string };

/** `<parley-composer>`. */
export const composerStrings = {
  label: 'Message',
  placeholder: 'Write a message…',
  send: 'Send',
  /** Shown from the counter threshold up to the limit. */
  remaining: 'Characters left: {count}',
  /** Shown above the limit, in place of `remaining`. */
  over: 'Characters over the limit: {count}',
  /** Why sending is blocked above the limit. */
  tooLong: 'Messages can be at most {max} characters. Shorten this one to send it.',
  /** Shown when `disabled` is set without a `disabledReason`. */
  disabled: 'Sending is unavailable right now.',
  cannedLabel: 'Canned replies',
  /** Announced when the canned reply list opens or its matches change. */
  cannedCount: 'Canned replies: {count}. Up and down arrows to choose, Enter to insert.',
  hint: 'Enter to send, Shift+Enter for a new line',
  /** The Reply / Note switch (`allow-notes`): its group label and its two options. */
  modeLabel: 'Message type',
  reply: 'Reply',
  note: 'Note',
  /** Placeholder and send button while writing a note. */
  notePlaceholder: 'Write an internal note…',
  sendNote: 'Add note',
  /** Shown while writing a note. */
  noteHint: 'Only your team sees notes',
  /** The attach button (files are also pasted or dropped). */
  attach: 'Attach files',
} as const satisfies StringTable;
export type ComposerStrings = { readonly [K in keyof typeof composerStrings]: string };

/** `<parley-conversation-list>`. */
export const conversationListStrings = {
  searchLabel: 'Search conversations',
  searchPlaceholder: 'Search…',
  filtersLabel: 'Filters',
  assignmentLabel: 'Assigned to',
  assignmentAll: 'All',
  assignmentMine: 'Mine',
  assignmentUnassigned: 'Unassigned',
  statusLabel: 'Status',
  statusOpen: 'Open',
  statusPending: 'Pending',
  statusResolved: 'Resolved',
  statusClosed: 'Closed',
  listLabel: 'Conversations',
  /** A customer with neither name nor email; `{code}` tells anonymous visitors apart ("Visitor 3F2A"). */
  visitor: 'Visitor {code}',
  noSubject: 'No subject',
  unassigned: 'Unassigned',
  /** An assignee whose name is not in `agentNames`. */
  assignedUnknown: 'Assigned',
  /** The unread badge's accessible text. */
  unread: '{count} unread',
  /** The latest rating's badge, visible (`★ 4/5`) and its accessible text. */
  ratingBadge: '★ {score}/{scale}',
  rating: 'Rated {score} of {scale}',
  /** Next to a conversation whose chatbot is on (issue 17): the bot answers, not a person yet. */
  botOn: 'Chatbot answers',
  loadMore: 'Load more',
  loading: 'Loading conversations…',
  empty: 'No conversations yet.',
  /** Empty while a search or filter narrows the list. */
  emptyFiltered: 'No conversations match these filters.',
} as const satisfies StringTable;
export type ConversationListStrings = { readonly [K in keyof typeof conversationListStrings]: string };

/** `<parley-thread>`. */
export const threadStrings = {
  /** The message log's accessible name. */
  label: 'Messages',
  /** The viewer's own messages. */
  you: 'You',
  agent: 'Agent',
  customer: 'Customer',
  chatbot: 'Bot',
  system: 'System',
  /** A sender with a known name: `{name}` and `{role}` (one of the four above). */
  sender: '{name} · {role}',
  sending: 'Sending…',
  failed: 'Not sent',
  retry: 'Retry',
  /** Under the viewer's last message once the other side has read it. */
  seen: 'Seen',
  newMessages: 'New messages',
  loadOlder: 'Load earlier messages',
  loadingOlder: 'Loading earlier messages…',
  /** Above the oldest message when there is no more history. */
  beginning: 'Beginning of the conversation',
  empty: 'No messages yet.',
  /** `{names}` is a localized list ("Ana and Bo"). */
  typingOne: '{names} is typing…',
  typingMany: '{names} are typing…',
  /** The sender line of an internal note: `{name}` is the sender's name, "You" or their role. */
  noteSender: '{name} · Internal note',
  /** Next to internal system lines (assignments, pending): the customer never sees them. */
  teamOnly: 'Only your team sees this',
  /** The divider under an earlier conversation: `{date}` is when it ended ("3 December"). */
  conversationClosed: 'Conversation closed · {date}',
  conversationResolved: 'Conversation resolved · {date}',
  /** The same for one still open or pending. */
  conversationEarlier: 'Earlier conversation · {date}',
  /** Shown while an earlier conversation has a reply the viewer has not seen; scrolls to it. */
  newEarlierReply: 'New reply in an earlier conversation',
} as const satisfies StringTable;
export type ThreadStrings = { readonly [K in keyof typeof threadStrings]: string };

/** `<parley-launcher>`. */
export const launcherStrings = {
  /** The bubble's accessible name while the panel is closed. */
  open: 'Open chat',
  /** The bubble's accessible name while the panel is open. */
  hide: 'Hide chat',
  /** Appended to the bubble's name when messages are unread. */
  unread: '{count} unread',
  /** The panel's heading (its dialog name) when the workspace settings name no brand. */
  title: 'Chat with us',
  /** Under the heading, from the workspace's expected reply time. */
  replyMinutes: 'We usually reply in a few minutes',
  replyHour: 'We usually reply within an hour',
  replyDay: 'We usually reply within a day',
  /** Under the heading outside the workspace's business hours, when it set no away message. */
  away: 'We are away right now. Leave a message and we will reply as soon as we are back.',
  close: 'Close chat',
  /** Typing indicator name for an agent who sent no display name. */
  agent: 'Support',
  /** Composer disabled reason until the session is ready. */
  connecting: 'Connecting…',
  /** Composer disabled reason when the session could not start. */
  unavailable: 'Chat is unavailable right now.',
  /**
   * Above the composer when the chat service refused to start the chat because this network tried
   * too often (HTTP 429); the visitor may go on typing, and sending tries again.
   */
  rateLimited: 'Too many attempts from your network. Please wait a minute and try again.',
  /** The pre-chat fields' group name (`pre-chat="optional"` or `"required"`). */
  preChatTitle: 'Before you start',
  nameLabel: 'Your name',
  /** The name field's label when it may stay empty. */
  nameLabelOptional: 'Your name (optional)',
  emailLabel: 'Your email',
  /** The email field's label when it may stay empty. */
  emailLabelOptional: 'Your email (optional)',
  nameRequired: 'Enter your name to start the chat.',
  /** `{max}` is the limit in characters. */
  nameTooLong: 'Your name can be at most {max} characters.',
  emailRequired: 'Enter your email address to start the chat.',
  emailInvalid: 'Enter an email address like name@example.com.',
  /** In place of the composer once an agent closed the conversation. */
  closed: 'This conversation was closed.',
  /** The button under it: the next message then starts a new conversation. */
  startNew: 'Start a new conversation',
  /** Above the composer while the conversation is resolved. */
  resolved: 'This conversation was resolved. Reply to reopen it.',
  /** The page's tab title while a reply waits in a hidden tab; `{title}` is the page's own. */
  replyTitle: 'New reply · {title}',
  /** The home screen: the list of online agents' name. */
  onlineNow: 'Online now',
  /** The home screen's button for a visitor without conversations: puts the caret in the composer. */
  sendUsMessage: 'Send us a message',
  /** The home screen's list of the visitor's conversations. */
  yourConversations: 'Your conversations',
  /** A conversation in that list with no message yet. */
  noPreview: 'New conversation',
  /** Back from a conversation to the home screen. */
  back: 'Back',
  /** In the thread after the visitor's first message while the team is away: asks for an email. */
  emailAsk: 'Leave your email and we will reply there.',
  emailSend: 'Send',
  emailSkip: 'Skip',
  /** Once given, where the confirmation is still to be clicked; `{email}` is the address. */
  emailPending: 'We will reply to {email} once you confirm it (check your inbox).',
  /** Once given, where the address applied at once. */
  emailSaved: 'We will reply to {email}.',
  /** The address was refused for another reason than its form (taken, the service down). */
  emailFailed: 'That address could not be saved. Please try again.',
  /** The home screen's quiet button for a visitor not signed in by email: opens the continue-by-email form. */
  continueByEmail: 'Talked to us before? Continue by email',
} as const satisfies StringTable;
export type LauncherStrings = { readonly [K in keyof typeof launcherStrings]: string };

/** `<parley-inbox>`. */
export const inboxStrings = {
  /** The console's heading. */
  title: 'Inbox',
  signInTitle: 'Sign in to the inbox',
  email: 'Email',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  /** Under the sign-in form: asks for a password-reset mail. */
  forgotPassword: 'Forgot password?',
  resetTitle: 'Reset your password',
  resetSend: 'Send reset link',
  resetSending: 'Sending…',
  /** After the request, whether or not `{email}` has an account (the server does not say). */
  resetSent: 'Check your inbox: if {email} has an account, a link to choose a new password is on its way.',
  backToSignIn: 'Back to sign-in',
  missingEmail: 'Enter your email.',
  /** Atop the console once opened from the recovery link. */
  newPasswordTitle: 'Choose a new password',
  newPassword: 'New password',
  savePassword: 'Save password',
  savingPassword: 'Saving…',
  missingPassword: 'Enter a new password.',
  passwordSaved: 'Your password was changed.',
  dismiss: 'Dismiss',
  signOut: 'Sign out',
  /** Asked before signing out with one reply not on the server yet (kept encrypted for the agent). */
  unsentOne: '1 reply is not sent yet. It will be sent when you sign in again.',
  /** The same with `{count}` replies. */
  unsentOther: '{count} replies are not sent yet. They will be sent when you sign in again.',
  /** The same where this page cannot keep replies (not a secure context): they are lost on sign-out. */
  unsentLostOne: '1 reply is not sent yet. It will be lost if you sign out now.',
  unsentLostOther: '{count} replies are not sent yet. They will be lost if you sign out now.',
  /** The confirmation's title and buttons. */
  signOutTitle: 'Sign out?',
  confirmSignOut: 'Sign out',
  cancel: 'Cancel',
  /** Who is signed in: `{name}`. */
  signedInAs: 'Signed in as {name}',
  /** The header's button to the workspace settings (admins only). */
  settings: 'Settings',
  /** Leaves the settings for the conversations. */
  backToInbox: 'Back to inbox',
  /** Above the sign-in form once an admin deactivated the signed-in agent while the console was open. */
  deactivated: 'Your access to this workspace was turned off by an admin.',
  /** A signed-in account without an agents row. */
  notAgent: 'This account is not a support agent. Sign in with an agent account.',
  /** The sign-in form, before anything is typed. */
  missingCredentials: 'Enter your email and password.',
  /** Signing in was refused because this network tried too often (HTTP 429); the form keeps what was typed. */
  rateLimited: 'Too many attempts from your network. Please wait a minute and try again.',
  /** The console could not start (bad configuration, server unreachable). */
  unavailable: 'The inbox is unavailable right now.',
  checking: 'Loading…',
  /** The conversation pane with nothing selected. */
  noSelection: 'Select a conversation to read it.',
  /** Back to the list on narrow screens. */
  back: 'Back to conversations',
  /** The conversation pane's landmark label: `{name}` is the customer. */
  conversationLabel: 'Conversation with {name}',
  /** A customer with neither name nor email; `{code}` tells anonymous visitors apart ("Visitor 3F2A"). */
  visitor: 'Visitor {code}',
  noSubject: 'No subject',
  status: 'Status',
  statusOpen: 'Open',
  statusPending: 'Pending',
  statusResolved: 'Resolved',
  statusClosed: 'Closed',
  assignee: 'Assignee',
  unassigned: 'Unassigned',
  assignToMe: 'Assign to me',
  /** The assignee option of the signed-in agent: `{name}`. */
  me: '{name} (you)',
  chatbot: 'Chatbot replies',
  loadFailed: 'Could not load conversations: {error}',
  retry: 'Try again',
  /** The open conversation's customer has one other conversation (the disclosure that lists it). */
  otherConversationsOne: '1 other conversation',
  /** The same with `{count}` other conversations. */
  otherConversationsOther: '{count} other conversations',
  /** The list of them: `{name}` is the customer. */
  otherConversationsLabel: 'Other conversations with {name}',
  /** Loading them failed: `{error}` says why. */
  otherConversationsFailed: 'Could not load other conversations: {error}',
  /** The signed-in agent's availability control in the header. */
  availabilityLabel: 'Your status',
  availabilityOnline: 'Online',
  availabilityAway: 'Away',
  availabilityOffline: 'Offline',
  /** The team list's toggle: `{count}` agents are online. */
  teamOnline: '{count} online',
  /** The team list's label. */
  teamLabel: 'Team availability',
  /** One agent in the team list: `{name}` and `{status}` (Online, Away, Offline). */
  teamMember: '{name}: {status}',
  /** Setting the availability failed: `{error}` says why. */
  availabilityFailed: 'Could not change your status: {error}',
  /** Other agents in the open conversation (the region's label). */
  collisionLabel: 'Other agents in this conversation',
  /** Another agent has the open conversation open: `{name}`. */
  alsoViewing: '{name} is also viewing',
  /** Another agent is writing a reply to the customer here. */
  writingReply: '{name} is writing a reply',
  /** Another agent is writing an internal note here. */
  writingNote: '{name} is writing a note',
  /** The side panel about the open conversation's customer: its toggle, heading and close button. */
  customerDetails: 'Customer details',
  closeCustomerDetails: 'Close customer details',
  customerLoading: 'Loading customer…',
  customerFailed: 'Could not load the customer: {error}',
  customerName: 'Name',
  customerEmail: 'Email',
  /** In place of a name or email nobody gave. */
  notGiven: 'Not given',
  /** A name or email that came from the site's verified sign-in (a claim of its token). */
  verified: 'Verified',
  /** One the visitor typed or the site passed without a verified token. */
  unverified: 'Unverified',
  /** One an agent set. */
  editedByTeam: 'Edited by your team',
  editCustomer: 'Edit',
  editCustomerLabel: 'Edit name and email',
  saveCustomer: 'Save',
  savingCustomer: 'Saving…',
  cancelEdit: 'Cancel',
  /** Saving failed: `{error}` says why. */
  saveCustomerFailed: 'Could not save: {error}',
  firstSeen: 'First seen',
  lastSeen: 'Last seen',
  currentPage: 'Current page',
  recentPages: 'Recent pages',
  noPages: 'No pages recorded yet.',
  referrer: 'Came from',
  browser: 'Browser',
  os: 'System',
  language: 'Language',
  timeZone: 'Time zone',
  screen: 'Screen',
  preChatAnswers: 'Pre-chat answers',
  attributes: 'Attributes',
  previousConversations: 'Previous conversations',
  noPreviousConversations: 'No other conversations.',
  /** The keyboard shortcuts: the header button's name, the overlay's heading and close button. */
  shortcuts: 'Keyboard shortcuts',
  closeShortcuts: 'Close',
  /** Between two keys that do the same ("j or Alt+↓"). */
  shortcutOr: 'or',
  shortcutNext: 'Next conversation',
  shortcutPrevious: 'Previous conversation',
  shortcutReply: 'Reply',
  shortcutNote: 'Write an internal note',
  shortcutResolve: 'Resolve the conversation',
  shortcutAssign: 'Assign the conversation to me',
  shortcutSearch: 'Search conversations',
  shortcutHelp: 'Show these shortcuts',
  /** Escape in the composer. */
  shortcutLeave: 'Leave the message box',
  /** Under the list: why a letter typed in a field stays a letter. */
  shortcutsHint: 'Shortcuts work outside text fields.',
  /** The attention settings in the header: its toggle, and the three channels the agent can turn off. */
  alerts: 'Alerts',
  alertsLabel: 'How the console gets your attention',
  alertSound: 'Sound',
  alertNotifications: 'Desktop notifications',
  alertTitle: 'Unread count in the tab',
  /** Notifications were refused in the browser (its site settings can allow them again). */
  notificationsBlocked: 'Blocked by the browser',
  notificationsUnsupported: 'Not available in this browser',
  /** The tab's title with `{count}` unread; `{title}` is the page's own. */
  unreadTitle: '({count}) {title}',
  /** Desktop notifications; `{name}` is the customer. */
  newConversation: 'New conversation from {name}',
  newMessage: 'New message from {name}',
  /** Buttons an agent puts under their next reply (issue 17); `{n}` is 1 to 4. */
  quickReplies: 'Quick replies',
  quickReplyLabel: 'Button {n}',
  quickRepliesHint: 'Up to 4 buttons under your next reply; the visitor answers by tapping one.',
} as const satisfies StringTable;
export type InboxStrings = { readonly [K in keyof typeof inboxStrings]: string };
