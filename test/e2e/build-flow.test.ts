// End to end, with real processes: a `hangar server` process and a `hangar runner exec` process, a real
// git repository whose post-receive hook (scripts/git-post-receive.sh, as the README installs it) asks
// for builds on push. Once on SQLite and once on a throwaway PostgreSQL.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Build, Line, Stage } from '../../src/core/types.js';
import { installPushHook } from '../../src/cli/commands/repo.js';
import { type TestRepo, createTestRepo } from '../support/git-repo.js';
import { createTestDatabase } from '../support/postgres.js';
import { type HangarProcess, type ServerProcess, startRunnerProcess, startServerProcess } from '../support/processes.js';
import { isRunning } from '../support/process-state.js';
import { until } from '../support/wait.js';

const TOKEN = 'e2e-admin-token-0123456789abcdef';
const SECRET_VALUE = 'correct-horse-battery-staple';
const LEASE_MS = 3000;

const TWO_PIPELINES = `kind: pipeline
type: exec
name: first
steps:
- name: count
  environment:
    PASSWORD:
      from_secret: password
  commands:
  - for i in $(seq 1 50); do echo "line $i"; done
  - echo "the password is $PASSWORD"
- name: allowed-to-fail
  failure: ignore
  commands:
  - echo "this step fails, and that is fine"
  - exit 1
---
kind: pipeline
type: exec
name: second
depends_on: [first]
steps:
- name: check
  commands:
  - echo "second runs after first"
  - exit 2
`;

// `$$$$` is the shell's `$$`: Drone's substitution turns `$$` into `$` before the script exists.
const sleeper = (name: string, pidFile: string, seconds: number) => `kind: pipeline
type: exec
name: ${name}
clone:
  disable: true
steps:
- name: sleep
  commands:
  - echo $$$$ > ${pidFile}
  - exec sleep ${seconds}
`;

describe.each(['sqlite3', 'postgres'] as const)('a build end to end on %s', (driver) => {
  let dir: string;
  let server: ServerProcess;
  let runner: HangarProcess;
  let repo: TestRepo;
  let runnerEnv: Record<string, string>;

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const build = (number: number) => api<Build>('GET', `/api/repos/octocat/e2e/builds/${number}`);
  const logOf = (number: number, stage: number, step: number) => api<Line[]>('GET', `/api/repos/octocat/e2e/builds/${number}/logs/${stage}/${step}`);

  /** The build the hook created for this commit. */
  async function buildOf(sha: string): Promise<Build> {
    return until(async () => (await api<Build[]>('GET', '/api/repos/octocat/e2e/builds')).find((b) => b.after === sha), 15_000);
  }

  async function finished(number: number, timeoutMs = 60_000): Promise<Build> {
    return until(async () => {
      const current = await build(number);
      return ['pending', 'running'].includes(current.status) ? undefined : current;
    }, timeoutMs);
  }

  beforeAll(async () => {
    dir = await mkdtemp('/dev/shm/hangar-e2e-');
    const datasource = driver === 'postgres' ? await createTestDatabase(inject('postgresUrl')) : join(dir, 'core.sqlite');
    server = await startServerProcess({
      DRONE_DATABASE_DRIVER: driver,
      DRONE_DATABASE_DATASOURCE: datasource,
      DRONE_RPC_SECRET: 'e2e-rpc-secret',
      DRONE_USER_CREATE: `username:admin,admin:true,token:${TOKEN}`,
      HANGAR_GIT_CACHE: join(dir, 'git-cache'),
      HANGAR_ACCEPT_LEASE: `${LEASE_MS}ms`,
      HANGAR_RUNNING_LEASE: `${LEASE_MS}ms`,
      HANGAR_SWEEP_INTERVAL: '200ms',
      HANGAR_WATCH_HOLD: '2s',
      HANGAR_STAGE_POLL_HOLD: '5s',
    });
    runnerEnv = { DRONE_RPC_SECRET: 'e2e-rpc-secret', DRONE_RUNNER_CAPACITY: '2', DRONE_RUNNER_ROOT: dir, DRONE_RUNNER_NAME: 'e2e-runner' };
    runner = await startRunnerProcess(server.url, runnerEnv);
    repo = await createTestRepo(dir);
    await api('POST', '/api/repos/octocat/e2e', { git_http_url: repo.url, default_branch: 'main' });
    await installPushHook({ server: server.url, token: TOKEN }, 'octocat/e2e', repo.bare, `${server.url}/hook`);
    await api('POST', '/api/repos/octocat/e2e/secrets', { name: 'password', data: SECRET_VALUE });
  });

  afterAll(async () => {
    await runner?.kill('SIGKILL');
    await server?.kill('SIGTERM');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs two dependent pipelines from a push, in order, with complete masked logs', async () => {
    const { sha, output } = await repo.push({ '.drone.yml': TWO_PIPELINES, 'README.md': '# e2e\n' }, 'two pipelines');
    expect(output).toContain('hangar: build of main');
    const created = await buildOf(sha);
    const done = await finished(created.number);

    expect(done.status).toBe('failure');
    const [first, second] = done.stages as Stage[];
    expect(first).toMatchObject({ name: 'first', status: 'success' });
    expect(second).toMatchObject({ name: 'second', status: 'failure' });
    expect(second.started).toBeGreaterThanOrEqual(first.stopped);
    const steps = Object.fromEntries((first.steps ?? []).map((s) => [s.name, s]));
    expect(steps.count.status).toBe('success');
    expect(steps['allowed-to-fail']).toMatchObject({ status: 'failure', exit_code: 1 });

    const count = await logOf(created.number, 1, steps.count.number);
    expect(count.map((l) => l.pos)).toEqual(count.map((_, i) => i));
    const text = count.map((l) => l.out).join('');
    for (let i = 1; i <= 50; i++) expect(text).toContain(`line ${i}\n`);
    expect(text.indexOf('line 1\n')).toBeLessThan(text.indexOf('line 50\n'));
    expect(text).toContain('the password is ******');

    for (const stage of done.stages ?? []) {
      for (const step of stage.steps ?? []) {
        const lines = await logOf(created.number, stage.number, step.number);
        expect(JSON.stringify(lines)).not.toContain(SECRET_VALUE);
      }
    }
    expect(server.output()).not.toContain(SECRET_VALUE);
    expect(runner.output()).not.toContain(SECRET_VALUE);
  });

  it('stops a running `sleep 600` within 2 s of a cancel', async () => {
    const pidFile = join(dir, 'cancel.pid');
    const { sha } = await repo.push({ '.drone.yml': sleeper('slow', pidFile, 600) }, 'sleep long');
    const created = await buildOf(sha);
    const pid = await pidFrom(pidFile);
    expect(alive(pid)).toBe(true);

    const cancelledAt = Date.now();
    const cancelled = await api<Build>('DELETE', `/api/repos/octocat/e2e/builds/${created.number}`);
    expect(cancelled.status).toBe('killed');
    await until(async () => !alive(pid), 5_000, 20);
    expect(Date.now() - cancelledAt).toBeLessThan(2000);
    const done = await finished(created.number);
    expect(done.status).toBe('killed');
  });

  it('gives a build with a YAML syntax error the status error, with line and column', async () => {
    const { sha } = await repo.push({ '.drone.yml': 'kind: pipeline\ntype: exec\nname: broken\nsteps:\n  - name: a\n    commands: [echo hi\n' }, 'broken yaml');
    const created = await buildOf(sha);
    expect(created.status).toBe('error');
    expect(created.error).toMatch(/line \d+, column \d+/);
    expect(await fetch(`${server.url}/healthz`).then((r) => r.text())).toBe('OK');
  });

  it('fails the stage of a runner killed with -9 within the lease, and a new runner takes new work', async () => {
    const pidFile = join(dir, 'lost.pid');
    const { sha } = await repo.push({ '.drone.yml': sleeper('lost', pidFile, 60) }, 'runner dies');
    const created = await buildOf(sha);
    const pid = await pidFrom(pidFile);

    await runner.kill('SIGKILL');
    const killedAt = Date.now();
    const stage = await until(async () => {
      const current = (await build(created.number)).stages?.[0];
      return current && current.status !== 'running' ? current : undefined;
    }, 15_000);
    expect(stage.status).toBe('error');
    expect(stage.error).toMatch(/runner lost/);
    expect(Date.now() - killedAt).toBeLessThan(LEASE_MS + 1500);
    expect((await build(created.number)).status).toBe('error');
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }

    runner = await startRunnerProcess(server.url, runnerEnv);
    const { sha: next } = await repo.push({ '.drone.yml': TWO_PIPELINES.replace('exit 2', 'true') }, 'after the crash');
    expect((await finished((await buildOf(next)).number)).status).toBe('success');
  });
});

/** The pid a step wrote to `file`, once it is there. */
async function pidFrom(file: string): Promise<number> {
  return until(async () => Number((await readFile(file, 'utf8').catch(() => '')).trim()) || undefined, 20_000);
}

const alive = isRunning;
