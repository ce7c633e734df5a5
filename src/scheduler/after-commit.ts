// What goes out after a state change has committed (DESIGN §3.2: no network I/O inside a transaction):
// wake-ups for parked polls, cancel hints for held watches, the end of live log streams, build events.

import type { Bus } from '../core/bus.js';
import type { LiveLog } from '../core/livelog.js';
import type { Aftermath } from '../core/store.js';

export class AfterCommit {
  constructor(
    private readonly bus: Bus,
    private readonly livelog: LiveLog,
  ) {}

  /** A build changed: live views on every server may show it. */
  buildChanged(repoId: number, buildId: number): void {
    this.bus.publishEvent({ repoId, buildId });
  }

  /** New pending stages (a new build, a re-queued stage): wake the runners. */
  stagesPending(): void {
    this.bus.publishWake();
  }

  /** A stage finished (by its runner or by expiry): end its streams; freed slots and promoted stages wake runners. */
  stageFinished(aftermath: Aftermath): void {
    for (const stepId of aftermath.endedStepIds) this.livelog.close(stepId);
    this.bus.publishWake();
    // A finished build also releases the watches of any runner still attached to it.
    if (aftermath.buildFinished) this.bus.publishCancel(aftermath.build.id);
    this.buildChanged(aftermath.build.repo_id, aftermath.build.id);
  }

  /** A build was cancelled: every server's held watches for it answer; freed slots wake runners. */
  buildCancelled(repoId: number, buildId: number, endedStepIds: number[]): void {
    this.bus.publishCancel(buildId);
    for (const stepId of endedStepIds) this.livelog.close(stepId);
    this.bus.publishWake();
    this.buildChanged(repoId, buildId);
  }
}
