/**
 * Who wrote a message, as the viewer reads it: which messages are the viewer's, the sender line
 * ("You", "Sam Rivera · Agent", "Sam Rivera · Internal note") and a team member's avatar. Pure, from
 * what the element holds.
 */
import type { Message, SenderType } from '../../data/types.ts';
import { formatString, type ThreadStrings } from '../../i18n/strings.ts';

/** What the thread knows about the viewer and the other senders. */
export interface Senders {
  readonly t: ThreadStrings;
  /** The viewer's side: messages of this sender type are "mine". */
  readonly side: SenderType;
  readonly viewerId: string | null;
  readonly names: Readonly<Record<string, string>>;
  readonly avatars: Readonly<Record<string, string>>;
  /** Avatar images that failed to load: their senders show initials. */
  readonly failedAvatars: ReadonlySet<string>;
  /** The chatbot's name (the workspace's setting), above its replies; null: its role alone. */
  readonly botName: string | null;
}

/** Whose avatar a sender line shows: the name (for initials) and the image, when there is one. */
export interface AvatarOf {
  readonly id: string;
  readonly name: string;
  readonly url: string | null;
  /** The chatbot's: its initials in a square rather than a circle. */
  readonly bot?: boolean;
}

export function isMine(senders: Senders, message: Pick<Message, 'sender_type'>): boolean {
  return message.sender_type === senders.side;
}

/** The viewer's own message (not only one of their side's). */
export function isViewer(senders: Senders, message: Pick<Message, 'sender_type' | 'sender_id'>): boolean {
  return isMine(senders, message) && (senders.viewerId === null || message.sender_id === senders.viewerId);
}

export function senderLabel(senders: Senders, message: Pick<Message, 'sender_type' | 'sender_id' | 'visibility'>): string {
  const { t, names, viewerId } = senders;
  const name = message.sender_type === 'chatbot' ? senders.botName ?? undefined
    : message.sender_id === null ? undefined : names[message.sender_id];
  if (isMine(senders, message) && viewerId !== null && message.sender_id === viewerId) {
    return message.visibility === 'internal' ? formatString(t.noteSender, { name: t.you }) : t.you;
  }
  const role = t[message.sender_type];
  if (message.visibility === 'internal') return formatString(t.noteSender, { name: name ?? role });
  return name ? formatString(t.sender, { name, role }) : role;
}

/** A team member's avatar (never the viewer's own): their image, or initials once the name is known; the bot's initials. */
export function avatarOf(senders: Senders, message: Pick<Message, 'sender_type' | 'sender_id'>): AvatarOf | null {
  if (message.sender_type === 'chatbot') return { id: 'chatbot', name: senders.botName ?? senders.t.chatbot, url: null, bot: true };
  const id = message.sender_id;
  if (id === null || message.sender_type !== 'agent' || isViewer(senders, message)) return null;
  const name = senders.names[id];
  if (!name) return null;
  const url = senders.avatars[id];
  return { id, name, url: url && !senders.failedAvatars.has(url) ? url : null };
}
