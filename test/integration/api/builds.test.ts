// Drone's build routes beyond create/find/cancel, and its trigger rules: protected repositories wait for
// approval, auto-cancel supersedes older builds, promote and rollback run the pipelines of their target,
// purge, the admin queue (pausing it stops dispatch) and the incomplete lists — driven through the API and
// signed webhooks as Drone's clients drive them, including drone-node's empty forms.

import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Build, Stage } from '../../../src/core/types.js';
import { signConfig } from '../../../src/pipeline/signature.js';
import { goRequest } from '../../support/go-client.js';
import { type TestRepo, createTestRepo } from '../../support/git-repo.js';
import { EXEC_FILTER } from '../../support/seed.js';
import { ADMIN_TOKEN, RPC_SECRET, type TestServer, startTestServer } from '../../support/server.js';

const PIPELINES = `kind: pipeline
type: exec
name: default
trigger:
  event: [push, custom]
steps:
- name: a
  commands: [echo hi]
---
kind: pipeline
type: exec
name: deploy
trigger:
  event: [promote, rollback]
  target: [production]
steps:
- name: ship
  commands: [echo "$DEPLOY_VERSION"]
`;

type Json = Record<string, unknown>;

describe.each(['sqlite3', 'postgres'] as const)('build routes and trigger rules on %s', (driver) => {
  let server: TestServer;
  let dir: string;
  let repo: TestRepo;
  let secret: string;
  let head: string;
  let deliveries = 0;

  async function call(method: string, path: string, options: { json?: unknown; form?: string; token?: string | null } = {}) {
    const token = options.token === undefined ? ADMIN_TOKEN : options.token;
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    let body: string | undefined;
    if (options.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = options.form;
    } else if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = typeof options.json === 'string' ? options.json : JSON.stringify(options.json);
    }
    const response = await fetch(`${server.url}${path}`, { method, headers, body });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : undefined) as Json & Json[] };
  }

  async function push(files: Record<string, string>, message: string): Promise<Build> {
    head = (await repo.push(files, message)).sha;
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: head,
      repository: { full_name: 'octocat/rules' },
      head_commit: { id: head, message, author: { name: 'Test Author', email: 'author@example.com', username: 'author' } },
      sender: { login: 'author' },
    });
    const response = await fetch(`${server.url}/hook`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-GitHub-Event': 'push',
        'X-GitHub-Delivery': `delivery-${(deliveries += 1)}`,
        'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      },
      body,
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Build;
  }

  async function stagesOf(number: number): Promise<Stage[]> {
    return (await call('GET', `/api/repos/octocat/rules/builds/${number}`)).json.stages as unknown as Stage[];
  }

  beforeAll(async () => {
    server = await startTestServer({ driver, postgresUrl: inject('postgresUrl') });
    dir = await mkdtemp(join(tmpdir(), 'hangar-rules-'));
    repo = await createTestRepo(dir);
    await repo.push({ '.drone.yml': PIPELINES }, 'first');
    expect((await call('POST', '/api/repos/octocat/rules', { json: { git_http_url: repo.url, default_branch: 'main' } })).status).toBe(200);
    secret = String((await call('GET', '/api/repos/octocat/rules/hook')).json.secret);
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('accepts an empty form and an empty JSON body as no body, as Drone does', async () => {
    const form = await call('POST', '/api/repos/octocat/rules/builds', { form: '' });
    expect(form.status).toBe(200);
    expect(form.json).toMatchObject({ event: 'custom', target: 'main', trigger: 'admin' });
    const json = await call('POST', '/api/repos/octocat/rules/builds', { json: '' });
    expect(json.status).toBe(200);
    expect(json.json.number).toBe(Number(form.json.number) + 1);
  });

  it('takes branch and custom parameters from a form (drone-node) and from the query (drone CLI)', async () => {
    const fromForm = await call('POST', '/api/repos/octocat/rules/builds', { form: 'branch=main&DEPLOY_VERSION=1.2' });
    expect(fromForm.json).toMatchObject({ target: 'main', params: { DEPLOY_VERSION: '1.2' } });
    const fromQuery = await call('POST', '/api/repos/octocat/rules/builds?branch=main&DEPLOY_VERSION=1.3');
    expect(fromQuery.json).toMatchObject({ params: { DEPLOY_VERSION: '1.3' } });
  });

  it('holds an unsigned push to a protected repository until a repository admin approves it', async () => {
    expect((await call('PATCH', '/api/repos/octocat/rules', { json: { protected: true } })).json).toMatchObject({ protected: true });
    const held = await push({ 'README.md': 'held' }, 'unsigned');
    expect(held.status).toBe('pending');
    expect((await stagesOf(held.number)).map((stage) => stage.status)).toEqual(['blocked']);
    expect((await call('GET', '/api/queue')).json.some((stage) => stage.build_id === held.id)).toBe(false);

    const approved = await call('POST', `/api/repos/octocat/rules/builds/${held.number}/approve/1`, { form: '' });
    expect(approved.status).toBe(204);
    expect((await stagesOf(held.number))[0].status).toBe('pending');
    const again = await call('POST', `/api/repos/octocat/rules/builds/${held.number}/approve/1`);
    expect(again.status).toBe(400);
    expect(again.json.message).toBe('Cannot approve a Pipeline with Status "pending"');
    expect((await call('POST', `/api/repos/octocat/rules/builds/${held.number}/approve/7`)).status).toBe(404);
  });

  it('declines a held build, and runs a signed push at once', async () => {
    const held = await push({ 'README.md': 'declined' }, 'unsigned again');
    expect((await call('POST', `/api/repos/octocat/rules/builds/${held.number}/decline/1`)).status).toBe(204);
    const declined = await call('GET', `/api/repos/octocat/rules/builds/${held.number}`);
    expect(declined.json).toMatchObject({ status: 'declined' });
    expect((declined.json.stages as unknown as Stage[])[0].status).toBe('declined');
    const restart = await call('POST', `/api/repos/octocat/rules/builds/${held.number}`);
    expect(restart).toMatchObject({ status: 400, json: { message: 'cannot start a declined build' } });

    const repoSecret = await repoSecretOf();
    const signed = signConfig(PIPELINES, repoSecret);
    expect(signed).toBeDefined();
    const build = await push({ '.drone.yml': signed as string }, 'signed');
    expect((await stagesOf(build.number)).map((stage) => stage.status)).toEqual(['pending']);
    // A forged signature is as good as none.
    const forged = await push({ '.drone.yml': (signed as string).replace(/hmac: ([0-9a-f])/, (_m, c: string) => `hmac: ${c === '0' ? '1' : '0'}`) }, 'forged');
    expect((await stagesOf(forged.number)).map((stage) => stage.status)).toEqual(['blocked']);
    await call('PATCH', '/api/repos/octocat/rules', { json: { protected: false } });
  });

  it('lets only repository admins approve or decline', async () => {
    const held = await call('POST', '/api/repos/octocat/rules/builds/1/approve/1', { token: null });
    expect(held.status).toBe(401);
  });

  it('skips the older pending push of a branch when a newer one arrives, with auto-cancel on', async () => {
    await call('PATCH', '/api/repos/octocat/rules', { json: { auto_cancel_pushes: true } });
    const older = await push({ 'README.md': 'older' }, 'older');
    const newer = await push({ 'README.md': 'newer' }, 'newer');
    expect((await call('GET', `/api/repos/octocat/rules/builds/${older.number}`)).json).toMatchObject({ status: 'skipped' });
    expect((await call('GET', `/api/repos/octocat/rules/builds/${newer.number}`)).json).toMatchObject({ status: 'pending' });
    // Custom builds are not pushes: they never supersede one.
    await call('POST', '/api/repos/octocat/rules/builds');
    expect((await call('GET', `/api/repos/octocat/rules/builds/${newer.number}`)).json).toMatchObject({ status: 'pending' });
    await call('PATCH', '/api/repos/octocat/rules', { json: { auto_cancel_pushes: false } });
  });

  it('promotes a build to a target: only the pipelines of that target run, with the parameters given', async () => {
    const source = (await call('POST', '/api/repos/octocat/rules/builds')).json;
    const promoted = await call('POST', `/api/repos/octocat/rules/builds/${source.number}/promote?target=production&DEPLOY_VERSION=2.0`);
    expect(promoted.status).toBe(200);
    expect(promoted.json).toMatchObject({ event: 'promote', deploy_to: 'production', parent: source.number, after: source.after, params: { DEPLOY_VERSION: '2.0' } });
    expect((await stagesOf(Number(promoted.json.number))).map((stage) => stage.name)).toEqual(['deploy']);
    // drone-node sends the target in a form.
    const rollback = await call('POST', `/api/repos/octocat/rules/builds/${source.number}/rollback`, { form: 'target=production' });
    expect(rollback.json).toMatchObject({ event: 'rollback', deploy_to: 'production' });
    const missing = await call('POST', `/api/repos/octocat/rules/builds/${source.number}/promote`, { form: '' });
    expect(missing).toMatchObject({ status: 400, json: { message: 'Missing target environment' } });
    // A target no pipeline asks for builds nothing.
    expect((await call('POST', `/api/repos/octocat/rules/builds/${source.number}/promote?target=staging`)).json).toBeNull();
  });

  it('lists the queue and the incomplete builds for admins only', async () => {
    const queue = await call('GET', '/api/queue');
    expect(queue.status).toBe(200);
    expect(queue.json.length).toBeGreaterThan(0);
    expect(queue.json.every((stage) => stage.status === 'pending' || stage.status === 'running')).toBe(true);
    const incomplete = await call('GET', '/api/builds/incomplete');
    expect(incomplete.json[0]).toMatchObject({ slug: 'octocat/rules', build: { status: 'pending' } });
    const flat = await call('GET', '/api/builds/incomplete/v2');
    expect(Object.keys(flat.json[0])).toEqual(expect.arrayContaining(['repo_slug', 'build_number', 'stage_name', 'stage_status', 'stage_limit', 'stage_limit_repo']));
    expect((await call('GET', '/api/queue', { token: null })).status).toBe(401);
  });

  it('pausing the queue stops dispatch until it is resumed', async () => {
    const build = (await call('POST', '/api/repos/octocat/rules/builds')).json;
    expect((await call('DELETE', '/api/queue')).status).toBe(204);
    const whilePaused = await goRequest(server.url, { method: 'POST', path: '/rpc/v2/stage', body: EXEC_FILTER, token: RPC_SECRET });
    expect(whilePaused.status).toBe(204);
    expect((await call('POST', '/api/queue', { form: '' })).status).toBe(204);
    const offered = await goRequest(server.url, { method: 'POST', path: '/rpc/v2/stage', body: EXEC_FILTER, token: RPC_SECRET });
    expect(offered.status).toBe(200);
    expect(offered.json<Stage>().build_id).toBeLessThanOrEqual(Number(build.id));
  });

  it('shows every change in the build list at once, although the list is kept between requests', async () => {
    const list = async () => (await call('GET', '/api/repos/octocat/rules/builds?per_page=5')).json;
    const created = (await call('POST', '/api/repos/octocat/rules/builds')).json;
    const first = await list();
    expect(first[0]).toMatchObject({ number: created.number, status: 'pending' });
    expect(await list()).toEqual(first);
    expect((await call('DELETE', `/api/repos/octocat/rules/builds/${created.number}`)).status).toBe(200);
    expect((await list())[0]).toMatchObject({ number: created.number, status: 'killed' });
    const next = (await call('POST', '/api/repos/octocat/rules/builds')).json;
    expect((await list()).map((build) => build.number).slice(0, 2)).toEqual([next.number, created.number]);
  });

  it('purges the builds before a number', async () => {
    const before = await call('DELETE', '/api/repos/octocat/rules/builds');
    expect(before.status).toBe(400);
    expect((await call('DELETE', '/api/repos/octocat/rules/builds?before=3')).status).toBe(204);
    const numbers = (await call('GET', '/api/repos/octocat/rules/builds?per_page=100')).json.map((build) => build.number);
    expect(Math.min(...numbers.map(Number))).toBe(3);
    expect((await call('GET', '/api/repos/octocat/rules/builds/1')).status).toBe(404);
  });

  it('removes a repository with its history when asked (`?remove=true`), and only disables it otherwise', async () => {
    expect((await call('DELETE', '/api/repos/octocat/rules')).json).toMatchObject({ active: false });
    expect((await call('GET', '/api/repos/octocat/rules/builds')).json.length).toBeGreaterThan(0);
    const removed = await call('DELETE', '/api/repos/octocat/rules?remove=true');
    expect(removed).toMatchObject({ status: 200, json: { slug: 'octocat/rules' } });
    expect((await call('GET', '/api/repos/octocat/rules')).status).toBe(404);
    expect(await server.ctx.store.builds.findByNumber(Number(removed.json.id), 3)).toBeUndefined();
    expect((await call('DELETE', '/api/repos/octocat/rules?remove=maybe')).status).toBe(400);
  });

  async function repoSecretOf(): Promise<string> {
    const found = await server.ctx.store.repos.findBySlug('octocat/rules');
    return found?.secret ?? '';
  }
});
