// An in-process Hangar server for integration tests: a real HTTP listener on a free port, SQLite in a temp
// file or a fresh PostgreSQL database, protocol timings shrunk, an admin account with a known token.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadServerConfig } from '../../src/config/server.js';
import { type RunningServer, startServer } from '../../src/server/compose.js';
import { createTestDatabase } from './postgres.js';

export const ADMIN_TOKEN = 'admin-token-0123456789abcdef0123';
export const RPC_SECRET = 'rpc-secret-for-tests';

export interface TestServer extends RunningServer {
  dir: string;
  close(): Promise<void>;
}

export interface TestServerOptions {
  driver: 'sqlite3' | 'postgres';
  /** The cluster URL (from inject('postgresUrl')) when driver is postgres. */
  postgresUrl?: string;
  /** Extra or overriding DRONE_* / HANGAR_* variables. */
  env?: Record<string, string>;
  /** Keep Drone's protocol timings (30 s holds, 30 s leases) instead of the shortened ones. */
  defaultTimings?: boolean;
}

/** Short protocol timings so tests run in seconds; each test may override them. */
export const FAST_TIMINGS: Record<string, string> = {
  HANGAR_STAGE_POLL_HOLD: '2s',
  HANGAR_WATCH_HOLD: '2s',
  HANGAR_ACCEPT_LEASE: '3s',
  HANGAR_RUNNING_LEASE: '3s',
  HANGAR_SWEEP_INTERVAL: '200ms',
  HANGAR_RESERVATION: '2s',
};

export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'hangar-server-'));
  const datasource = options.driver === 'postgres' ? await createTestDatabase(requireUrl(options.postgresUrl)) : join(dir, 'core.sqlite');
  const config = loadServerConfig({
    DRONE_SERVER_PORT: '127.0.0.1:0',
    DRONE_DATABASE_DRIVER: options.driver,
    DRONE_DATABASE_DATASOURCE: datasource,
    DRONE_RPC_SECRET: RPC_SECRET,
    DRONE_USER_CREATE: `username:admin,admin:true,token:${ADMIN_TOKEN}`,
    HANGAR_GIT_CACHE: join(dir, 'git-cache'),
    ...(options.defaultTimings ? {} : FAST_TIMINGS),
    ...options.env,
  });
  const log = pino({ level: process.env.HANGAR_TEST_LOG ?? 'silent' });
  const server = await startServer(config, log);
  return {
    ...server,
    dir,
    async close() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function requireUrl(url: string | undefined): string {
  if (!url) throw new Error('postgres tests need the cluster URL (inject("postgresUrl"))');
  return url;
}
