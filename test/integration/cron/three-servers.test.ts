// Three servers on one PostgreSQL database, all checking for due jobs every 100 ms: each job due at the
// same second fires exactly once, whichever server takes it (DESIGN §3.7).

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../../support/postgres.js';
import { type TestServer, startTestServer } from '../../support/server.js';
import { until } from '../../support/wait.js';
import { afterChecks, createCron, cronBuilds, enableRepo, exprAt, getCron, nowSeconds } from './support.js';

const JOBS = ['one', 'two', 'three', 'four', 'five', 'six'];

describe('cron across three servers on one PostgreSQL database', () => {
  const servers: TestServer[] = [];
  const slug = 'octocat/cluster';

  beforeAll(async () => {
    const datasource = await createTestDatabase(inject('postgresUrl'));
    for (let i = 0; i < 3; i++) {
      servers.push(await startTestServer({ driver: 'postgres', postgresUrl: inject('postgresUrl'), env: { DRONE_DATABASE_DATASOURCE: datasource, DRONE_CRON_INTERVAL: '100ms' } }));
    }
    await enableRepo(servers[0], slug);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  it('fires each job due at the same second exactly once', async () => {
    const due = nowSeconds() + 3;
    for (const name of JOBS) await createCron(servers[0], slug, { name, expr: exprAt(due), branch: 'main' });

    await until(async () => {
      const counts = await Promise.all(JOBS.map(async (name) => (await cronBuilds(servers[1], slug, name)).length));
      return counts.every((count) => count > 0);
    }, 20_000);
    await afterChecks(servers, 5);

    for (const name of JOBS) {
      expect(await cronBuilds(servers[2], slug, name), name).toHaveLength(1);
      expect((await getCron(servers[0], slug, name)).prev, name).toBe(due);
    }
    // Every server saw the same jobs and none kept an intent behind.
    expect(await servers[0].ctx.store.crons.claimIntents(100, 0)).toEqual([]);
  });
});
