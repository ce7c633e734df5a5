// Lease renewals gathered in memory and written once per tick per server, in one statement each
// (DESIGN §3.5): every runner call about a stage marks it; every held watch marks its build.

import type { Leases } from '../core/store.js';

export class LeaseRenewer {
  private stageIds = new Set<number>();

  constructor(
    private readonly leases: Leases,
    private readonly leaseMs: number,
    private readonly watchedBuilds: () => number[],
  ) {}

  /** A sign of life from the runner of this stage. */
  touch(stageId: number): void {
    this.stageIds.add(stageId);
  }

  /** Writes the renewals gathered since the last flush. */
  async flush(): Promise<void> {
    const stageIds = [...this.stageIds];
    this.stageIds = new Set();
    const buildIds = this.watchedBuilds();
    try {
      if (stageIds.length > 0) await this.leases.renewStages(stageIds, this.leaseMs);
      if (buildIds.length > 0) await this.leases.renewBuilds(buildIds, this.leaseMs);
    } catch (err) {
      // Keep the marks for the next tick: a renewal delayed by a second is harmless, a lost one is not.
      for (const id of stageIds) this.stageIds.add(id);
      throw err;
    }
  }
}
