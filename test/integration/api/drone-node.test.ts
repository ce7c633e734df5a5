// Drone's own JavaScript client, drone-node 2.2.0 (research/drone-clients.md §1), unchanged against a running
// Hangar: users and tokens, repositories, builds and their logs, secrets, organisation secrets, crons and the
// queue — with the errors it reports for a bad token (401), a non-admin on admin routes (403), a user without
// access to a repository and a missing one (404). drone-node has no template methods: templates are driven
// as the drone CLI drives them, in drone-cli.test.ts.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import drone from 'drone-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestRepo, createTestRepo } from '../../support/git-repo.js';
import { ADMIN_TOKEN, type TestServer, startTestServer } from '../../support/server.js';
import { until } from '../../support/wait.js';

const PIPELINE = `kind: pipeline
type: exec
name: default
trigger:
  event: [custom, push]
steps:
- name: greet
  commands:
  - echo "hello from $DRONE_REPO"
---
kind: pipeline
type: exec
name: deploy
trigger:
  event: [promote]
  target: [production]
steps:
- name: ship
  commands: [echo shipping]
`;

type DroneClient = InstanceType<typeof drone.Client>;
interface DroneError {
  status: number;
  message: string;
}

function client(url: string, token: string): DroneClient {
  return new drone.Client({ url, token });
}

/** The HTTP status drone-node rejected with (it rejects with axios' error.toJSON()). */
async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (err) {
    return (err as DroneError).status;
  }
}

describe('drone-node 2.2.0 against Hangar', () => {
  let server: TestServer;
  let dir: string;
  let repo: TestRepo;
  let admin: DroneClient;
  let alice: DroneClient;

  beforeAll(async () => {
    server = await startTestServer({ driver: 'sqlite3', env: { DRONE_RUNNER_CAPACITY: '1', DRONE_RUNNER_NAME: 'embedded' } });
    dir = await mkdtemp(join(tmpdir(), 'hangar-drone-node-'));
    repo = await createTestRepo(dir);
    await repo.push({ '.drone.yml': PIPELINE }, 'pipelines');
    admin = client(server.url, ADMIN_TOKEN);
    // The local git provider takes the clone URL when a repository is first enabled (drone-node cannot send it).
    const enabled = await fetch(`${server.url}/api/repos/octocat/node`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ git_http_url: repo.url, default_branch: 'main', private: true }),
    });
    expect(enabled.status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('manages users, machine users and tokens', async () => {
    const self = await admin.getSelf();
    expect(Object.keys(self)).toEqual(expect.arrayContaining(['id', 'login', 'email', 'machine', 'admin', 'active', 'avatar', 'syncing', 'synced', 'created', 'updated', 'last_login']));
    const token = await admin.getToken();
    expect(token).toMatchObject({ login: 'admin', token: ADMIN_TOKEN });

    const created = await admin.createUser({ login: 'alice', email: 'alice@example.com' });
    expect(created).toMatchObject({ login: 'alice', admin: false, machine: false, active: true });
    expect(created).not.toHaveProperty('token');
    const bot = await admin.createUser({ login: 'deploy-bot', machine: true });
    expect(typeof bot.token).toBe('string');
    expect(await client(server.url, bot.token).getSelf()).toMatchObject({ login: 'deploy-bot', machine: true });

    expect((await admin.getUsers()).map((user: { login: string }) => user.login)).toEqual(expect.arrayContaining(['admin', 'alice', 'deploy-bot']));
    expect(await admin.getUser('alice')).toMatchObject({ login: 'alice' });
    expect(await admin.updateUser('deploy-bot', { active: false })).toMatchObject({ active: false });
    expect(await statusOf(client(server.url, bot.token).getSelf())).toBe(401);
    expect(await admin.deleteUser('deploy-bot')).toBe('');
    expect(await statusOf(admin.getUser('deploy-bot'))).toBe(404);

    const rotated = await fetch(`${server.url}/api/users/alice/token/rotate`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    alice = client(server.url, ((await rotated.json()) as { token: string }).token);
    expect(await alice.getSelf()).toMatchObject({ login: 'alice' });
  });

  it('reports 401 for a bad token and 403 for a non-admin on admin routes', async () => {
    expect(await statusOf(client(server.url, 'not-a-token').getSelf())).toBe(401);
    for (const call of [alice.getUsers(), alice.getQueue(), alice.incompleteBuilds(), alice.getRepos(), alice.getSystemStats(), alice.getAllGlobalSecrets(), alice.createUser({ login: 'eve' })]) {
      expect(await statusOf(call)).toBe(403);
    }
  });

  it('reads and changes repositories; 404 for a private one the user cannot see and for a missing one', async () => {
    expect(await admin.getRepo('octocat', 'node')).toMatchObject({ slug: 'octocat/node', active: true, permissions: { admin: true } });
    expect(await statusOf(alice.getRepo('octocat', 'node'))).toBe(404);
    expect(await statusOf(admin.getRepo('octocat', 'missing'))).toBe(404);
    const updated = await admin.updateRepo('octocat', 'node', { timeout: 30, protected: false, visibility: 'private' });
    expect(updated).toMatchObject({ timeout: 30, visibility: 'private' });
    expect(await admin.chownRepo('octocat', 'node')).toMatchObject({ slug: 'octocat/node' });
    expect(await admin.repairRepo('octocat', 'node')).toMatchObject({ slug: 'octocat/node' });
    expect((await admin.getRepos()).map((r: { slug: string }) => r.slug)).toContain('octocat/node');
    expect((await admin.selfRepos({ latest: true })).map((r: { slug: string }) => r.slug)).toContain('octocat/node');
    expect(await admin.syncRepos({ async: true })).toBe('');
    expect(await admin.disableRepo('octocat', 'node')).toMatchObject({ active: false });
    expect(await admin.enableRepo('octocat', 'node')).toMatchObject({ active: true });
  });

  it('triggers, follows, restarts, promotes and cancels builds, and reads and deletes their logs', async () => {
    const build = await admin.triggerBuild('octocat', 'node', { branch: 'main' });
    expect(build).toMatchObject({ event: 'custom', target: 'main', trigger: 'admin' });
    const finished = await until(async () => {
      const current = await admin.getBuild('octocat', 'node', build.number);
      return current.status === 'success' && current;
    }, 60_000);
    expect(finished.stages[0].steps.map((step: { name: string }) => step.name)).toEqual(['clone', 'greet']);
    // The clone step's log is the commands and their output, without git's "initial branch" advice.
    const clone = (await admin.getLogs('octocat', 'node', build.number, 1, 1)).map((line: { out: string }) => line.out).join('');
    expect(clone).toContain('+ git');
    expect(clone).not.toContain('hint:');
    const lines = await admin.getLogs('octocat', 'node', build.number, 1, 2);
    expect(lines.map((line: { out: string }) => line.out).join('')).toContain('hello from octocat/node');
    expect(await admin.deleteLogs('octocat', 'node', build.number, 1, 2)).toBe('');
    expect(await statusOf(admin.getLogs('octocat', 'node', build.number, 1, 2))).toBe(404);

    expect(await admin.latestBuild('octocat', 'node', { branch: 'main' })).toMatchObject({ number: build.number });
    expect((await admin.getBuilds('octocat', 'node', 1, 25)).map((b: { number: number }) => b.number)).toContain(build.number);
    expect(await admin.recentBuilds()).toEqual(expect.arrayContaining([expect.objectContaining({ slug: 'octocat/node', build: expect.objectContaining({ number: expect.any(Number) }) })]));

    const retried = await admin.retryBuild('octocat', 'node', build.number, { REASON: 'flaky' });
    expect(retried).toMatchObject({ parent: build.number, params: { REASON: 'flaky' } });
    const cancelled = await admin.cancelBuild('octocat', 'node', retried.number);
    expect(['killed', 'success']).toContain(cancelled.status);
    const promoted = await admin.promoteBuild('octocat', 'node', build.number, 'production', { VERSION: '1.0' });
    expect(promoted).toMatchObject({ event: 'promote', deploy_to: 'production', params: { VERSION: '1.0' } });
    expect(await statusOf(admin.approveBuild('octocat', 'node', promoted.number, 1))).toBe(400);

    expect(await admin.purgeBuilds('octocat', 'node', build.number)).toBe('');
    expect(await statusOf(alice.cancelBuild('octocat', 'node', build.number))).toBe(404);
  });

  it('manages secrets without ever showing their values', async () => {
    const created = await admin.createSecret('octocat', 'node', { name: 'token', data: 'repo-secret-value', pull_request: false });
    expect(created).toMatchObject({ name: 'token' });
    expect(JSON.stringify(await admin.getSecrets('octocat', 'node'))).not.toContain('repo-secret-value');
    expect(await admin.getSecret('octocat', 'node', 'token')).not.toHaveProperty('data');
    expect(await admin.updateSecret('octocat', 'node', 'token', { data: 'rotated-value', pull_request: true })).toMatchObject({ pull_request: true });
    expect(await admin.deleteSecret('octocat', 'node', 'token')).toBe('');
    expect(await statusOf(admin.getSecret('octocat', 'node', 'token'))).toBe(404);
    expect(await statusOf(alice.getSecrets('octocat', 'node'))).toBe(404);

    const encrypted = await admin.encryptSecret('octocat', 'node', 'plain-value');
    expect(typeof encrypted.data).toBe('string');
    expect(encrypted.data).not.toContain('plain-value');
    const signed = await admin.signConfig('octocat', 'node', PIPELINE);
    expect(signed.data).toMatch(/^[0-9a-f]{64}$/);
  });

  it('manages organisation secrets', async () => {
    expect(await admin.createGlobalSecret('octocat', { name: 'docker_password', data: 'org-secret-value' })).toMatchObject({ namespace: 'octocat', name: 'docker_password' });
    expect(JSON.stringify(await admin.getGlobalSecrets('octocat'))).not.toContain('org-secret-value');
    expect(await admin.getGlobalSecret('octocat', 'docker_password')).toMatchObject({ name: 'docker_password' });
    expect(await admin.updateGlobalSecret('octocat', 'docker_password', { data: 'new', pull_request: true })).toMatchObject({ pull_request: true });
    expect((await admin.getAllGlobalSecrets()).map((s: { name: string }) => s.name)).toContain('docker_password');
    expect(await statusOf(alice.getGlobalSecrets('octocat'))).not.toBe(200);
    expect(await admin.deleteGlobalSecret('octocat', 'docker_password')).toBe('');
  });

  it('manages crons and runs one now', async () => {
    expect(await admin.createCron('octocat', 'node', { name: 'nightly', expr: '0 0 0 * * *', branch: 'main' })).toMatchObject({ name: 'nightly', branch: 'main' });
    expect((await admin.getCrons('octocat', 'node')).map((c: { name: string }) => c.name)).toEqual(['nightly']);
    expect(await admin.getCron('octocat', 'node', 'nightly')).toMatchObject({ expr: '0 0 0 * * *' });
    expect(await admin.updateCron('octocat', 'node', 'nightly', { disabled: true })).toMatchObject({ disabled: true });
    // No pipeline runs for the cron event: Drone answers null.
    expect(await admin.executeCron('octocat', 'node', 'nightly')).toBeNull();
    expect(await admin.deleteCron('octocat', 'node', 'nightly')).toBe('');
  });

  it('lists, pauses and resumes the queue, and reports system stats', async () => {
    expect(Array.isArray(await admin.getQueue())).toBe(true);
    expect(await admin.pauseQueue()).toBe('');
    expect(await server.ctx.store.queue.paused()).toBe(true);
    expect(await admin.resumeQueue()).toBe('');
    expect(await server.ctx.store.queue.paused()).toBe(false);
    const stats = await admin.getSystemStats();
    expect(stats).toMatchObject({ users: { total: expect.any(Number) }, repos: { active: expect.any(Number) }, builds: { total: expect.any(Number) } });
    expect(Array.isArray(await admin.incompleteBuilds())).toBe(true);
  });
});
