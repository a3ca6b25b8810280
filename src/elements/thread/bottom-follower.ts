/**
 * Keeping a log that follows the newest messages at its bottom, once per frame. Where the bottom
 * is needs layout: read right after an update, it forces a layout of its own on top of the
 * frame's (one per update, and a message brings several: the row, its confirmation, a receipt).
 * Read in the frame's animation callback, it is the frame's layout, done early, and the frame
 * still paints the new rows at the bottom.
 */
export class BottomFollower {
  private frame = 0;

  /** `target` gives the log while it should follow the bottom, undefined otherwise (checked in the frame). */
  constructor(private readonly target: () => HTMLElement | undefined) {}

  /** Scrolls to the bottom in the next frame's callback; calls before it share it. */
  follow(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const log = this.target();
      if (log) log.scrollTop = log.scrollHeight;
    });
  }

  /**
   * A scroll to the bottom is due this frame. A scroll event dispatched before it reports a
   * position from before the update (the frame runs scroll events first): the view is not
   * leaving the bottom, and must not stop following it.
   */
  get pending(): boolean {
    return this.frame !== 0;
  }

  cancel(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }
}
