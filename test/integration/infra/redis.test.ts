// Throwaway Redis through scripts/redis-*.sh and scripts/sentinel-*.sh: start, stop, kill -9 and restart
// on the same port, and a Sentinel failover that a client following the sentinels survives.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { killRedis, restartRedis, type SentinelSetup, startRedis, startSentinel, stopRedis, stopSentinel } from '../../support/redis.js';
import { until } from '../../support/wait.js';

const run = promisify(execFile);
const scripts = fileURLToPath(new URL('../../../scripts/', import.meta.url));

const clients: Redis[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A client that fails at once when the server is not there (no retries, no offline queue). */
function failFast(url: string): Redis {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  clients.push(client);
  return client;
}

async function ping(url: string): Promise<string> {
  const client = failFast(url);
  await client.connect();
  try {
    return await client.ping();
  } finally {
    client.disconnect();
  }
}

describe('scripts/redis-start.sh and redis-stop.sh', () => {
  it('start a redis-server on 127.0.0.1 that keeps nothing on disk, and stop it', async () => {
    const redis = await startRedis();
    dirs.push(redis.dir);
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await ping(redis.url)).toBe('PONG');

    const client = failFast(redis.url);
    await client.connect();
    expect(await client.config('GET', 'save')).toEqual(['save', '']);
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
    expect(await client.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
    client.disconnect();

    await stopRedis(redis.dir);
    await expect(ping(redis.url)).rejects.toThrow();
  });

  it('restart a killed instance on the same port, so URLs handed out before stay valid', async () => {
    const redis = await startRedis();
    dirs.push(redis.dir);
    const writer = failFast(redis.url);
    await writer.connect();
    await writer.set('before', 'kill');

    await killRedis(redis.dir);
    await expect(writer.get('before')).rejects.toThrow();
    const again = await restartRedis(redis);
    expect(again.url).toBe(redis.url);

    const reader = failFast(redis.url);
    await reader.connect();
    expect(await reader.ping()).toBe('PONG');
    // Nothing is persisted: Redis carries only what may be lost.
    expect(await reader.get('before')).toBeNull();
    await stopRedis(redis.dir);
  });

  it('write extra options into the instance configuration', async () => {
    const redis = await startRedis(undefined, undefined, ['--maxmemory', '12mb', '--maxmemory-policy', 'allkeys-lru']);
    dirs.push(redis.dir);
    const client = failFast(redis.url);
    await client.connect();
    expect(await client.config('GET', 'maxmemory')).toEqual(['maxmemory', String(12 * 1024 * 1024)]);
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lru']);
    await stopRedis(redis.dir);
  });

  it("refuse the machine's standard port 6379", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hangar-redis-6379-'));
    dirs.push(dir);
    await expect(run(join(scripts, 'redis-start.sh'), [dir, '6379'])).rejects.toThrow(/refusing port 6379/);
  });
});

describe('scripts/sentinel-start.sh and sentinel-stop.sh', () => {
  let setup: SentinelSetup | undefined;
  afterEach(async () => {
    if (setup) await stopSentinel(setup.dir);
    setup = undefined;
  });

  it('fail over to the replica when the master is killed; a Sentinel client reads what it wrote before', async () => {
    setup = await startSentinel();
    dirs.push(setup.dir);
    expect(setup.sentinels).toHaveLength(3);
    expect(setup.masterName).toBe('mymaster');
    expect(setup.sentinelsVariable).toBe(setup.sentinels.map((s) => `${s.host}:${s.port}`).join(','));

    const client = new Redis({ sentinels: setup.sentinels, name: setup.masterName });
    client.on('error', () => {});
    clients.push(client);
    await client.set('written-before', 'the failover');
    // Replication is asynchronous: the write must have reached the replica before the master dies.
    expect(await client.call('WAIT', '1', '10000')).toBe(1);
    expect(await servingPort(client)).toBe(setup.master.port);

    const sentinel = failFast(`redis://${setup.sentinels[0].host}:${setup.sentinels[0].port}`);
    await sentinel.connect();
    const killedAt = Date.now();
    await killRedis(setup.master.dir);
    await until(async () => {
      const [, port] = (await sentinel.call('SENTINEL', 'get-master-addr-by-name', setup!.masterName)) as [string, string];
      return Number(port) === setup!.replica.port;
    }, 15_000, 100);
    const failoverMs = Date.now() - killedAt;

    expect(await client.get('written-before')).toBe('the failover');
    expect(await servingPort(client)).toBe(setup.replica.port);
    await client.set('written-after', 'ok');
    expect(await client.get('written-after')).toBe('ok');
    // down-after 1000 ms: a failover takes a few seconds, not the 30 s of Sentinel's default.
    expect(failoverMs).toBeLessThan(10_000);
  });

  it('stop every sentinel, the replica and the master', async () => {
    setup = await startSentinel();
    dirs.push(setup.dir);
    const addresses = [...setup.sentinels.map((s) => `redis://${s.host}:${s.port}`), setup.master.url, setup.replica.url];
    for (const url of addresses) expect(await ping(url)).toBe('PONG');
    await stopSentinel(setup.dir);
    setup = undefined;
    for (const url of addresses) await expect(ping(url)).rejects.toThrow();
  });
});

/** The port of the Redis server a client is talking to now, as that server reports it. */
async function servingPort(client: Redis): Promise<number> {
  const info = await client.info('server');
  return Number(/tcp_port:(\d+)/.exec(info)?.[1]);
}
