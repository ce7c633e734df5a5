// Held `POST /rpc/v2/build/{id}/watch` requests. A watch answers 200 when its build is cancelled (a bus
// hint, or the sweep finding the build done in the database) and 204 when its hold ends. While a watch is
// held, this server renews the leases of that build's running stages (DESIGN §3.5): a stock runner sends
// nothing else during a silent step.

interface Watch {
  resolve: (cancelled: boolean) => void;
}

export class WatchRegistry {
  private readonly watches = new Map<number, Set<Watch>>();

  /** Resolves true when the build is cancelled, false when `signal` aborts first. */
  wait(buildId: number, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      let set = this.watches.get(buildId);
      if (!set) {
        set = new Set();
        this.watches.set(buildId, set);
      }
      const watch: Watch = { resolve };
      set.add(watch);
      const owner = set;
      signal.addEventListener(
        'abort',
        () => {
          if (!owner.delete(watch)) return;
          if (owner.size === 0 && this.watches.get(buildId) === owner) this.watches.delete(buildId);
          resolve(false);
        },
        { once: true },
      );
    });
  }

  /** The build is cancelled or done: every watch held for it answers. */
  cancel(buildId: number): void {
    const set = this.watches.get(buildId);
    if (!set) return;
    this.watches.delete(buildId);
    for (const watch of set) watch.resolve(true);
  }

  /** Builds with at least one held watch. */
  buildIds(): number[] {
    return [...this.watches.keys()];
  }

  /** Ends every held watch without cancelling (drain, shutdown). */
  releaseAll(): void {
    for (const set of this.watches.values()) for (const watch of set) watch.resolve(false);
    this.watches.clear();
  }

  size(): number {
    let count = 0;
    for (const set of this.watches.values()) count += set.size;
    return count;
  }
}
