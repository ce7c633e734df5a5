// What goes out after a state change has committed (DESIGN §3.2: no network I/O inside a transaction):
// wake-ups for parked polls, cancel hints for held watches, the end of live log streams, build events, and
// commit statuses. Every handler, the sweep and the trigger call this one place; none sends anything itself.

import type { Bus } from '../core/bus.js';
import type { LiveLog } from '../core/livelog.js';
import type { Aftermath } from '../core/store.js';
import type { Build, Stage } from '../core/types.js';

/** Told of every change of a build's status (commit statuses on the SCM). */
export interface BuildStatusListener {
  report(build: Build): void;
}

/** This server's parked runners, offered a new build's stages before the other servers are woken. */
export interface LocalRunners {
  /** Resolves with how many of a new build's pending stages this server's parked runners took. */
  offer(pending: readonly Stage[]): Promise<number>;
}

/**
 * How long the other servers wait for this server's parked runners to take a new build before they are
 * woken anyway: far beyond a healthy reservation statement (about a millisecond), far below the sweep.
 */
export const LOCAL_OFFER_WAIT_MS = 100;

export class AfterCommit {
  constructor(
    private readonly bus: Bus,
    private readonly livelog: LiveLog,
    private readonly statuses?: BuildStatusListener,
    private readonly localRunners?: LocalRunners,
  ) {}

  /** A build changed: live views on every server may show it. */
  buildChanged(repoId: number, buildId: number): void {
    this.bus.publishEvent({ repoId, buildId });
  }

  /**
   * A build was created (by a hook, the API or cron) with `pending` stages ready to run. This server's
   * parked runners try first; the other servers are woken only for the stages left, because every server
   * woken answers with a reservation statement and only one can win each stage.
   */
  buildCreated(build: Build, pending: readonly Stage[]): void {
    this.buildChanged(build.repo_id, build.id);
    this.statuses?.report(build);
    if (pending.length === 0) return;
    if (!this.localRunners) return this.bus.publishWake();
    let othersWoken = false;
    const wakeOthers = (): void => {
      clearTimeout(bound);
      if (othersWoken) return;
      othersWoken = true;
      this.bus.publishWake('others');
    };
    // A reservation statement that hangs here must not keep the other servers' runners waiting for the sweep.
    const bound = setTimeout(wakeOthers, LOCAL_OFFER_WAIT_MS).unref();
    void this.localRunners.offer(pending).then(
      (taken) => (taken < pending.length ? wakeOthers() : clearTimeout(bound)),
      wakeOthers,
    );
  }

  /** A stage started; `startedBuild` is the build when this start made it running. */
  stageStarted(repoId: number, buildId: number, startedBuild: Build | undefined): void {
    this.buildChanged(repoId, buildId);
    if (startedBuild) this.statuses?.report(startedBuild);
  }

  /** New pending stages (a re-queued stage): wake the runners. */
  stagesPending(): void {
    this.bus.publishWake();
  }

  /**
   * A stage finished (by its runner or by expiry): end its streams; promoted stages and freed slots wake
   * runners. `finished` is the stage when its caller has it: one that counted against no concurrency limit
   * and no throttle held nothing back, so only promoted stages wake. (A stage created before its pipeline
   * or repository got a limit can still hold back a younger one: the sweep picks that up within an
   * interval.) Without it (expiry, reconcile) every finish wakes.
   */
  stageFinished(aftermath: Aftermath, finished?: Pick<Stage, 'limit' | 'throttle'>): void {
    for (const stepId of aftermath.endedStepIds) this.livelog.close(stepId);
    if (aftermath.promoted > 0 || !finished || (finished.limit ?? 0) > 0 || (finished.throttle ?? 0) > 0) this.bus.publishWake();
    // A finished build also releases the watches of any runner still attached to it.
    if (aftermath.buildFinished) {
      this.bus.publishCancel(aftermath.build.id);
      this.statuses?.report(aftermath.build);
    }
    this.buildChanged(aftermath.build.repo_id, aftermath.build.id);
  }

  /** Blocked stages were approved: the ones now pending wake the runners. */
  stagesApproved(aftermath: Aftermath): void {
    if (aftermath.promoted > 0) this.bus.publishWake();
    this.buildChanged(aftermath.build.repo_id, aftermath.build.id);
  }

  /** A blocked build was declined: it is final. */
  buildDeclined(build: Build): void {
    this.buildChanged(build.repo_id, build.id);
    this.statuses?.report(build);
  }

  /** The queue was resumed: every server's parked runners look again. */
  queueResumed(): void {
    this.bus.publishWake();
  }

  /** A build was cancelled: every server's held watches for it answer; freed slots wake runners. */
  buildCancelled(build: Build, endedStepIds: number[]): void {
    this.bus.publishCancel(build.id);
    for (const stepId of endedStepIds) this.livelog.close(stepId);
    this.bus.publishWake();
    this.buildChanged(build.repo_id, build.id);
    this.statuses?.report(build);
  }
}
