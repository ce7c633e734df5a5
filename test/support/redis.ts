// Throwaway Redis for tests: a redis-server, or a Sentinel setup (master, replica, three sentinels), started
// and stopped through scripts/redis-*.sh and scripts/sentinel-*.sh, so a test can kill -9 and restart
// any of them; a restarted instance keeps its port, so URLs handed out before stay valid.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const run = promisify(execFile);
const scripts = fileURLToPath(new URL('../../scripts/', import.meta.url));

export interface RedisInstance {
  /** Directory holding redis.conf, the port file, the pidfile and the log. */
  dir: string;
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
}

/**
 * Starts (or restarts, keeping its port and configuration) the redis-server in `dir`; a new temp dir when
 * none is given. `options` (redis-server's command-line form, e.g. ['--maxmemory', '10mb']) go into the
 * instance's redis.conf when it is first created.
 */
export async function startRedis(dir?: string, port?: number, options: string[] = []): Promise<RedisInstance> {
  const instanceDir = dir ?? (await mkdtemp(join(tmpdir(), 'hangar-redis-')));
  const args = [instanceDir, port === undefined ? '' : String(port), ...options];
  const { stdout } = await run(join(scripts, 'redis-start.sh'), args, { timeout: 180_000 });
  const url = stdout.trim().split('\n').pop() ?? '';
  if (!url.startsWith('redis://')) throw new Error(`redis-start.sh printed no URL: ${stdout}`);
  return { dir: instanceDir, url, port: Number(new URL(url).port) };
}

/** `term` is a clean shutdown; `kill` is SIGKILL: clients see their connections die mid-command. */
export async function stopRedis(dir: string, mode: 'term' | 'kill' = 'term'): Promise<void> {
  await run(join(scripts, 'redis-stop.sh'), [dir, mode], { timeout: 30_000 });
}

/** kill -9: the crash of a Redis server. */
export async function killRedis(dir: string): Promise<void> {
  await stopRedis(dir, 'kill');
}

/** Starts a stopped or killed instance again on its port (it comes back empty: nothing is persisted). */
export async function restartRedis(instance: RedisInstance): Promise<RedisInstance> {
  return startRedis(instance.dir, instance.port);
}

export interface SentinelAddress {
  host: string;
  port: number;
}

export interface SentinelSetup {
  dir: string;
  /** The three sentinels, as ioredis takes them: `new Redis({ sentinels, name: masterName })`. */
  sentinels: SentinelAddress[];
  /** The monitored master's name (`mymaster` unless given). */
  masterName: string;
  /** The instance that was master at start (`<dir>/master`); kill it to cause a failover. */
  master: RedisInstance;
  /** The instance that was its replica at start (`<dir>/replica`); a failover promotes it. */
  replica: RedisInstance;
  /** `HANGAR_REDIS_SENTINELS` for a Hangar server: `127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3`. */
  sentinelsVariable: string;
}

/**
 * Starts (or restarts what is stopped in) the Sentinel setup in `dir`; a new temp dir when none is given.
 * Resolves once the replica is in sync and the sentinels know each other, so a failover can happen at once.
 */
export async function startSentinel(dir?: string, masterName = 'mymaster'): Promise<SentinelSetup> {
  const setupDir = dir ?? (await mkdtemp(join(tmpdir(), 'hangar-sentinel-')));
  const { stdout } = await run(join(scripts, 'sentinel-start.sh'), [setupDir, masterName], { timeout: 180_000 });
  const fields = parseKeyValues(stdout.trim().split('\n').pop() ?? '');
  if (!fields.sentinels || !fields.master) throw new Error(`sentinel-start.sh printed no sentinels: ${stdout}`);
  const sentinels = fields.sentinels.split(',').map(parseAddress);
  const [masterPort, replicaPort] = await readPorts(setupDir);
  return {
    dir: setupDir,
    sentinels,
    masterName: fields.master,
    master: instanceAt(join(setupDir, 'master'), masterPort),
    replica: instanceAt(join(setupDir, 'replica'), replicaPort),
    sentinelsVariable: fields.sentinels,
  };
}

/** Stops the sentinels, then the replica and the master; the directory stays. */
export async function stopSentinel(dir: string): Promise<void> {
  await run(join(scripts, 'sentinel-stop.sh'), [dir], { timeout: 60_000 });
}

function parseKeyValues(line: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const pair of line.split(/\s+/)) {
    const eq = pair.indexOf('=');
    if (eq > 0) fields[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return fields;
}

function parseAddress(address: string): SentinelAddress {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

/** `<dir>/ports` lists master, replica and the three sentinels' ports, in that order. */
async function readPorts(dir: string): Promise<number[]> {
  return (await readFile(join(dir, 'ports'), 'utf8')).trim().split(/\s+/).map(Number);
}

function instanceAt(dir: string, port: number): RedisInstance {
  return { dir, port, url: `redis://127.0.0.1:${port}` };
}

/** The port of the master the sentinels name now (it changes at a failover). */
export async function sentinelMasterPort(sentinel: SentinelSetup): Promise<number> {
  const client = new Redis({ host: sentinel.sentinels[0].host, port: sentinel.sentinels[0].port, lazyConnect: true });
  client.on('error', () => undefined);
  try {
    const [, port] = (await client.call('SENTINEL', 'get-master-addr-by-name', sentinel.masterName)) as [string, string];
    return Number(port);
  } finally {
    client.disconnect();
  }
}
