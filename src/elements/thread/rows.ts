/**
 * What the thread renders, as data: the window of messages turned into day separators, message and
 * pending rows and the dividers ending earlier conversations, with the grouping (`first` starts a sender group) and the "Seen" receipt decided
 * here, so the element only turns rows into nodes (row-nodes.ts). Also the date and list formatting it uses.
 */
import type { Message } from '../../data/types.ts';
import type { PendingMessage } from '../../state/thread.ts';
import type { FlatThread, ThreadSection } from './sections.ts';

export type Row =
  | { readonly kind: 'day'; readonly key: string; readonly date: Date; readonly iso: string }
  | {
      readonly kind: 'message';
      readonly key: string;
      readonly message: Message;
      readonly first: boolean;
      readonly seen: boolean;
    }
  | { readonly kind: 'pending'; readonly key: string; readonly pending: PendingMessage; readonly first: boolean }
  /** The end of an earlier conversation: how and when it ended. */
  | { readonly kind: 'divider'; readonly key: string; readonly section: ThreadSection; readonly date: Date };

/** Binary search over messages ascending by seq: index of the first with `seq >= target`. */
export function lowerBound(messages: readonly Message[], seq: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((messages[mid] as Message).seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function localDayKey(date: Date): string {
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${m}-${d}`;
}

export function parseDate(iso: string): Date {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? new Date(0) : date;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
export function dateFormat(lang: string, kind: 'day' | 'time' | 'date'): Intl.DateTimeFormat {
  const key = `${kind}|${lang}`;
  let format = formatters.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'day' ? { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }
        : kind === 'date' ? { month: 'long', day: 'numeric' } : { hour: 'numeric', minute: '2-digit' };
    try {
      format = new Intl.DateTimeFormat(lang || undefined, options);
    } catch {
      // An invalid lang attribute on the host page must not break rendering.
      format = new Intl.DateTimeFormat(undefined, options);
    }
    formatters.set(key, format);
  }
  return format;
}

export function listFormat(lang: string, names: readonly string[]): string {
  try {
    return new Intl.ListFormat(lang || undefined, { type: 'conjunction' }).format(names);
  } catch {
    return names.join(', ');
  }
}

/** Who is looking: their side, which messages are theirs, and how far the other side has read. */
export interface RowViewer {
  /** The sender type on the viewer's side (their pending sends are of this type). */
  readonly side: Message['sender_type'];
  readonly isViewer: (message: Pick<Message, 'sender_type' | 'sender_id'>) => boolean;
  /** Highest seq the other side has read. */
  readonly seenSeq: number;
}

/**
 * Rows for messages [start, end) of the flattened history, and the current conversation's pending
 * sends when the window reaches the newest. Each earlier section starts its own days and ends with
 * a divider; "Seen" only concerns the current conversation.
 */
export function threadRows(
  flat: FlatThread, pending: readonly PendingMessage[], start: number, end: number, viewer: RowViewer,
): Row[] {
  const messages = flat.messages;
  const rows: Row[] = [];
  // The viewer's last confirmed message carries "Seen".
  let seenSeq = -1;
  for (let i = messages.length - 1; i >= flat.currentStart; i--) {
    const m = messages[i] as Message;
    // The other side never reads a note, so "Seen" goes under the viewer's last public message.
    if (viewer.isViewer(m) && m.visibility === 'public') {
      if (viewer.seenSeq >= m.seq) seenSeq = m.seq;
      break;
    }
  }
  let day = '';
  let prefix = '';
  let previous: Pick<Message, 'sender_type' | 'sender_id' | 'visibility'> | undefined;
  const addDay = (date: Date): void => {
    const key = localDayKey(date);
    if (key === day) return;
    day = key;
    previous = undefined;
    rows.push({ kind: 'day', key: `day-${prefix}${key}`, date, iso: key });
  };
  let section = 0;
  for (let i = start; i < end && i < messages.length; i++) {
    while (section < flat.bounds.length && i >= (flat.bounds[section] as { end: number }).end) section += 1;
    const current = section >= flat.sections.length;
    const nextPrefix = current ? '' : `${(flat.sections[section] as ThreadSection).id}-`;
    if (nextPrefix !== prefix || i === start) {
      prefix = nextPrefix;
      day = '';
    }
    const message = messages[i] as Message;
    addDay(parseDate(message.created_at));
    const first =
      message.sender_type === 'system' ||
      !previous ||
      previous.sender_type !== message.sender_type ||
      previous.sender_id !== message.sender_id ||
      previous.visibility !== message.visibility;
    rows.push({ kind: 'message', key: message.id, message, first, seen: current && message.seq === seenSeq });
    previous = message;
    if (!current && i === (flat.bounds[section] as { end: number }).end - 1) {
      const ended = flat.sections[section] as ThreadSection;
      rows.push({ kind: 'divider', key: `end-${ended.id}`, section: ended, date: parseDate(ended.endedAt) });
      previous = undefined;
    }
  }
  if (end >= messages.length) {
    prefix = '';
    if (flat.currentStart === messages.length) day = '';
    for (const entry of pending) {
      addDay(parseDate(entry.created_at));
      const first =
        !previous ||
        previous.sender_type !== viewer.side ||
        previous.sender_id !== entry.sender_id ||
        previous.visibility !== entry.visibility;
      rows.push({ kind: 'pending', key: entry.id, pending: entry, first });
      previous = { sender_type: viewer.side, sender_id: entry.sender_id, visibility: entry.visibility };
    }
  }
  return rows;
}
