// GET /api/system/stats on SQLite and PostgreSQL: Drone's document, counted from the database — users,
// enabled repositories, builds with pending and running stages, incomplete stages in Drone's eight
// platform buckets — for system admins only.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Platform } from '../../../src/server/api/system/stats.js';
import { seedBuild, seedRepo, stagePlan } from '../../support/seed.js';
import { type TestServer, startTestServer } from '../../support/server.js';
import { call } from '../cron/support.js';
import { addUser } from './org-support.js';

interface Stats {
  users: { total: number };
  repos: { active: number };
  builds: { pending: number; running: number; total: number };
  pipelines: Platform[];
  events: { subscribers: number };
  streams: Record<string, number>;
  watchers: unknown;
}

describe.each(['sqlite3', 'postgres'] as const)('system stats on %s', (driver) => {
  let server: TestServer;
  let aliceToken: string;

  beforeAll(async () => {
    server = await startTestServer({ driver, postgresUrl: inject('postgresUrl') });
    aliceToken = await addUser(server, 'alice');
  });
  afterAll(async () => server?.close());

  it('counts users, repositories, builds and incomplete stages per platform', async () => {
    const store = server.ctx.store;
    const repo = await seedRepo(store, 'octocat/stats');
    await seedRepo(store, 'octocat/idle');
    await store.repos.update((await store.repos.findBySlug('octocat/idle'))?.id ?? 0, { active: false });
    // No runner here: every stage stays pending.
    await seedBuild(store, repo, [stagePlan({ name: 'amd64' }), stagePlan({ name: 'arm7', arch: 'arm', variant: 'v7' })]);
    await seedBuild(store, repo, [stagePlan({ name: 'arm6', arch: 'arm', variant: 'v6' }), stagePlan({ name: 'win', os: 'windows', kernel: '1803' })]);
    await seedBuild(store, repo, [], {}, 'no pipeline');

    const stats = await call<Stats>(server, 'GET', '/api/system/stats');
    expect(stats.status).toBe(200);
    expect(Object.keys(stats.json).sort()).toEqual(['builds', 'events', 'pipelines', 'repos', 'streams', 'users', 'watchers']);
    expect(stats.json.users).toEqual({ total: 2 });
    expect(stats.json.repos).toEqual({ active: 1 });
    expect(stats.json.builds).toEqual({ pending: 2, running: 0, total: 3 });
    expect(stats.json.events).toEqual({ subscribers: 0 });
    expect(stats.json.streams).toEqual({});
    const buckets = stats.json.pipelines.map((p) => `${p.os}/${p.arch}/${p.variant}/${p.kernel}:${p.pending}/${p.running}`);
    expect(buckets).toEqual([
      'linux/arm/v6/:1/0',
      'linux/arm/v7/:1/0',
      'linux/arm64/v8/:0/0',
      'linux/arm/v9/:0/0',
      'linux/amd64//:1/0',
      'windows/arm64//1709:0/0',
      'windows/arm64//1803:1/0',
      'windows/arm64//1809:0/0',
    ]);
    for (const platform of stats.json.pipelines) expect(Object.keys(platform).sort()).toEqual(['arch', 'kernel', 'os', 'pending', 'running', 'subscribers', 'variant']);
  });

  it('is for system admins only', async () => {
    expect((await call(server, 'GET', '/api/system/stats', undefined, aliceToken)).status).toBe(403);
    const guest = await call(server, 'GET', '/api/system/stats', undefined, null);
    expect(guest.status).toBe(401);
    expect(guest.json).toEqual({ message: 'Unauthorized' });
  });
});
