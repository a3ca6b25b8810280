/**
 * A Lit directive that shows a list of existing nodes in a child position, in order, moving only
 * what changed. Unlike `repeat`, it adds no marker comments per item (two per row, 800 nodes in a
 * full window), and a node that stays in place is not touched at all.
 */
import { noChange } from 'lit';
import { Directive, directive, PartType } from 'lit/directive.js';
import type { ChildPart, PartInfo } from 'lit/directive.js';

/**
 * Makes the nodes between `start` and `end` exactly `nodes`, in order. Nodes no longer wanted go
 * first, so that the walk after it only inserts (rows added at either end, rebuilt rows) and kept
 * nodes are never detached, which would reset their state (focus, scroll, observers).
 */
export function placeNodes(parent: Node, start: Node, end: Node | null, nodes: readonly Node[]): void {
  const wanted = new Set(nodes);
  for (let node = start.nextSibling; node && node !== end; ) {
    const next: ChildNode | null = node.nextSibling;
    if (!wanted.has(node)) parent.removeChild(node);
    node = next;
  }
  let cursor = start.nextSibling;
  for (const node of nodes) {
    if (node === cursor) cursor = cursor.nextSibling;
    else parent.insertBefore(node, cursor);
  }
}

class KeptNodesDirective extends Directive {
  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.CHILD) throw new Error('keptNodes() only works in a child position');
  }

  render(_nodes: readonly Node[]): typeof noChange {
    return noChange;
  }

  override update(part: ChildPart, [nodes]: [readonly Node[]]): typeof noChange {
    const parent = part.parentNode;
    const start = part.startNode;
    if (start) placeNodes(parent, start, part.endNode, nodes);
    return noChange;
  }
}

/** `${keptNodes(nodes)}`: the nodes themselves, in this position, in this order. */
export const keptNodes = directive(KeptNodesDirective);

/**
 * Whether going from `previous` to `next` adds or removes nodes above one that stays: then what
 * the reader sees moves, unless the scroll position follows. Only adding or dropping after every
 * kept node (a new message at the bottom, the last row rebuilt) leaves it in place.
 */
export function changedAbove(previous: readonly Node[], next: readonly Node[], added: ReadonlySet<Node>): boolean {
  const now = new Set(next);
  let gone = false;
  for (const node of previous) {
    if (!now.has(node)) gone = true;
    else if (gone) return true;
  }
  let fresh = false;
  for (const node of next) {
    if (added.has(node)) fresh = true;
    else if (fresh) return true;
  }
  return false;
}
