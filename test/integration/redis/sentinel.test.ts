// A server configured for Redis Sentinel (HANGAR_REDIS_SENTINELS) keeps its live logs working when the
// Redis master dies and a replica takes over.

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stage, Step } from '../../../src/core/types.js';
import { GoRunner } from '../../support/go-client.js';
import { type SentinelSetup, killRedis, sentinelMasterPort, startSentinel, stopSentinel } from '../../support/redis.js';
import { EXEC_FILTER, seedBuild, seedRepo, stagePlan } from '../../support/seed.js';
import { RPC_SECRET, type TestServer, startTestServer } from '../../support/server.js';
import { until } from '../../support/wait.js';

describe('Redis Sentinel', () => {
  let sentinel: SentinelSetup;
  let server: TestServer;
  let observer: Redis;

  beforeAll(async () => {
    sentinel = await startSentinel();
    server = await startTestServer({ driver: 'sqlite3', env: { HANGAR_REDIS_SENTINELS: sentinel.sentinelsVariable, HANGAR_REDIS_SENTINEL_MASTER: sentinel.masterName } });
    observer = new Redis({ sentinels: sentinel.sentinels, name: sentinel.masterName });
    observer.on('error', () => undefined); // the failover drops its connection for a moment
  });
  afterAll(async () => {
    observer?.disconnect();
    await server?.close();
    if (sentinel) await stopSentinel(sentinel.dir);
  });

  it('writes live lines to the master, and to the new master after a failover', async () => {
    const repo = await seedRepo(server.ctx.store, 'octocat/sentinel');
    await seedBuild(server.ctx.store, repo, [stagePlan({ labels: { test: 'sentinel' } })]);
    const runner = new GoRunner(server.url, RPC_SECRET);
    const offered = (await runner.call('POST', '/stage', { ...EXEC_FILTER, labels: { test: 'sentinel' } })).json<Stage>();
    const accepted = (await runner.call('POST', `/stage/${offered.id}?machine=m`)).json<Stage>();
    const started = (
      await runner.call('PUT', `/stage/${offered.id}`, { ...accepted, status: 'running', started: 1, steps: [{ id: 0, step_id: offered.id, number: 1, name: 's', status: 'pending', exit_code: 0, version: 0 }] })
    ).json<Stage>();
    const step = started.steps?.[0] as Step;
    const key = `drone-log-${step.id}`;

    await runner.call('POST', `/step/${step.id}/logs/batch`, [{ pos: 0, out: 'before\n', time: 0 }]);
    await until(async () => (await observer.xlen(key)) === 1, 10_000, 50);

    await killRedis(sentinel.master.dir);
    await until(async () => (await sentinelMasterPort(sentinel)) === sentinel.replica.port, 30_000, 100);
    await until(async () => {
      await runner.call('POST', `/step/${step.id}/logs/batch`, [{ pos: 1, out: 'after\n', time: 0 }]);
      return (await observer.xrange(key, '-', '+').catch(() => [])).some(([, fields]) => fields.join(' ').includes('after'));
    }, 30_000, 250);
    expect((await observer.xrange(key, '-', '+')).map(([id]) => id)).toContain('2-0');
  });
});
