// Commit statuses (research/drone-server.md §7.6): after a build's state commits, its status goes to the
// SCM with the repository owner's token — when the build is created, when it starts running, when it ends
// and when it is cancelled. Never for cron builds, nor with DRONE_STATUS_DISABLED. Reports of one build go
// out one at a time, newest last, and each attempt sends the build's status as the database has it at that
// moment: a "pending" retried on one server cannot land after the "success" another server sent. A report
// the SCM fails is retried a few times unless a newer one for the build is waiting. (A server that dies
// between the commit and the report loses that report; the next change of the build reports again.)

import type { Logger } from 'pino';
import { UpstreamError } from '../core/errors.js';
import type { CommitState, CommitStatus, Scm } from '../core/scm.js';
import type { BuildStore, RepoStore } from '../core/store.js';
import type { Build } from '../core/types.js';
import type { ScmCredentials } from '../accounts/credentials.js';

export interface CommitStatusDeps {
  scm: Pick<Scm, 'statuses'>;
  repos: Pick<RepoStore, 'find'>;
  builds: Pick<BuildStore, 'find'>;
  credentials: Pick<ScmCredentials, 'forUser'>;
  /** DRONE_STATUS_DISABLED, DRONE_STATUS_NAME, and the server address links point to. */
  settings: { disabled: boolean; name: string; serverAddr: string };
  log: Logger;
  /** Waits before the retries of a failed report (ms); shortened by tests. */
  retryDelaysMs?: number[];
}

const STATES: Record<string, { state: CommitState; description: string }> = {
  blocked: { state: 'pending', description: 'Build is pending approval' },
  declined: { state: 'canceled', description: 'Build was declined' },
  error: { state: 'error', description: 'Build encountered an error' },
  failure: { state: 'failure', description: 'Build is failing' },
  killed: { state: 'canceled', description: 'Build was killed' },
  success: { state: 'success', description: 'Build is passing' },
  pending: { state: 'pending', description: 'Build is pending' },
  running: { state: 'pending', description: 'Build is running' },
  skipped: { state: 'unknown', description: 'Build was skipped' },
};

export class CommitStatusReporter {
  /** The newest status still to send, per build. */
  private readonly waiting = new Map<number, Build>();
  private readonly sending = new Map<number, Promise<void>>();
  private readonly delays: number[];

  constructor(private readonly deps: CommitStatusDeps) {
    this.delays = deps.retryDelaysMs ?? [1_000, 4_000];
  }

  /** Whether statuses go anywhere (a provider with statuses, not disabled). */
  get enabled(): boolean {
    return !this.deps.settings.disabled && this.deps.scm.statuses !== undefined;
  }

  /** Reports the build's status on its commit; returns at once. */
  report(build: Build): void {
    if (!this.enabled || build.event === 'cron' || !build.after) return;
    this.waiting.set(build.id, build);
    if (!this.sending.has(build.id)) this.sending.set(build.id, this.drain(build.id));
  }

  /** Resolves when every report made so far has been sent or given up. */
  async flush(): Promise<void> {
    while (this.sending.size > 0) await Promise.all(this.sending.values());
  }

  private async drain(buildId: number): Promise<void> {
    let sent: string | undefined;
    for (let build = this.waiting.get(buildId); build; build = this.waiting.get(buildId)) {
      this.waiting.delete(buildId);
      sent = await this.send(build, sent);
    }
    // In the same synchronous step as the last check: a report arriving now starts a new drain.
    this.sending.delete(buildId);
  }

  /** Sends the build's current status unless it is `previous` (just sent); answers what was sent. */
  private async send(build: Build, previous: string | undefined): Promise<string | undefined> {
    const { repos, builds, scm, credentials, log } = this.deps;
    const statuses = scm.statuses;
    try {
      const repo = await repos.find(build.repo_id);
      if (!repo || !statuses) return previous;
      for (let attempt = 0; ; attempt++) {
        try {
          const current = (await builds.find(build.id)) ?? build;
          if (current.status === previous) return previous;
          await statuses.setStatus(await credentials.forUser(repo.user_id), repo, this.statusOf(repo.slug, current));
          return current.status;
        } catch (err) {
          const retry = err instanceof UpstreamError && attempt < this.delays.length && !this.waiting.has(build.id);
          if (!retry) throw err;
          await new Promise((resolve) => setTimeout(resolve, this.delays[attempt]));
        }
      }
    } catch (err) {
      log.warn({ err, build: build.id, status: build.status }, 'commit status not sent');
      return previous;
    }
  }

  private statusOf(slug: string, build: Build): CommitStatus {
    const { name, serverAddr } = this.deps.settings;
    const known = STATES[build.status] ?? { state: 'unknown', description: 'Build is in an unknown state' };
    return {
      sha: build.after,
      state: known.state,
      context: statusContext(name, build),
      title: `Build #${build.number}`,
      description: known.description,
      target: `${serverAddr}/${slug}/${build.number}`,
    };
  }
}

/** `<name>/push`, `<name>/pr`, `<name>/tag`, `<name>/promote/<target>`; the bare name for other events. */
export function statusContext(name: string, build: Pick<Build, 'event' | 'deploy_to'>): string {
  switch (build.event) {
    case 'push':
      return `${name}/push`;
    case 'pull_request':
      return `${name}/pr`;
    case 'tag':
      return `${name}/tag`;
    case 'promote':
      return `${name}/promote/${slugify(build.deploy_to ?? '')}`;
    default:
      return name;
  }
}

/** Drone's slug of a deploy target: lower case, runs of anything but letters and digits become one dash. */
function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
