// Build events for live views (`/api/stream`): the bus carries only ids; this server loads a changed
// build once — only when it has viewers, and at most once per burst of changes — and shows it to every
// viewer allowed to see it, as Drone's UI expects: the repository with the build, its stages and steps.

import type { Bus, BuildEvent, Unsubscribe } from '../core/bus.js';
import type { Store } from '../core/store.js';
import type { Repo } from '../core/types.js';

export interface EventViewer {
  /** Whether this viewer may see builds of the repository. */
  allowed(repo: Repo): boolean;
  send(json: string): void;
}

/** Changes of one build within this window are shown once. */
const COALESCE_MS = 50;

export class BuildEventFanout {
  private readonly viewers = new Set<EventViewer>();
  private readonly pending = new Map<number, BuildEvent>();
  private timer?: NodeJS.Timeout;
  private readonly unsubscribe: Unsubscribe;

  constructor(
    private readonly store: Store,
    bus: Bus,
    private readonly onError: (err: unknown) => void,
  ) {
    this.unsubscribe = bus.onEvent((event) => this.changed(event));
  }

  add(viewer: EventViewer): Unsubscribe {
    this.viewers.add(viewer);
    return () => this.viewers.delete(viewer);
  }

  size(): number {
    return this.viewers.size;
  }

  close(): void {
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
  }

  private changed(event: BuildEvent): void {
    if (this.viewers.size === 0) return;
    this.pending.set(event.buildId, event);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const events = [...this.pending.values()];
      this.pending.clear();
      for (const event of events) this.show(event).catch(this.onError);
    }, COALESCE_MS);
  }

  private async show(event: BuildEvent): Promise<void> {
    const [repo, build, stages] = await Promise.all([this.store.repos.find(event.repoId), this.store.builds.find(event.buildId), this.store.builds.stages(event.buildId, true)]);
    if (!repo || !build) return;
    const { signer: _signer, secret: _secret, ...visible } = repo;
    const json = JSON.stringify({ ...visible, build: { ...build, stages } });
    for (const viewer of this.viewers) if (viewer.allowed(visible)) viewer.send(json);
  }
}
