// Commit statuses: the words and links Drone sends, one build's reports in order with the newest last,
// retries while the SCM fails, and none for cron builds or with DRONE_STATUS_DISABLED.

import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../src/core/errors.js';
import type { CommitStatus, RepoRef, StatusService, Token } from '../../../src/core/scm.js';
import type { Build, RepoWithKeys } from '../../../src/core/types.js';
import { CommitStatusReporter, statusContext } from '../../../src/notify/commit-status.js';
import { until } from '../../support/wait.js';

const REPO = { id: 1, slug: 'octocat/hello', user_id: 7, uid: '42' } as RepoWithKeys;
const build = (status: Build['status'], overrides: Partial<Build> = {}): Build => ({ id: 5, repo_id: 1, number: 12, event: 'push', after: 'a'.repeat(40), status, ...overrides }) as Build;

/** A status service whose calls resolve when the test says so. */
class ManualStatuses implements StatusService {
  readonly sent: Array<{ token: Token | undefined; status: CommitStatus }> = [];
  private gates: Array<() => void> = [];
  failures = 0;
  async setStatus(token: Token | undefined, _repo: RepoRef, status: CommitStatus): Promise<void> {
    await new Promise<void>((resolve) => this.gates.push(resolve));
    if (this.failures > 0) {
      this.failures--;
      throw new UpstreamError('GitHub: 503');
    }
    this.sent.push({ token, status });
  }
  get waiting(): number {
    return this.gates.length;
  }
  release(): void {
    for (const gate of this.gates.splice(0)) gate();
  }
}

/** The builds table as the reporter reads it: each report() below also stores its build. */
const stored = new Map<number, Build>();

function reporter(statuses: StatusService | undefined, settings: Partial<{ disabled: boolean }> = {}) {
  const token: Token = { access: 'owner-token', refresh: '', expiry: 0 };
  const r = new CommitStatusReporter({
    scm: { statuses },
    repos: { find: async () => REPO },
    builds: { find: async (id) => stored.get(id) },
    credentials: { forUser: async (id) => (id === 7 ? token : undefined) },
    settings: { disabled: settings.disabled ?? false, name: 'continuous-integration/drone', serverAddr: 'https://ci.example.com' },
    log: pino({ level: 'silent' }),
    retryDelaysMs: [1, 1],
  });
  const report = r.report.bind(r);
  r.report = (build) => {
    stored.set(build.id, build);
    report(build);
  };
  return r;
}

async function drain(statuses: ManualStatuses, statusReporter: CommitStatusReporter): Promise<void> {
  const done = statusReporter.flush();
  const pump = setInterval(() => statuses.release(), 1);
  await done;
  clearInterval(pump);
}

describe('commit statuses', () => {
  it("sends Drone's state, words, context and link with the repository owner's token", async () => {
    const statuses = new ManualStatuses();
    const r = reporter(statuses);
    r.report(build('success'));
    await drain(statuses, r);
    expect(statuses.sent).toEqual([
      {
        token: { access: 'owner-token', refresh: '', expiry: 0 },
        status: { sha: 'a'.repeat(40), state: 'success', context: 'continuous-integration/drone/push', title: 'Build #12', description: 'Build is passing', target: 'https://ci.example.com/octocat/hello/12' },
      },
    ]);
  });

  it('sends the newest status of a build once, skipping reports overtaken while one was in flight', async () => {
    const statuses = new ManualStatuses();
    const r = reporter(statuses);
    r.report(build('pending'));
    r.report(build('running'));
    r.report(build('success'));
    await drain(statuses, r);
    expect(statuses.sent.map((s) => s.status.description)).toEqual(['Build is passing']);
  });

  it('sends a build pending, then passing, in that order', async () => {
    const statuses = new ManualStatuses();
    const r = reporter(statuses);
    r.report(build('pending'));
    await until(async () => statuses.waiting === 1, 1000, 1);
    statuses.release();
    r.report(build('success'));
    await drain(statuses, r);
    expect(statuses.sent.map((s) => s.status.state)).toEqual(['pending', 'success']);
  });

  it('sends, at each attempt, the status the database has then: a retried "pending" cannot land after "success"', async () => {
    const statuses = new ManualStatuses();
    statuses.failures = 1;
    const r = reporter(statuses);
    r.report(build('pending'));
    // Another server finished the build meanwhile (its report went out there).
    stored.set(5, build('success'));
    await drain(statuses, r);
    expect(statuses.sent.map((s) => s.status.state)).toEqual(['success']);
  });

  it('retries a report the SCM failed', async () => {
    const statuses = new ManualStatuses();
    statuses.failures = 2;
    const r = reporter(statuses);
    r.report(build('failure'));
    await drain(statuses, r);
    expect(statuses.sent.map((s) => s.status.state)).toEqual(['failure']);
  });

  it('sends nothing for cron builds, with DRONE_STATUS_DISABLED, or where the SCM has no statuses', async () => {
    const statuses = new ManualStatuses();
    const r = reporter(statuses);
    r.report(build('success', { event: 'cron' }));
    const disabled = reporter(statuses, { disabled: true });
    disabled.report(build('success'));
    await drain(statuses, r);
    await drain(statuses, disabled);
    expect(statuses.sent).toEqual([]);
    expect(reporter(undefined).enabled).toBe(false);
  });

  it("names the context by event as Drone does, a promotion by its target's slug", () => {
    const name = 'continuous-integration/drone';
    expect(statusContext(name, { event: 'pull_request' })).toBe(`${name}/pr`);
    expect(statusContext(name, { event: 'tag' })).toBe(`${name}/tag`);
    expect(statusContext(name, { event: 'promote', deploy_to: 'Production EU' })).toBe(`${name}/promote/production-eu`);
    expect(statusContext(name, { event: 'custom' })).toBe(name);
  });
});
