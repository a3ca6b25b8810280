/**
 * The thread's rows as DOM nodes, built by hand once per row and kept while the row's inputs stay
 * the same (issue 12: a message costs the page almost nothing). A Lit template per row costs a
 * marker comment per binding, whitespace between tags and a part per token (~28 nodes a message);
 * a row built here is its elements and their text, nothing else (~6–10), and an update that leaves
 * a row's inputs alone touches nothing in it.
 *
 * Message text is only ever text: it goes into Text nodes (`append` of a string), links are `<a>`
 * elements whose `href` is the tokenizer's http(s) URL, set as an attribute. Nothing is parsed as
 * HTML. Retry and avatar fallbacks are not listeners on the rows: the element delegates them on the
 * log (`data-id` on the pending row, `src` on the avatar image say which).
 */
import { render } from 'lit';
import { formatString } from '../../i18n/strings.ts';
import { lockIcon } from '../icons.ts';
import { tokenize } from './linkify.ts';
import { attachmentsNode } from './attachment-boxes.ts';
import { patchNode } from './patch-node.ts';
import { dateFormat, parseDate, type Row } from './rows.ts';
import { avatarColour, initials } from './sections.ts';
import { avatarOf, isMine, senderLabel, type AvatarOf, type Senders } from './senders.ts';

/** How many avatar colours the styles define (`.avatar[data-colour]`). */
export const AVATAR_COLOURS = 6;

/** What building a row needs from the element, besides the row itself. */
export interface RowContext extends Senders {
  readonly lang: string;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, part?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (part) node.setAttribute('part', part);
  return node;
}

function textElement<K extends keyof HTMLElementTagNameMap>(tag: K, text: string, className?: string, part?: string): HTMLElementTagNameMap[K] {
  const node = element(tag, className, part);
  node.textContent = text;
  return node;
}

let lockTemplate: Element | undefined;
/** The shared lock icon (icons.ts), rendered once by Lit and cloned: an `<svg>` and its `<path>`. */
function lock(): Node {
  if (!lockTemplate) {
    const holder = document.createElement('div');
    render(lockIcon, holder);
    lockTemplate = holder.querySelector('svg') ?? document.createElement('span');
  }
  return lockTemplate.cloneNode(true);
}

function avatarNode(avatar: AvatarOf): HTMLElement {
  if (avatar.url) {
    // The name is written next to it, so the image says nothing more; no referrer leaks the page.
    const img = element('img', 'avatar', 'avatar');
    img.alt = '';
    img.width = 24;
    img.height = 24;
    img.referrerPolicy = 'no-referrer';
    img.src = avatar.url;
    return img;
  }
  // Initials come from CSS (content: attr()), so they add nothing to the row's text.
  const span = element('span', 'avatar', avatar.bot ? 'avatar initials bot' : 'avatar initials');
  span.setAttribute('aria-hidden', 'true');
  span.dataset['initials'] = initials(avatar.name);
  span.dataset['colour'] = String(avatarColour(avatar.id, AVATAR_COLOURS));
  return span;
}

function senderNode(label: string, note: boolean, avatar: AvatarOf | null): HTMLElement {
  const sender = element('div', 'sender', 'sender');
  if (avatar) sender.append(avatarNode(avatar));
  if (note) sender.append(lock());
  sender.append(textElement('span', label));
  return sender;
}

/** The bubble: text as Text nodes, http(s) URLs as links. */
function bubbleNode(text: string, icon: boolean): HTMLElement {
  const bubble = element('div', 'bubble', 'bubble');
  if (icon) bubble.append(lock());
  for (const token of tokenize(text)) {
    if (token.kind === 'text') {
      bubble.append(token.text);
      continue;
    }
    const link = textElement('a', token.text, 'link', 'link');
    link.setAttribute('href', token.href);
    link.rel = 'noopener noreferrer';
    link.target = '_blank';
    bubble.append(link);
  }
  return bubble;
}

/**
 * A send's receipt on the viewer's own rows: "Sending…" while in flight, "Seen" once the other side
 * has read it, nothing in between. The words are the span's generated content, both always laid
 * out in one grid cell, and the row's `data-receipt` only switches which is visible: a send
 * confirmed and "Seen" moving from one message to the next are paint, never layout (issue 12: at
 * most one layout per message; a word coming and going was a layout each).
 */
function receiptNode(t: RowContext['t']): HTMLElement {
  const receipt = element('span', 'receipt', 'receipt');
  receipt.dataset['sending'] = t.sending;
  receipt.dataset['seen'] = t.seen;
  return receipt;
}

function timeNode(iso: string, lang: string): HTMLElement {
  const date = parseDate(iso);
  const time = textElement('time', dateFormat(lang, 'time').format(date));
  time.dateTime = date.toISOString();
  return time;
}

/** A message row's element: its classes and parts (the same words), and its data attributes. */
function rowElement(words: string, data: Readonly<Record<string, string>>, first: boolean): HTMLElement {
  const row = element('div', words, words);
  for (const [name, value] of Object.entries(data)) row.dataset[name] = value;
  if (first) row.dataset['first'] = '';
  return row;
}

/** Builds one row's DOM. */
function buildRow(row: Row, ctx: RowContext): HTMLElement {
  const { t, lang } = ctx;
  if (row.kind === 'day') {
    const day = element('div', 'day', 'day');
    day.dataset['key'] = row.key;
    const time = textElement('time', dateFormat(lang, 'day').format(row.date));
    time.dateTime = row.iso;
    day.append(time);
    return day;
  }
  if (row.kind === 'divider') {
    const { status, id } = row.section;
    const text = status === 'closed' ? t.conversationClosed : status === 'resolved' ? t.conversationResolved : t.conversationEarlier;
    const divider = element('div', 'divider', 'divider');
    Object.assign(divider.dataset, { key: row.key, conversation: id, status });
    divider.append(textElement('span', formatString(text, { date: dateFormat(lang, 'date').format(row.date) })));
    return divider;
  }
  if (row.kind === 'pending') {
    const p = row.pending;
    const note = p.visibility === 'internal';
    const failed = p.state === 'failed';
    const data: Record<string, string> = { key: row.key, id: p.id, state: p.state, visibility: p.visibility };
    if (!failed) data['receipt'] = p.state;
    const node = rowElement(`message mine pending${note ? ' note' : ''}`, data, row.first);
    if (row.first) node.append(senderNode(note ? formatString(t.noteSender, { name: t.you }) : t.you, note, null));
    const meta = element('div', 'meta', 'meta');
    if (failed) {
      meta.append(timeNode(p.created_at, lang), textElement('span', t.failed, 'state'));
      if (p.error) meta.append(textElement('span', p.error, 'error'));
      const retry = textElement('button', t.retry, 'retry', 'retry-button');
      retry.type = 'button';
      meta.append(retry);
    } else {
      // The same meta as the stored message's, so the confirmation changes no node (receiptNode).
      meta.append(receiptNode(t), timeNode(p.created_at, lang));
    }
    const files = p.attachments ?? [];
    if (p.content !== '' || files.length === 0) node.append(bubbleNode(p.content, false));
    // The same boxes as once stored, so the confirmation patches the row without moving anything.
    if (files.length > 0) node.append(attachmentsNode(files, true));
    node.append(meta);
    return node;
  }
  const m = row.message;
  const internal = m.visibility === 'internal';
  const meta = element('div', 'meta', 'meta');
  if (m.sender_type === 'system') {
    const node = rowElement(`message system${internal ? ' internal' : ''}`, { key: row.key, seq: String(m.seq), sender: 'system', visibility: m.visibility }, false);
    if (internal) meta.append(textElement('span', t.teamOnly, 'team-only', 'team-only'));
    meta.append(timeNode(m.created_at, lang));
    node.append(bubbleNode(m.content, internal), meta);
    return node;
  }
  const mine = isMine(ctx, m);
  const words = `message ${mine ? 'mine' : 'theirs'}${internal ? ' note' : ''}`;
  const data: Record<string, string> = { key: row.key, seq: String(m.seq), sender: m.sender_type, visibility: m.visibility };
  if (mine) data['receipt'] = row.seen ? 'seen' : 'none';
  const node = rowElement(words, data, row.first);
  if (row.first) node.append(senderNode(senderLabel(ctx, m), internal, avatarOf(ctx, m)));
  if (mine) meta.append(receiptNode(t));
  meta.append(timeNode(m.created_at, lang));
  // A message may be only files: then no empty bubble; with text, the text comes first.
  if (m.content !== '' || m.attachments.length === 0) node.append(bubbleNode(m.content, false));
  if (m.attachments.length > 0) node.append(attachmentsNode(m.attachments));
  node.append(meta);
  return node;
}

/** Everything a row's DOM depends on besides the context: equal inputs, same DOM. */
function inputsOf(row: Row, ctx: RowContext): readonly unknown[] {
  switch (row.kind) {
    case 'day':
      return [row.kind, row.iso];
    case 'divider':
      return [row.kind, row.section.id, row.section.status, row.section.endedAt];
    case 'pending':
      return [row.kind, row.pending, row.first];
    case 'message': {
      const m = row.message;
      if (m.sender_type === 'system') return [row.kind, m];
      if (!row.first) return [row.kind, m, row.seen, isMine(ctx, m)];
      const avatar = avatarOf(ctx, m);
      return [row.kind, m, row.seen, isMine(ctx, m), senderLabel(ctx, m), avatar?.id, avatar?.name, avatar?.url];
    }
  }
}

function same(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The rows of one render as nodes, in order, with what changed since the previous one. */
export interface RowNodesResult {
  readonly nodes: readonly HTMLElement[];
  /** Node by row key. */
  readonly byKey: ReadonlyMap<string, HTMLElement>;
  /** Nodes that were not in the previous result (new rows), and kept rows patched for new inputs. */
  readonly added: ReadonlySet<HTMLElement>;
}

interface Entry {
  readonly node: HTMLElement;
  readonly inputs: readonly unknown[];
}

/**
 * Keeps a node per row key with the inputs it was built from. Holds only the rows of the latest
 * call, so it never grows past the window. A change of `context` (language, strings, viewer)
 * rebuilds every row.
 */
export class RowNodes {
  private entries = new Map<string, Entry>();
  private context: readonly unknown[] = [];
  private patches: [HTMLElement, HTMLElement][] = [];

  update(rows: readonly Row[], ctx: RowContext, context: readonly unknown[]): RowNodesResult {
    const previous = same(context, this.context) ? this.entries : new Map();
    this.context = context;
    this.patches = [];
    const entries = new Map<string, Entry>();
    const nodes: HTMLElement[] = [];
    const byKey = new Map<string, HTMLElement>();
    const added = new Set<HTMLElement>();
    for (const row of rows) {
      const inputs = inputsOf(row, ctx);
      const kept = previous.get(row.key);
      const entry = kept && same(kept.inputs, inputs) ? kept : this.rebuild(kept, row, ctx, inputs, added);
      entries.set(row.key, entry);
      nodes.push(entry.node);
      byKey.set(row.key, entry.node);
    }
    this.entries = entries;
    return { nodes, byKey, added };
  }

  /**
   * A row whose inputs changed. A kept row is patched rather than replaced (a confirmation, "Seen"
   * moving), so only what differs changes, in `patch()`; it counts as added when anything does.
   */
  private rebuild(kept: Entry | undefined, row: Row, ctx: RowContext, inputs: readonly unknown[], added: Set<HTMLElement>): Entry {
    const built = buildRow(row, ctx);
    if (!kept || kept.node.localName !== built.localName) {
      added.add(built);
      return { node: built, inputs };
    }
    if (!kept.node.isEqualNode(built)) {
      added.add(kept.node);
      this.patches.push([kept.node, built]);
    }
    return { node: kept.node, inputs };
  }

  /**
   * Applies the patches of the latest `update` to the kept rows. Separate, so that the element can
   * read where the rows were (the scroll anchor) before any of them changes.
   */
  patch(): void {
    for (const [node, built] of this.patches) patchNode(node, built);
    this.patches = [];
  }
}
