/**
 * Which unread replies of earlier conversations are in view, without reading layout: an
 * IntersectionObserver on those rows only (at most one per earlier conversation), rooted at the
 * scrolling log. The browser computes intersections after its own layout, so neither an update of
 * the thread nor a scroll forces one.
 */

/** What a watched row stands for: the newest message of an earlier conversation with unread messages. */
export interface UnreadEnd {
  readonly conversationId: string;
  readonly seq: number;
}

export class SeenWatcher {
  private observer: IntersectionObserver | undefined;
  private watched = new Map<Element, UnreadEnd>();
  private readonly visible = new Set<Element>();

  /** `onSeen` runs when a watched row comes into view, and on `report()` while it is in view. */
  constructor(private readonly onSeen: (end: UnreadEnd) => void) {}

  /** Starts observing (again) inside `root`, the scroller. */
  connect(root: Element): void {
    this.observer?.disconnect();
    this.visible.clear();
    this.observer = new IntersectionObserver((entries) => this.onEntries(entries), { root });
    for (const row of this.watched.keys()) this.observer.observe(row);
  }

  /** Stops observing; `connect` resumes with the rows last given to `watch`. */
  disconnect(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.visible.clear();
  }

  /** The rows to watch now; rows no longer given are let go. */
  watch(rows: ReadonlyMap<Element, UnreadEnd>): void {
    for (const row of this.watched.keys()) {
      if (rows.has(row)) continue;
      this.observer?.unobserve(row);
      this.visible.delete(row);
    }
    for (const row of rows.keys()) if (!this.watched.has(row)) this.observer?.observe(row);
    this.watched = new Map(rows);
  }

  /**
   * Reports the watched rows in view again. The page may have ignored the first report (the panel
   * was not ready); as before, each update while such a row shows says it again.
   */
  report(): void {
    for (const row of this.visible) {
      const end = this.watched.get(row);
      if (end) this.onSeen(end);
    }
  }

  private onEntries(entries: readonly IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const end = this.watched.get(entry.target);
      // Touching the edge is not being seen: some of the row must show.
      if (end && entry.isIntersecting && entry.intersectionRect.height > 0) {
        this.visible.add(entry.target);
        this.onSeen(end);
      } else {
        this.visible.delete(entry.target);
      }
    }
  }
}
