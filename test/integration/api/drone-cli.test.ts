// The drone CLI's requests (harness/drone-cli 1.9 through drone-go, research/drone-clients.md §2.2 and
// §2.4), sent as drone-go sends them — `Authorization: Bearer`, JSON bodies only where it has an input
// struct, nulls for the patch fields it leaves alone, parameters in the query — each answered with what the
// command decodes: a 2xx, and JSON with at least the keys and types of the recorded Drone responses in
// ../shared/conformance/drone-go/api/.

import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestRepo, createTestRepo } from '../../support/git-repo.js';
import { ADMIN_TOKEN, type TestServer, startTestServer } from '../../support/server.js';
import { until } from '../../support/wait.js';

const CONFORMANCE = join(import.meta.dirname, '../../../../shared/conformance/drone-go/api');
const PIPELINE = `kind: pipeline
type: exec
name: default
steps:
- name: greet
  commands: [echo hello]
`;

type Recorded = 'user' | 'users' | 'repo' | 'repos' | 'build' | 'builds' | 'cron' | 'crons' | 'logs';

/** The JSON type of every key of a recorded response (first element of arrays, one level into stages). */
function shapeOf(value: unknown): Record<string, string> {
  const item = Array.isArray(value) ? value[0] : value;
  const shape: Record<string, string> = {};
  for (const [key, field] of Object.entries(item as Record<string, unknown>)) shape[key] = Array.isArray(field) ? 'array' : field === null ? 'null' : typeof field;
  return shape;
}
const recorded = (name: Recorded) => shapeOf(JSON.parse(readFileSync(join(CONFORMANCE, `${name}.json`), 'utf8')));

/** A request as drone-go sends it: Go's http.Client, JSON only with an input struct. */
function droneGo(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const request = http.request(
      new URL(path, url),
      {
        method,
        headers: {
          Authorization: `Bearer ${ADMIN_TOKEN}`,
          'User-Agent': 'Go-http-client/1.1',
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

describe('drone CLI commands against Hangar', () => {
  let server: TestServer;
  let dir: string;
  let repo: TestRepo;
  let built: number;

  async function decode(method: string, path: string, body?: unknown): Promise<unknown> {
    const answer = await droneGo(server.url, method, path, body);
    // drone-go: any status above 299 is an error; a command with an output decodes the body as JSON.
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
    return JSON.parse(answer.text) as unknown;
  }

  async function expectShape(method: string, path: string, name: Recorded, body?: unknown): Promise<unknown> {
    const decoded = await decode(method, path, body);
    if (Array.isArray(decoded)) expect(decoded.length, `${method} ${path} lists something`).toBeGreaterThan(0);
    const shape = shapeOf(decoded);
    for (const [key, type] of Object.entries(recorded(name))) expect(`${key}: ${shape[key]}`, `${method} ${path}`).toBe(`${key}: ${type}`);
    return decoded;
  }

  async function expectOk(method: string, path: string, body?: unknown): Promise<void> {
    const answer = await droneGo(server.url, method, path, body);
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
  }

  beforeAll(async () => {
    server = await startTestServer({ driver: 'sqlite3', env: { DRONE_RUNNER_CAPACITY: '1' } });
    dir = await mkdtemp(join(tmpdir(), 'hangar-drone-cli-'));
    repo = await createTestRepo(dir);
    await repo.push({ '.drone.yml': PIPELINE }, 'pipeline');
    await decode('POST', '/api/repos/octocat/cli', { git_http_url: repo.url, default_branch: 'master' });
    await repo.branch('master');
    built = ((await decode('POST', '/api/repos/octocat/cli/builds?branch=master')) as { number: number }).number;
    await until(async () => ((await decode('GET', `/api/repos/octocat/cli/builds/${built}`)) as { status: string }).status === 'success', 60_000);
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('info, user ls/info/add/update/block/rm', async () => {
    await expectShape('GET', '/api/user', 'user');
    await expectShape('GET', '/api/users', 'users');
    await expectShape('GET', '/api/users/admin', 'user');
    // drone-go's UserCreate sends the whole User struct, zero values included.
    const bot = await expectShape('POST', '/api/users', 'user', { id: 0, login: 'ci-bot', email: '', avatar_url: '', active: true, admin: false, machine: true, syncing: false, synced: 0, created: 0, updated: 0, last_login: 0, token: '' });
    expect(typeof (bot as { token?: unknown }).token).toBe('string');
    await expectShape('PATCH', '/api/users/ci-bot', 'user', { admin: false, active: true });
    await expectShape('PATCH', '/api/users/ci-bot', 'user', { active: false });
    await expectOk('DELETE', '/api/users/ci-bot');
  });

  it('repo ls/info/sync/enable/update/repair/chown/disable', async () => {
    await expectShape('GET', '/api/user/repos', 'repos');
    await expectShape('GET', '/api/repos/octocat/cli', 'repo');
    await expectShape('POST', '/api/user/repos', 'repos');
    await expectShape('GET', '/api/repos?page=1&per_page=10', 'repos');
    // RepoPatch: the booleans without omitempty come as null and must not change anything.
    const patched = (await expectShape('PATCH', '/api/repos/octocat/cli', 'repo', {
      timeout: 90,
      ignore_forks: null,
      ignore_pull_requests: null,
      auto_cancel_pull_requests: null,
      auto_cancel_pushes: null,
      auto_cancel_running: null,
    })) as { timeout: number; ignore_forks: boolean };
    expect(patched).toMatchObject({ timeout: 90, ignore_forks: false });
    await expectOk('POST', '/api/repos/octocat/cli/repair');
    await expectShape('POST', '/api/repos/octocat/cli/chown', 'repo');
  });

  it('build ls/info/last/create/restart/stop/promote/rollback/queue', async () => {
    await expectShape('GET', '/api/repos/octocat/cli/builds', 'builds');
    await expectShape('GET', '/api/repos/octocat/cli/builds?page=1&per_page=25', 'builds');
    await expectShape('GET', `/api/repos/octocat/cli/builds/${built}`, 'build');
    await expectShape('GET', '/api/repos/octocat/cli/builds/latest?branch=master', 'build');
    await expectShape('GET', '/api/repos/octocat/cli/builds/latest', 'build');
    const created = (await expectShape('POST', '/api/repos/octocat/cli/builds?branch=master&GREETING=hi', 'build')) as { number: number; params: unknown };
    expect(created.params).toEqual({ GREETING: 'hi' });
    const restarted = (await expectShape('POST', `/api/repos/octocat/cli/builds/${built}?LEVEL=debug`, 'build')) as { number: number };
    await expectOk('DELETE', `/api/repos/octocat/cli/builds/${restarted.number}`);
    expect(await expectShape('POST', `/api/repos/octocat/cli/builds/${built}/promote?target=production`, 'build')).toMatchObject({ event: 'promote', deploy_to: 'production' });
    expect(await expectShape('POST', `/api/repos/octocat/cli/builds/${built}/rollback?target=production`, 'build')).toMatchObject({ event: 'rollback' });
    expect(Array.isArray(await decode('GET', '/api/builds/incomplete'))).toBe(true);
    expect(Array.isArray(await decode('GET', '/api/builds/incomplete/v2'))).toBe(true);
  });

  it('log view/purge', async () => {
    await expectShape('GET', `/api/repos/octocat/cli/builds/${built}/logs/1/2`, 'logs');
    await expectOk('DELETE', `/api/repos/octocat/cli/builds/${built}/logs/1/2`);
  });

  it('secret and orgsecret add/update/info/ls/rm, encrypt, sign', async () => {
    const secret = { name: 'docker_password', data: 'hunter2', pull_request: false, pull_request_push: false };
    expect(await decode('POST', '/api/repos/octocat/cli/secrets', secret)).toMatchObject({ name: 'docker_password' });
    expect(await decode('PATCH', '/api/repos/octocat/cli/secrets/docker_password', { ...secret, data: 'hunter3' })).toMatchObject({ name: 'docker_password' });
    expect(await decode('GET', '/api/repos/octocat/cli/secrets/docker_password')).toMatchObject({ name: 'docker_password' });
    expect(JSON.stringify(await decode('GET', '/api/repos/octocat/cli/secrets'))).not.toContain('hunter');
    await expectOk('DELETE', '/api/repos/octocat/cli/secrets/docker_password');

    expect(await decode('POST', '/api/secrets/octocat', { namespace: 'octocat', ...secret })).toMatchObject({ name: 'docker_password' });
    expect(await decode('PATCH', '/api/secrets/octocat/docker_password', { namespace: 'octocat', ...secret, pull_request: true })).toMatchObject({ pull_request: true });
    expect(await decode('GET', '/api/secrets/octocat/docker_password')).toMatchObject({ name: 'docker_password' });
    expect(JSON.stringify(await decode('GET', '/api/secrets'))).not.toContain('hunter');
    expect(Array.isArray(await decode('GET', '/api/secrets/octocat'))).toBe(true);
    await expectOk('DELETE', '/api/secrets/octocat/docker_password');

    expect(await decode('POST', '/api/repos/octocat/cli/encrypt/secret', { data: 'hunter2', pull_request: false })).toMatchObject({ data: expect.any(String) });
    expect(await decode('POST', '/api/repos/octocat/cli/sign', { data: PIPELINE })).toMatchObject({ data: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('cron add/ls/info/exec/disable/enable/rm', async () => {
    // drone-go's CronCreate sends the whole Cron struct, zero values included.
    const cron = { id: 0, repo_id: 0, name: 'nightly', expr: '0 0 0 * * *', next: 0, prev: 0, event: '', branch: 'master', target: '', disabled: false, created: 0, updated: 0 };
    await expectShape('POST', '/api/repos/octocat/cli/cron', 'cron', cron);
    await expectShape('GET', '/api/repos/octocat/cli/cron', 'crons');
    await expectShape('GET', '/api/repos/octocat/cli/cron/nightly', 'cron');
    await expectOk('POST', '/api/repos/octocat/cli/cron/nightly');
    // CronPatch has no omitempty: `drone cron disable` sends nulls for everything but `disabled`.
    expect(await expectShape('PATCH', '/api/repos/octocat/cli/cron/nightly', 'cron', { event: null, branch: null, target: null, disabled: true })).toMatchObject({ disabled: true, branch: 'master' });
    expect(await expectShape('PATCH', '/api/repos/octocat/cli/cron/nightly', 'cron', { event: null, branch: null, target: null, disabled: false })).toMatchObject({ disabled: false });
    await expectOk('DELETE', '/api/repos/octocat/cli/cron/nightly');
  });

  it('template add/update/info/ls/rm', async () => {
    const template = { name: 'go.yml', data: 'kind: pipeline\ntype: exec\nname: {{ .input.name }}\nsteps:\n- name: a\n  commands: [echo a]\n' };
    expect(await decode('POST', '/api/templates/octocat', template)).toMatchObject({ name: 'go.yml' });
    expect(await decode('PATCH', '/api/templates/octocat/go.yml', { data: `${template.data}# changed\n` })).toMatchObject({ name: 'go.yml' });
    expect(await decode('GET', '/api/templates/octocat/go.yml')).toMatchObject({ name: 'go.yml', data: expect.stringContaining('# changed') });
    expect((await decode('GET', '/api/templates/octocat')) as unknown[]).toHaveLength(1);
    expect(Array.isArray(await decode('GET', '/api/templates'))).toBe(true);
    await expectOk('DELETE', '/api/templates/octocat/go.yml');
  });

  it('queue ls/pause/resume', async () => {
    expect(Array.isArray(await decode('GET', '/api/queue'))).toBe(true);
    await expectOk('DELETE', '/api/queue');
    await expectOk('POST', '/api/queue');
  });

  it('repo disable', async () => {
    await expectOk('DELETE', '/api/repos/octocat/cli');
  });
});
