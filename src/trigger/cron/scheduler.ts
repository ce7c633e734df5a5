// The cron scheduler every server runs (DESIGN §3.7). Each check: take the due jobs — a compare-and-set
// on each job's `next` that records an intent in the same transaction, so of N servers exactly one takes
// a due run — and build what was taken; then claim and build intents whose server died or failed before
// building them. Builds carry the key `cron:<cron id>:<due>`, so an intent built twice still makes one.
//
// DRONE_CRON_INTERVAL: Drone looks for due jobs once per interval (30 min by default), so a job fires up
// to one interval late and at most once per interval. Hangar looks every `checkEveryMs` (10 s, or the
// interval when shorter), so a job fires on time, and keeps the interval as the shortest time between two
// runs of a job: after a run the next one is the first scheduled time at least one interval later. A job
// due more often than the interval therefore builds as often as on Drone, and no more.

import type { Logger } from 'pino';
import type { CronIntent, CronStore, RepoStore } from '../../core/store.js';
import type { Cron } from '../../core/types.js';
import { type CronRunDeps, runCronJob } from './run-cron.js';
import { parseCronExpression } from './schedule.js';

export interface CronSchedulerDeps extends CronRunDeps {
  crons: CronStore;
  repos: Pick<RepoStore, 'find'>;
  log: Logger;
}

export interface CronSchedulerOptions {
  /** DRONE_CRON_INTERVAL: the shortest time between two runs of one job. */
  intervalMs: number;
  /** How often due jobs and abandoned intents are looked for. */
  checkEveryMs: number;
  /** How long a server that took or claimed an intent has to build it before another server may. */
  claimMs: number;
}

/** How many due jobs or abandoned intents one check handles (the rest wait for the next check). */
const BATCH = 100;
/** Claims of one intent before it is given up (a missing branch, a configuration that cannot be read...). */
const MAX_ATTEMPTS = 3;
const LONGEST_CHECK_MS = 10_000;
const DEFAULT_CLAIM_MS = 60_000;

export function cronSchedulerOptions(intervalMs: number): CronSchedulerOptions {
  return { intervalMs, checkEveryMs: Math.min(intervalMs, LONGEST_CHECK_MS), claimMs: DEFAULT_CLAIM_MS };
}

export class CronScheduler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private completedChecks = 0;

  constructor(
    private readonly deps: CronSchedulerDeps,
    private readonly options: CronSchedulerOptions,
  ) {}

  /** The first check comes one check period after start, as Drone's first tick comes one interval after. */
  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.check().finally(() => (this.running = undefined));
    }, this.options.checkEveryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Checks completed since start (tests wait on it instead of sleeping). */
  get checks(): number {
    return this.completedChecks;
  }

  /** One check; a failure is logged and the next check tries again. */
  async check(): Promise<void> {
    try {
      await this.takeDueJobs();
      await this.buildAbandonedIntents();
    } catch (err) {
      this.deps.log.warn({ err }, 'cron: check failed');
    } finally {
      this.completedChecks++;
    }
  }

  private async takeDueJobs(): Promise<void> {
    const { now, crons } = await this.deps.crons.findDue(BATCH);
    for (const cron of crons) {
      const next = this.nextRun(cron, now);
      if (next === undefined) continue;
      const intent = await this.deps.crons.take({ cronId: cron.id, due: cron.next, next, claimMs: this.options.claimMs });
      if (intent) await this.build(intent);
    }
  }

  private async buildAbandonedIntents(): Promise<void> {
    for (const intent of await this.deps.crons.claimIntents(BATCH, this.options.claimMs)) await this.build(intent);
  }

  /** The first scheduled time at least one interval after `now`; undefined (logged) for a job that cannot run. */
  private nextRun(cron: Cron, now: number): number | undefined {
    const spacing = Math.max(1, Math.ceil(this.options.intervalMs / 1000));
    try {
      const next = parseCronExpression(cron.expr).next(now + spacing - 1);
      if (next === undefined) this.deps.log.warn({ cron: cron.id, expr: cron.expr }, 'cron: expression never fires again');
      return next;
    } catch (err) {
      this.deps.log.warn({ err, cron: cron.id, expr: cron.expr }, 'cron: invalid expression');
      return undefined;
    }
  }

  /** Turns an intent into a build; kept for another attempt on failure, removed once built or given up. */
  private async build(intent: CronIntent): Promise<void> {
    const { log } = this.deps;
    const context = { cron: intent.cronId, name: intent.name, due: intent.due, attempt: intent.attempts };
    try {
      const repo = await this.deps.repos.find(intent.repoId);
      if (!repo || !repo.active) {
        log.debug({ ...context, repo: intent.repoId }, 'cron: repository missing or inactive, skipped');
      } else {
        const build = await runCronJob(this.deps, repo, intent, { dedupKey: `cron:${intent.cronId}:${intent.due}` });
        log.info({ ...context, repo: repo.slug, build: build?.number ?? null }, build ? 'cron: build created' : 'cron: no pipeline matched');
      }
    } catch (err) {
      if (intent.attempts < MAX_ATTEMPTS) {
        log.warn({ err, ...context }, 'cron: cannot build, will retry');
        return;
      }
      log.error({ err, ...context }, 'cron: cannot build, giving up');
    }
    await this.deps.crons.finishIntent(intent);
  }
}
