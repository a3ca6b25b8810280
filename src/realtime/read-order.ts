/**
 * Orders snapshot reads against live changes of the same row. A read started before a live change
 * arrived may answer after it with older data; applying it would undo the change. Any change
 * committed after the snapshot still arrives live, so dropping such a read loses nothing.
 */
export class ReadOrder {
  #liveChanges = 0;
  #readsStarted = 0;
  #newestApplied = 0;

  /** A live change was applied. */
  live(): void {
    this.#liveChanges++;
  }

  /** A read starts; call the returned check when it answers: true when its result may be applied. */
  startRead(): () => boolean {
    const read = ++this.#readsStarted;
    const changesBefore = this.#liveChanges;
    return () => {
      if (read < this.#newestApplied || changesBefore !== this.#liveChanges) return false;
      this.#newestApplied = read;
      return true;
    };
  }
}
