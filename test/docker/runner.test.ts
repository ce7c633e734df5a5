// `hangar runner docker` end to end, with real processes: a `hangar server`, a docker runner on podman's
// Docker API (shared-namespace networking), a git repository whose push hook asks for builds. Statuses
// and logs as Drone's docker runner gives them; a cancel kills the container at once; nothing the runner
// created is left on the engine — after success, failure, cancel, and a runner killed with -9 and started
// again.

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { installPushHook } from '../../src/cli/commands/repo.js';
import type { Build, Line, Stage } from '../../src/core/types.js';
import { dockerClient } from '../../src/runner/engines/docker/client.js';
import { RUNNER_LABEL } from '../../src/runner/engines/docker/sweep.js';
import { type TestRepo, createTestRepo } from '../support/git-repo.js';
import { leftovers, NOTHING_LEFT } from '../support/podman.js';
import { type HangarProcess, type ServerProcess, spawnHangar, startServerProcess } from '../support/processes.js';
import { until } from '../support/wait.js';
import { CLONING_PIPELINE, FAILING_PIPELINE, SERVICE_PIPELINE, SERVICE_PIPELINE_STEPS, SLEEPING_PIPELINE } from './pipelines.js';

const TOKEN = 'docker-admin-token-0123456789abcd';
const RPC_SECRET = 'docker-rpc-secret';
const RUNNER_NAME = 'docker-e2e-runner';
const LEASE_MS = 3000;

let dir: string;
let server: ServerProcess;
let runner: HangarProcess;
let repo: TestRepo;
let docker: Docker;

async function api<T>(method: string, path: string): Promise<T> {
  const response = await fetch(`${server.url}${path}`, { method, headers: { Authorization: `Bearer ${TOKEN}` } });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const build = (number: number) => api<Build>('GET', `/api/repos/octocat/docker/builds/${number}`);
const logText = async (number: number, step: number) =>
  (await api<Line[]>('GET', `/api/repos/octocat/docker/builds/${number}/logs/1/${step}`)).map((l) => l.out).join('');

async function pushed(pipeline: string, message: string, files: Record<string, string> = {}): Promise<Build> {
  const { sha } = await repo.push({ '.drone.yml': pipeline, 'last-change.txt': message, ...files }, message);
  return until(async () => (await api<Build[]>('GET', '/api/repos/octocat/docker/builds')).find((b) => b.after === sha), 15_000);
}

async function finished(number: number): Promise<Build> {
  return until(async () => {
    const current = await build(number);
    return ['pending', 'running'].includes(current.status) ? undefined : current;
  }, 60_000);
}

async function startDockerRunner(): Promise<HangarProcess> {
  const started = spawnHangar(['runner', 'docker', '/dev/null'], {
    DRONE_RPC_PROTO: 'http',
    DRONE_RPC_HOST: new URL(server.url).host,
    DRONE_RPC_SECRET: RPC_SECRET,
    DRONE_RUNNER_NAME: RUNNER_NAME,
    DRONE_RUNNER_CAPACITY: '2',
    DOCKER_HOST: inject('dockerHost'),
    HANGAR_DOCKER_NETWORK: 'shared',
    HANGAR_DOCKER_SANDBOX_IMAGE: 'busybox:1.36',
    // Where the shared namespaces' hosts files go: checked for leftovers too.
    TMPDIR: dir,
    DRONE_RUNNER_CLONE_IMAGE: 'docker.io/hangar-test/git:latest',
    // The repository is a file:// URL: the clone step sees it at the same path.
    DRONE_RUNNER_VOLUMES: `${dir}:${dir}`,
  });
  await started.waitFor(/docker runner polling/);
  return started;
}

/** The running container of the step named `name`, once there is one. */
function runningStep(name: string): Promise<Docker.ContainerInfo> {
  const filters = JSON.stringify({ label: [`${RUNNER_LABEL}=${RUNNER_NAME}`, `io.drone.step.name=${name}`], status: ['running'] });
  return until(async () => (await docker.listContainers({ filters }))[0], 30_000);
}

/** No container, volume or network of the runner on the engine, and no hosts file of a stage. */
const nothingLeft = () =>
  until(async () => {
    const hostsFiles = (await readdir(dir)).filter((name) => name.endsWith('.hosts'));
    return hostsFiles.length === 0 && JSON.stringify(await leftovers(docker, `${RUNNER_LABEL}=${RUNNER_NAME}`)) === JSON.stringify(NOTHING_LEFT);
  }, 10_000);

beforeAll(async () => {
  docker = dockerClient({ DOCKER_HOST: inject('dockerHost') });
  dir = await mkdtemp('/dev/shm/hangar-docker-');
  server = await startServerProcess({
    DRONE_DATABASE_DRIVER: 'sqlite3',
    DRONE_DATABASE_DATASOURCE: join(dir, 'core.sqlite'),
    DRONE_RPC_SECRET: RPC_SECRET,
    DRONE_USER_CREATE: `username:admin,admin:true,token:${TOKEN}`,
    HANGAR_GIT_CACHE: join(dir, 'git-cache'),
    HANGAR_ACCEPT_LEASE: `${LEASE_MS}ms`,
    HANGAR_RUNNING_LEASE: `${LEASE_MS}ms`,
    HANGAR_SWEEP_INTERVAL: '200ms',
    HANGAR_WATCH_HOLD: '2s',
    HANGAR_STAGE_POLL_HOLD: '5s',
  });
  runner = await startDockerRunner();
  repo = await createTestRepo(dir);
  const response = await fetch(`${server.url}/api/repos/octocat/docker`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ git_http_url: repo.url, default_branch: 'main' }),
  });
  expect(response.ok).toBe(true);
  await installPushHook({ server: server.url, token: TOKEN }, 'octocat/docker', repo.bare, `${server.url}/hook`);
});

afterAll(async () => {
  await runner?.kill('SIGKILL');
  await server?.kill('SIGTERM');
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('hangar runner docker', () => {
  it('runs a service, shared workspace, ignored failure, on-failure step and exit 78 with Drone’s statuses and logs', async () => {
    const done = await finished((await pushed(SERVICE_PIPELINE, 'service pipeline')).number);
    expect(done.status).toBe('success');
    const stage = (done.stages as Stage[])[0];
    expect(stage).toMatchObject({ name: 'default', type: 'docker', status: 'success' });
    const steps = Object.fromEntries((stage.steps ?? []).map((s) => [s.name, s]));
    expect(Object.fromEntries(Object.entries(steps).map(([name, s]) => [name, { status: s.status, exit_code: s.exit_code }]))).toEqual(SERVICE_PIPELINE_STEPS);
    expect(steps.web.detached).toBe(true);
    expect(steps.flaky.errignore).toBe(true);

    const read = await logText(done.number, steps.read.number);
    expect(read).toContain('+ cat note.txt\nshared through the workspace\n');
    expect(read).toContain('hello from the service\n');
    expect(await logText(done.number, steps.flaky.number)).toContain('failing, and that is fine\n');
    expect(await logText(done.number, steps['stop-early'].number)).toContain('nothing more to do\n');
    await nothingLeft();
  });

  it('clones the pushed commit into the workspace before the steps', async () => {
    const done = await finished((await pushed(CLONING_PIPELINE, 'cloning pipeline', { 'greeting.txt': 'hello from the repository\n' })).number);
    const steps = Object.fromEntries(((done.stages as Stage[])[0].steps ?? []).map((s) => [s.name, s]));
    expect(steps.clone).toMatchObject({ number: 1, status: 'success' });
    expect(await logText(done.number, steps.show.number)).toContain('hello from the repository\n');
    expect(done.status).toBe('success');
    await nothingLeft();
  });

  it('fails the build when a step fails, after running the on-failure step', async () => {
    const done = await finished((await pushed(FAILING_PIPELINE, 'failing pipeline')).number);
    expect(done.status).toBe('failure');
    const steps = Object.fromEntries(((done.stages as Stage[])[0].steps ?? []).map((s) => [s.name, s]));
    expect(steps.broken).toMatchObject({ status: 'failure', exit_code: 2 });
    expect(steps['on-failure']).toMatchObject({ status: 'success', exit_code: 0 });
    expect(await logText(done.number, steps['on-failure'].number)).toContain('cleaning up after the failure\n');
    await nothingLeft();
  });

  it('stops a running `sleep 600` container within 2 s of a cancel', async () => {
    const created = await pushed(SLEEPING_PIPELINE, 'sleep long');
    const container = await runningStep('sleep');
    const cancelledAt = Date.now();
    expect((await api<Build>('DELETE', `/api/repos/octocat/docker/builds/${created.number}`)).status).toBe('killed');
    await until(async () => (await docker.getContainer(container.Id).inspect().catch(() => undefined))?.State.Running !== true, 5_000, 20);
    expect(Date.now() - cancelledAt).toBeLessThan(2000);
    expect((await finished(created.number)).status).toBe('killed');
    await nothingLeft();
  });

  it('removes what a runner killed with -9 left, when it starts again', async () => {
    const created = await pushed(SLEEPING_PIPELINE, 'runner dies');
    const container = await runningStep('sleep');
    await runner.kill('SIGKILL');
    expect((await docker.getContainer(container.Id).inspect()).State.Running).toBe(true);
    expect((await leftovers(docker, `${RUNNER_LABEL}=${RUNNER_NAME}`)).volumes).toHaveLength(1);

    runner = await startDockerRunner();
    await nothingLeft();
    expect((await finished(created.number)).status).toBe('error');
  });
});
