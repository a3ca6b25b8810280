/**
 * Makes a kept row look like a freshly built one by changing only what differs (issue 12: a
 * message costs the page almost nothing). A send's confirmation and the "Seen" receipt moving to
 * the newest message used to replace whole rows: new elements, their style, layout and paint.
 * Patched, the confirmation changes a class, a few data attributes and the meta line, and "Seen"
 * adds or drops one span; the row's bubble and sender line are not touched.
 */

function patchAttributes(target: Element, source: Element): boolean {
  let changed = false;
  for (const name of target.getAttributeNames()) {
    if (!source.hasAttribute(name)) {
      target.removeAttribute(name);
      changed = true;
    }
  }
  for (const name of source.getAttributeNames()) {
    const value = source.getAttribute(name) as string;
    if (target.getAttribute(name) !== value) {
      target.setAttribute(name, value);
      changed = true;
    }
  }
  return changed;
}

/** Whether `a` can be patched into `b`'s shape rather than replaced by it. */
function sameKind(a: Node, b: Node): boolean {
  if (a.nodeType !== b.nodeType) return false;
  return !(a instanceof Element) || (b instanceof Element && a.namespaceURI === b.namespaceURI && a.localName === b.localName);
}

/**
 * Makes `target`'s attributes and subtree equal to `source`'s, moving `source`'s nodes over where
 * `target` has nothing alike; `source` is spent afterwards. Returns whether `target` changed.
 */
export function patchNode(target: Element, source: Element): boolean {
  let changed = patchAttributes(target, source);
  const wanted = Array.from(source.childNodes);
  let current: ChildNode | null = target.firstChild;
  for (const next of wanted) {
    if (current && sameKind(current, next)) {
      if (current instanceof Element) {
        if (patchNode(current, next as Element)) changed = true;
      } else if (current.nodeValue !== next.nodeValue) {
        current.nodeValue = next.nodeValue;
        changed = true;
      }
      current = current.nextSibling;
      continue;
    }
    if (current) current.replaceWith(next);
    else target.append(next);
    current = next.nextSibling;
    changed = true;
  }
  while (current) {
    const after: ChildNode | null = current.nextSibling;
    current.remove();
    current = after;
    changed = true;
  }
  return changed;
}
