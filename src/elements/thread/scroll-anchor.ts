/**
 * Keeping the reading position when rows come or go above it (older pages prepended, the window
 * sliding): note which message row shows at the top of the scroller and how far below the top,
 * then put it back there after the update. The log sets `overflow-anchor: none` because browsers
 * without scroll anchoring (Safari) would need this anyway, and one mechanism is easier to trust.
 */

/** A row (by key) and its distance from the top of the scroller's viewport. */
export interface ScrollAnchor {
  readonly key: string;
  readonly offset: number;
}

/**
 * The first message row still showing at the top of `scroller`, found by bisection: rows are in
 * order, so a few reads of layout find it in a window of 400. Messages only: a day separator moves
 * when older messages of its day are added above it.
 */
export function findAnchor(scroller: HTMLElement, rows: readonly HTMLElement[]): ScrollAnchor | undefined {
  const top = scroller.scrollTop;
  const messages = rows.filter((row) => row.classList.contains('message'));
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const row = messages[mid] as HTMLElement;
    if (row.offsetTop + row.offsetHeight > top) hi = mid;
    else lo = mid + 1;
  }
  const row = messages[lo];
  return row ? { key: row.dataset['key'] ?? '', offset: row.offsetTop - top } : undefined;
}

/** Scrolls `scroller` so that `row` is where `anchor` saw it (the scroller is its offset parent). */
export function restoreAnchor(scroller: HTMLElement, row: HTMLElement, anchor: ScrollAnchor): void {
  const target = row.offsetTop - anchor.offset;
  if (Math.abs(scroller.scrollTop - target) >= 1) scroller.scrollTop = target;
}
