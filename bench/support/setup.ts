// The two setups every scenario runs on: `single` (one `hangar server` on SQLite with the in-memory bus)
// and `ha` (two servers on PostgreSQL + Redis behind HAProxy in layer 7, as test/support/cluster.ts builds
// it). Both answer the same questions: where to create builds (server A), where runners and viewers go
// (server B, or the load balancer), and which processes to measure.

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import type {} from '../../test/support/global-setup.js';
import { CLUSTER_RPC_SECRET, CLUSTER_TOKEN, type Cluster, jsonApi, startCluster } from '../../test/support/cluster.js';
import { createTestRepo } from '../../test/support/git-repo.js';
import { shmTempDir } from '../../test/support/shm.js';
import { type ServerProcess, startServerProcess } from '../../test/support/processes.js';

export type SetupKind = 'single' | 'ha';

/** Production timings, quiet logs: what a deployment runs, not what the test suite shrinks. */
const SERVER_ENV: Record<string, string> = {
  DRONE_LOGS_DEBUG: 'false',
  DRONE_CRON_DISABLED: 'true',
  HANGAR_ACCEPT_LEASE: '20s',
  HANGAR_RUNNING_LEASE: '27s',
  HANGAR_SWEEP_INTERVAL: '1s',
  HANGAR_STAGE_POLL_HOLD: '30s',
  HANGAR_WATCH_HOLD: '30s',
  HANGAR_DRAIN_DELAY: '0s',
};

export interface BenchSetup {
  kind: SetupKind;
  /** Where builds are created and cancelled (server A). */
  serverA: string;
  /** Where pinned runners and viewers connect (server B; the same server on `single`). */
  serverB: string;
  /** The load balancer (the server itself on `single`). */
  balanced: string;
  token: string;
  rpcSecret: string;
  /** The repository builds are made of, and the commit to build. */
  slug: string;
  commit: string;
  /** Server process ids, for CPU and memory readings. */
  serverPids(): number[];
  /** Every server's own address (A and B on ha, more when asked for). */
  serverUrls: string[];
  cluster?: Cluster;
  /** Authenticated JSON call to the REST API (server A by default). */
  api<T>(method: string, path: string, body?: unknown, via?: string): Promise<T>;
  close(): Promise<void>;
}

export interface SetupOptions {
  postgresUrl: string;
  /** The `.drone.yml` of the benchmark repository. */
  pipeline: string;
  /** Servers of the ha setup (2 unless asked). */
  servers?: number;
  env?: Record<string, string>;
}

export const NOOP_PIPELINE = `kind: pipeline
type: exec
name: default
steps:
- name: noop
  commands:
  - true
`;

export async function startSetup(kind: SetupKind, options: SetupOptions): Promise<BenchSetup> {
  const dir = await shmTempDir('hangar-bench-');
  const repo = await createTestRepo(dir);
  const { sha } = await repo.push({ '.drone.yml': options.pipeline }, 'benchmark pipeline');
  const env = { ...SERVER_ENV, ...(options.env ?? {}) };
  const base = kind === 'single' ? await singleServer(dir, env) : await haCluster(options.postgresUrl, env, options.servers ?? 2);
  const setup: BenchSetup = { ...base, kind, slug: 'bench/app', commit: sha, token: CLUSTER_TOKEN, rpcSecret: CLUSTER_RPC_SECRET, api: jsonApi(base.serverA, CLUSTER_TOKEN) };
  await setup.api('POST', `/api/repos/${setup.slug}`, { git_http_url: repo.url, default_branch: 'main' });
  const close = setup.close;
  setup.close = async () => {
    await close();
    await rm(dir, { recursive: true, force: true });
  };
  return setup;
}

type BaseSetup = Pick<BenchSetup, 'serverA' | 'serverB' | 'balanced' | 'serverPids' | 'serverUrls' | 'cluster' | 'close'>;

async function singleServer(dir: string, env: Record<string, string>): Promise<BaseSetup> {
  const server: ServerProcess = await startServerProcess({
    DRONE_DATABASE_DRIVER: 'sqlite3',
    DRONE_DATABASE_DATASOURCE: join(dir, 'hangar.sqlite'),
    DRONE_RPC_SECRET: CLUSTER_RPC_SECRET,
    DRONE_USER_CREATE: `username:admin,admin:true,token:${CLUSTER_TOKEN}`,
    HANGAR_GIT_CACHE: join(dir, 'git-cache'),
    ...env,
  });
  return {
    serverA: server.url,
    serverB: server.url,
    balanced: server.url,
    serverPids: () => [server.child.pid ?? 0],
    serverUrls: [server.url],
    close: () => server.kill('SIGKILL'),
  };
}

async function haCluster(postgresUrl: string, env: Record<string, string>, servers: number): Promise<BaseSetup> {
  const cluster = await startCluster(postgresUrl, { servers, mode: 'l7', env });
  return {
    serverA: cluster.servers[0].url,
    serverB: cluster.servers[1].url,
    balanced: cluster.url,
    serverPids: () => cluster.servers.map((server) => server.process?.child.pid ?? 0),
    serverUrls: cluster.servers.map((server) => server.url),
    cluster,
    close: () => cluster.close(),
  };
}

/**
 * One describe per setup, each with its own fresh setup started before and closed after: `body` gets a
 * getter for it.
 */
export function describeSetups(title: string, kinds: readonly SetupKind[], options: Omit<SetupOptions, 'postgresUrl'>, body: (kind: SetupKind, setup: () => BenchSetup) => void): void {
  describe.each(kinds)(`${title} on %s`, (kind) => {
    let setup: BenchSetup | undefined;
    beforeAll(async () => {
      setup = await startSetup(kind, { ...options, postgresUrl: inject('postgresUrl') });
    });
    afterAll(async () => setup?.close());
    body(kind, () => {
      if (!setup) throw new Error(`the ${kind} setup did not start`);
      return setup;
    });
  });
}
