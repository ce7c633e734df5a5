// A Hangar cluster of real processes for the cluster suite: N `hangar server` processes on one throwaway
// PostgreSQL database and one throwaway Redis, configured with the variables of Drone's HA documentation,
// behind a real HAProxy (layer 4 or 7), and `hangar runner exec` processes connected through HAProxy or
// pinned to one server. Every part can be killed and restarted by a test.

import { mkdir, rm } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Build } from '../../src/core/types.js';
import { type Haproxy, startHaproxy } from './haproxy.js';
import { createTestDatabase } from './postgres.js';
import { type HangarProcess, spawnHangar, startRunnerProcess } from './processes.js';
import { type RedisInstance, killRedis, restartRedis, startRedis, stopRedis } from './redis.js';
import { shmTempDir } from './shm.js';
import { until } from './wait.js';

export const CLUSTER_TOKEN = 'cluster-admin-token-0123456789ab';
export const CLUSTER_RPC_SECRET = 'bea26a2221fd8090ea38720fc445eca6';
/** The running lease the cluster uses: drills assert "within the lease". */
export const CLUSTER_LEASE_MS = 3000;

export interface ClusterServer {
  name: string;
  port: number;
  /** http://127.0.0.1:<port>, to reach this server directly. */
  url: string;
  process?: HangarProcess;
  /** Starts (or restarts) the server process and waits until it listens. */
  start(): Promise<void>;
  /** kill -9 (a crash) or SIGTERM (a graceful leave); resolves when the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ClusterOptions {
  servers?: number;
  mode?: 'l4' | 'l7';
  /** Another HAProxy configuration to render (e.g. Drone's documented ones). */
  haproxyTemplate?: string;
  /** Extra server variables. */
  env?: Record<string, string>;
  /** The load balancer's port, when the servers must know it before they start (an OAuth redirect URI). */
  port?: number;
}

export interface Cluster {
  dir: string;
  databaseUrl: string;
  redis: RedisInstance;
  haproxy: Haproxy;
  servers: ClusterServer[];
  runners: HangarProcess[];
  /** The load balancer's address. */
  url: string;
  /** The admin API through the load balancer, or straight to one server with `via`. */
  api<T>(method: string, path: string, body?: unknown, via?: string): Promise<T>;
  /** A `hangar runner exec` connected to `target` (the load balancer by default). */
  startRunner(env?: Record<string, string>, target?: string): Promise<HangarProcess>;
  killRedis(): Promise<void>;
  /** Starts Redis again and waits until every running server has its connections back (a server's first
   * reconnect attempt may be half a second away; live lines written before it are not in the stream). */
  restartRedis(): Promise<void>;
  /** Waits until the build ends; fails after `timeoutMs`. */
  finished(slug: string, number: number, timeoutMs?: number): Promise<Build>;
  close(): Promise<void>;
}

/** Authenticated JSON calls to the REST API: `via` another base URL than `defaultBase`; non-2xx throws. */
export function jsonApi(defaultBase: string, token: string): Cluster['api'] {
  return async <T>(method: string, path: string, body?: unknown, via = defaultBase): Promise<T> => {
    const response = await fetch(`${via}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${via}${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startCluster(postgresUrl: string, options: ClusterOptions = {}): Promise<Cluster> {
  const dir = await shmTempDir('hangar-cluster-');
  const [databaseUrl, redis] = await Promise.all([createTestDatabase(postgresUrl), startRedis(join(dir, 'redis'))]);
  const servers = await Promise.all(Array.from({ length: options.servers ?? 2 }, async (_, i) => clusterServer(`server${i + 1}`, await freePort(), dir, databaseUrl, redis, options.env ?? {})));
  // The first start migrates; the others start together, as a cluster does.
  await servers[0].start();
  await Promise.all(servers.slice(1).map((server) => server.start()));
  await mkdir(join(dir, 'haproxy'));
  const haproxy = await startHaproxy({
    mode: options.mode ?? 'l7',
    port: options.port,
    template: options.haproxyTemplate,
    servers: servers.map((server) => ({ name: server.name, host: '127.0.0.1', port: server.port })),
    dir: join(dir, 'haproxy'),
    statsSocket: options.haproxyTemplate === undefined,
  });
  const runners: HangarProcess[] = [];

  const api = jsonApi(haproxy.url, CLUSTER_TOKEN);

  return {
    dir,
    databaseUrl,
    redis,
    haproxy,
    servers,
    runners,
    url: haproxy.url,
    api,
    async startRunner(env = {}, target = haproxy.url) {
      const runner = await startRunnerProcess(target, {
        DRONE_RPC_SECRET: CLUSTER_RPC_SECRET,
        DRONE_RUNNER_CAPACITY: '4',
        DRONE_RUNNER_ROOT: dir,
        HANGAR_RUNNER_MODE: 'hangar',
        ...env,
      });
      runners.push(runner);
      return runner;
    },
    killRedis: () => killRedis(redis.dir),
    async restartRedis() {
      await restartRedis(redis);
      await serversReconnected(redis.url, servers.filter(({ process }) => process && process.child.exitCode === null && process.child.signalCode === null).length);
    },
    async finished(slug, number, timeoutMs = 60_000) {
      return until(async () => {
        const build = await api<Build>('GET', `/api/repos/${slug}/builds/${number}`).catch(() => undefined);
        return build && !['pending', 'running'].includes(build.status) ? build : undefined;
      }, timeoutMs, 100);
    },
    async close() {
      await Promise.all(runners.map((runner) => runner.kill('SIGKILL')));
      await Promise.all(servers.map((server) => server.kill('SIGKILL')));
      await haproxy.stop().catch(() => undefined);
      await stopRedis(redis.dir, 'kill').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A server configured as Drone's HA documentation configures one (its variables, its values), except the
 * DRONE_GITHUB_* pair: without it the servers use the local git provider, which the drills build from. The
 * SCM suites run clusters with a provider (test/e2e/scm).
 */
function clusterServer(name: string, port: number, dir: string, databaseUrl: string, redis: RedisInstance, extra: Record<string, string>): ClusterServer {
  const env: Record<string, string> = {
    DRONE_SERVER_HOST: `localhost:${port}`,
    DRONE_SERVER_PORT: `:${port}`,
    DRONE_SERVER_PROTO: 'http',
    DRONE_DATABASE_DRIVER: 'postgres',
    DRONE_DATABASE_DATASOURCE: databaseUrl,
    DRONE_REDIS_CONNECTION: redis.url,
    DRONE_RPC_SECRET: CLUSTER_RPC_SECRET,
    DRONE_COOKIE_SECRET: 'e8206356c843d81e05ab6735e7ebf075',
    DRONE_COOKIE_TIMEOUT: '720h',
    DRONE_LOGS_DEBUG: 'true',
    DRONE_CRON_DISABLED: 'true',
    DRONE_USER_CREATE: `username:admin,admin:true,token:${CLUSTER_TOKEN}`,
    HANGAR_GIT_CACHE: join(dir, `git-cache-${name}`),
    HANGAR_ACCEPT_LEASE: `${CLUSTER_LEASE_MS}ms`,
    HANGAR_RUNNING_LEASE: `${CLUSTER_LEASE_MS}ms`,
    HANGAR_SWEEP_INTERVAL: '250ms',
    HANGAR_STAGE_POLL_HOLD: '10s',
    HANGAR_WATCH_HOLD: '5s',
    HANGAR_DRAIN_DELAY: '1500ms',
    HANGAR_DRAIN_POLL_ANSWER: 'empty-stage',
    ...extra,
  };
  const server: ClusterServer = {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    async start() {
      const child = spawnHangar(['server', '--env-file', '/dev/null'], env);
      server.process = child;
      await child.waitFor(/"msg":"hangar server listening"/, 60_000);
    },
    async kill(signal = 'SIGKILL') {
      await server.process?.kill(signal);
    },
  };
  return server;
}

/** Until Redis lists the command and log-tailer connections of `count` servers (ioredis names them). */
async function serversReconnected(url: string, count: number): Promise<void> {
  const client = new Redis(url);
  try {
    await until(async () => {
      const clients = String(await client.client('LIST'));
      const named = (name: string) => clients.split('\n').filter((line) => line.includes(` name=${name} `)).length;
      return named('hangar-commands') >= count && named('hangar-tailer') >= count;
    }, 15_000, 20);
  } finally {
    client.disconnect();
  }
}
