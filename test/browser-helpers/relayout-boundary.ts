import { expect } from '@open-wc/testing';

/**
 * Asserts that Chromium can lay out `element` on its own (a relayout boundary), by the conditions
 * its layout code checks: layout and size containment, out of any flex or grid algorithm (a flex
 * or grid item never is one, whatever its containment), placed by its own insets. Then a change
 * inside it (a row added, a text changed) lays out that box and stops there, instead of the page.
 */
export function expectRelayoutBoundary(element: HTMLElement, what: string): void {
  const style = getComputedStyle(element);
  expect(style.contain, `${what}: layout and size containment`).to.equal('strict');
  expect(style.position, `${what}: out of its parent's flow`).to.equal('absolute');
  for (const inset of ['top', 'right', 'bottom', 'left'] as const) {
    expect(style[inset], `${what}: placed by its insets, not its static position`).not.to.equal('auto');
  }
  const containingBlock = element.offsetParent;
  expect(containingBlock, `${what}: a containing block in the same tree`).to.be.instanceOf(HTMLElement);
  expect(getComputedStyle(containingBlock as HTMLElement).display, `${what}: its containing block is not a grid`).not.to.match(/grid/);
  const parent = element.parentElement as HTMLElement;
  expect(parent, `${what}: its frame is its containing block`).to.equal(containingBlock);

  // Size containment, behaviourally: what it holds does not size it.
  const before = element.getBoundingClientRect();
  const filler = document.createElement('div');
  filler.style.blockSize = `${before.height + 500}px`;
  element.append(filler);
  const after = element.getBoundingClientRect();
  filler.remove();
  expect([after.width, after.height], `${what}: its content does not size it`).to.deep.equal([before.width, before.height]);
}
