// The current user's dashboard on SQLite and PostgreSQL: GET /api/user/repos (with `?latest=true`, each
// repository with its newest build as `build`) and GET /api/user/builds[/recent] (the newest builds across
// the user's repositories, each as its repository with `build`), with the keys drone-node's own test asserts.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Repo } from '../../../src/core/types.js';
import { seedBuild, seedRepo, stagePlan } from '../../support/seed.js';
import { type TestServer, startTestServer } from '../../support/server.js';
import { call } from '../cron/support.js';
import { addUser } from './org-support.js';

/** drone-node 2.2.0's test/client.js: the keys of each repository and of its `build`. */
const REPO_KEYS = 'id uid user_id namespace name slug scm git_http_url git_ssh_url link default_branch private visibility active config_path trusted protected ignore_forks ignore_pull_requests auto_cancel_pull_requests auto_cancel_pushes timeout counter synced created updated version'.split(' ');
const BUILD_KEYS = 'id repo_id trigger number status event action link timestamp message before after ref source_repo source target author_login author_name author_email author_avatar sender started finished created updated version'.split(' ');

const PARKED = [stagePlan({ arch: 'arm', variant: 'v7' })];

describe.each(['sqlite3', 'postgres'] as const)('user dashboard on %s', (driver) => {
  let server: TestServer;
  let aliceToken: string;

  beforeAll(async () => {
    server = await startTestServer({ driver, postgresUrl: inject('postgresUrl') });
    aliceToken = await addUser(server, 'alice');
    const store = server.ctx.store;
    const alpha = await seedRepo(store, 'octocat/alpha');
    const beta = await seedRepo(store, 'octocat/beta');
    await seedRepo(store, 'octocat/empty');
    await seedRepo(store, 'octocat/hidden');
    await seedBuild(store, alpha, PARKED);
    await seedBuild(store, beta, PARKED);
    await seedBuild(store, alpha, PARKED, { ref: 'refs/heads/dev' });
    const alice = await store.users.findByLogin('alice');
    for (const repo of [alpha, beta]) await store.repos.setPermissions(alice?.id ?? 0, repo.uid, { read: true, write: false, admin: false });
  });
  afterAll(async () => server?.close());

  it('lists the repositories with their newest builds when asked', async () => {
    const plain = await call<Repo[]>(server, 'GET', '/api/user/repos');
    expect(plain.json.map((repo) => repo.slug)).toEqual(['octocat/alpha', 'octocat/beta', 'octocat/empty', 'octocat/hidden']);
    expect(plain.json.some((repo) => 'build' in repo)).toBe(false);

    const latest = await call<Repo[]>(server, 'GET', '/api/user/repos?latest=true');
    expect(latest.status).toBe(200);
    expect(latest.json.map((repo) => [repo.slug, repo.build?.number, repo.build?.ref])).toEqual([
      ['octocat/alpha', 2, 'refs/heads/dev'],
      ['octocat/beta', 1, 'refs/heads/main'],
      ['octocat/empty', undefined, undefined],
      ['octocat/hidden', undefined, undefined],
    ]);
    for (const key of BUILD_KEYS) expect(latest.json[0].build, key).toHaveProperty(key);
    expect(latest.text).not.toMatch(/"(signer|secret)"/);
    expect((await call<Repo[]>(server, 'GET', '/api/user/repos?latest=false')).json[0]).not.toHaveProperty('build');
    expect((await call(server, 'GET', '/api/user/repos?latest=yes')).status).toBe(400);
  });

  it('answers only the user’s own repositories', async () => {
    const mine = await call<Repo[]>(server, 'GET', '/api/user/repos?latest=true', undefined, aliceToken);
    expect(mine.json.map((repo) => `${repo.slug}#${repo.build?.number}`)).toEqual(['octocat/alpha#2', 'octocat/beta#1']);
    expect((await call(server, 'GET', '/api/user/repos?latest=true', undefined, null)).status).toBe(401);
  });

  it('lists the newest builds across the user’s repositories, newest first', async () => {
    for (const path of ['/api/user/builds', '/api/user/builds/recent']) {
      const recent = await call<Repo[]>(server, 'GET', path, undefined, aliceToken);
      expect(recent.status, path).toBe(200);
      expect(recent.json.map((repo) => `${repo.slug}#${repo.build?.number}`)).toEqual(['octocat/alpha#2', 'octocat/beta#1', 'octocat/alpha#1']);
      for (const repo of recent.json) {
        for (const key of REPO_KEYS) expect(repo, key).toHaveProperty(key);
        for (const key of BUILD_KEYS) expect(repo.build, key).toHaveProperty(key);
      }
      expect(recent.text).not.toMatch(/"(signer|secret)"/);
      expect((await call(server, 'GET', path, undefined, null)).status).toBe(401);
    }
  });

  it('keeps to 25 builds', async () => {
    const store = server.ctx.store;
    const busy = await seedRepo(store, 'octocat/busy');
    for (let i = 0; i < 26; i++) await seedBuild(store, busy, PARKED);
    const recent = await call<Repo[]>(server, 'GET', '/api/user/builds');
    expect(recent.json).toHaveLength(25);
    expect(recent.json[0]).toMatchObject({ slug: 'octocat/busy', build: { number: 26 } });
  });
});
