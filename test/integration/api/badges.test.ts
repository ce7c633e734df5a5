// Where a repository's latest build shows, on SQLite and PostgreSQL: GET …/builds/latest (by ref, branch or
// the default branch, with stages and steps), the status badge (no login, an SVG for every status, "none"
// for anything unknown) and CCMenu's cc.xml. One real build runs on the embedded exec runner for "success";
// the other statuses come from builds placed in the store (ARM stages no runner here takes).

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Build, RepoWithKeys } from '../../../src/core/types.js';
import { seedBuild, seedRepo, stagePlan } from '../../support/seed.js';
import { type TestServer, startTestServer } from '../../support/server.js';
import { call } from '../cron/support.js';
import { addUser, enableRepoWith, runBuild } from './org-support.js';

const CONFORMANCE = '/work/shared/conformance/drone-go/api';
const BUILD_JSON = JSON.parse(readFileSync(`${CONFORMANCE}/build.json`, 'utf8')) as Build;

const PASSING = `kind: pipeline
type: exec
name: default
clone:
  disable: true
steps:
- name: pass
  commands:
  - "true"
`;

/** A stage the embedded linux/amd64 exec runner never takes: its build stays pending. */
const PARKED = stagePlan({ arch: 'arm', variant: 'v7' });

describe.each(['sqlite3', 'postgres'] as const)('latest build, badges and cc.xml on %s', (driver) => {
  let server: TestServer;
  let passed: Build;

  beforeAll(async () => {
    server = await startTestServer({ driver, postgresUrl: inject('postgresUrl'), env: { DRONE_RUNNER_CAPACITY: '1' } });
    await enableRepoWith(server, 'octocat/passing', { '.drone.yml': PASSING });
    passed = await runBuild(server, 'octocat/passing');
  }, 60_000);
  afterAll(async () => server?.close());

  async function badge(path: string) {
    const response = await fetch(`${server.url}/api/badges/${path}`);
    return { status: response.status, headers: response.headers, svg: await response.text() };
  }

  function badgeWord(svg: string): string {
    return /aria-label="build: (\w+)"/.exec(svg)?.[1] ?? '';
  }

  async function parkedRepo(slug: string): Promise<RepoWithKeys> {
    return seedRepo(server.ctx.store, slug);
  }

  it('answers the latest build of the default branch with stages and steps, with drone-go’s keys', async () => {
    expect(passed.status).toBe('success');
    const latest = await call<Build>(server, 'GET', '/api/repos/octocat/passing/builds/latest');
    expect(latest.status).toBe(200);
    expect(latest.json.number).toBe(passed.number);
    for (const key of Object.keys(BUILD_JSON)) expect(latest.json, key).toHaveProperty(key);
    const stage = latest.json.stages?.[0];
    for (const key of Object.keys(BUILD_JSON.stages?.[0] ?? {})) expect(stage, key).toHaveProperty(key);
    expect(stage?.steps?.map((step) => step.name)).toContain('pass');
    expect((await call<Build>(server, 'GET', '/api/repos/octocat/passing/builds/latest?branch=main')).json.number).toBe(passed.number);
    expect((await call<Build>(server, 'GET', '/api/repos/octocat/passing/builds/latest?ref=refs/heads/main')).json.number).toBe(passed.number);
    // A local git repository is private until its owner makes it public; then anyone may read its builds.
    expect((await call(server, 'GET', '/api/repos/octocat/passing/builds/latest', undefined, null)).status).toBe(401);
    expect((await call(server, 'PATCH', '/api/repos/octocat/passing', { visibility: 'public' })).status).toBe(200);
    expect((await call(server, 'GET', '/api/repos/octocat/passing/builds/latest', undefined, null)).status).toBe(200);
  });

  it('answers 404 for a branch or repository without builds, 401 for a guest on an unknown repository', async () => {
    const none = await call(server, 'GET', '/api/repos/octocat/passing/builds/latest?branch=nope');
    expect(none.status).toBe(404);
    expect(none.json).toEqual({ message: 'Not Found' });
    expect((await call(server, 'GET', '/api/repos/octocat/missing/builds/latest')).status).toBe(404);
    expect((await call(server, 'GET', '/api/repos/octocat/missing/builds/latest', undefined, null)).status).toBe(401);
    expect((await call(server, 'GET', `/api/repos/octocat/passing/builds/latest?ref=${'x'.repeat(1001)}`)).status).toBe(400);
  });

  it('keeps a private repository’s latest build from other users', async () => {
    const repo = await parkedRepo('octocat/secretive');
    await server.ctx.store.repos.update(repo.id, { visibility: 'private' });
    await seedBuild(server.ctx.store, repo, [PARKED]);
    const alice = await addUser(server, 'alice');
    expect((await call(server, 'GET', '/api/repos/octocat/secretive/builds/latest', undefined, alice)).status).toBe(404);
    expect((await call(server, 'GET', '/api/repos/octocat/secretive/builds/latest', undefined, null)).status).toBe(401);
    expect((await call(server, 'GET', '/api/repos/octocat/secretive/builds/latest')).status).toBe(200);
  });

  it('serves the success badge without a login, as an SVG anyone may embed, never cached', async () => {
    const passing = await badge('octocat/passing/status.svg');
    expect(passing.status).toBe(200);
    expect(passing.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(passing.headers.get('access-control-allow-origin')).toBe('*');
    expect(passing.headers.get('cache-control')).toMatch(/no-cache/);
    expect(passing.svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(badgeWord(passing.svg)).toBe('success');
    expect(badgeWord((await badge('octocat/passing/status.svg?branch=main')).svg)).toBe('success');
    expect(badgeWord((await badge('octocat/passing/status.svg?ref=refs/heads/main')).svg)).toBe('success');
  });

  it('shows started, error, failure and none for the other statuses', async () => {
    const store = server.ctx.store;
    const pending = await parkedRepo('octocat/waiting');
    await seedBuild(store, pending, [PARKED]);
    expect(badgeWord((await badge('octocat/waiting/status.svg')).svg)).toBe('started');

    const broken = await parkedRepo('octocat/broken');
    await seedBuild(store, broken, [], {}, 'yaml: line 3: mapping values are not allowed');
    expect(badgeWord((await badge('octocat/broken/status.svg')).svg)).toBe('error');

    const stopped = await parkedRepo('octocat/stopped');
    const created = await seedBuild(store, stopped, [PARKED]);
    await store.transitions.cancelBuild(created.build.id);
    expect(badgeWord((await badge('octocat/stopped/status.svg')).svg)).toBe('failure');

    // The newest build of the ref counts: a pending one after the cancelled one.
    await seedBuild(store, stopped, [PARKED]);
    expect(badgeWord((await badge('octocat/stopped/status.svg')).svg)).toBe('started');
    // Another branch has its own badge.
    await seedBuild(store, stopped, [], { ref: 'refs/heads/dev', source: 'dev', target: 'dev' }, 'no pipeline');
    expect(badgeWord((await badge('octocat/stopped/status.svg?branch=dev')).svg)).toBe('error');

    for (const path of ['octocat/passing/status.svg?branch=nope', 'octocat/nothing/status.svg', 'nobody/nothing/status.svg']) {
      const unknown = await badge(path);
      expect(unknown.status, path).toBe(200);
      expect(badgeWord(unknown.svg), path).toBe('none');
    }
  });

  it('describes the last build for CCMenu', async () => {
    const response = await fetch(`${server.url}/api/badges/octocat/passing/cc.xml`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/xml/);
    const xml = await response.text();
    expect(xml).toMatch(/^<Projects><Project [^>]*><\/Project><\/Projects>$/);
    expect(xml).toContain('name="octocat/passing"');
    expect(xml).toContain('activity="Sleeping"');
    expect(xml).toContain('lastBuildStatus="Success"');
    expect(xml).toContain(`lastBuildLabel="${passed.number}"`);
    expect(xml).toMatch(/lastBuildTime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/);
    expect(xml).toContain(`webUrl="${server.ctx.config.server.addr}/octocat/passing/${passed.number}"`);

    const building = await (await fetch(`${server.url}/api/badges/octocat/waiting/cc.xml`)).text();
    expect(building).toContain('activity="Building"');
    expect(building).toContain('lastBuildStatus="Unknown"');
    expect(building).toContain('lastBuildLabel="Unknown"');

    await parkedRepo('octocat/fresh');
    expect((await call(server, 'GET', '/api/badges/octocat/fresh/cc.xml')).status).toBe(404);
    expect((await call(server, 'GET', '/api/badges/octocat/nothing/cc.xml', undefined, null)).status).toBe(401);
    expect((await call(server, 'GET', '/api/badges/octocat/secretive/cc.xml', undefined, null)).status).toBe(401);
  });
});
