/**
 * What an attachment element takes from the thread it sits in. Row nodes are built by hand
 * (thread/row-nodes.ts) inside the thread's shadow root, where `closest('[lang]')` and attribute
 * inheritance stop: so the language is looked up through the shadow hosts.
 */
/** The nearest element, crossing shadow roots, that matches `selector`. */
function closestAcross(node: Element, selector: string): Element | null {
  let current: Element | null = node;
  while (current) {
    const found: Element | null = current.closest(selector);
    if (found) return found;
    const root = current.getRootNode();
    current = root instanceof ShadowRoot ? root.host : null;
  }
  return null;
}

/** The nearest `lang` through shadow hosts, then the document's, then the browser's. */
export function languageAcross(node: Element): string {
  return (closestAcross(node, '[lang]') as HTMLElement | null)?.lang || document.documentElement.lang || navigator.language;
}
