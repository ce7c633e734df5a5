// A `hangar server` process connected to a stand-in SCM, with an exec runner process: what a team runs after
// pointing its DRONE_* variables at its GitHub, Gitea, GitLab or Gogs. The server's port is chosen first so
// DRONE_SERVER_HOST (OAuth callback, status links, webhook target) names it.

import type { Build, Line } from '../../../src/core/types.js';
import { freePort } from '../cluster.js';
import { type HangarProcess, type ServerProcess, spawnHangar, startRunnerProcess } from '../processes.js';
import { until } from '../wait.js';
import { Browser } from './browser.js';

export const SCM_ADMIN_TOKEN = 'scm-admin-token-0123456789abcdef';
export const SCM_RPC_SECRET = 'scm-rpc-secret-0123456789abcdef';

export interface ScmHangar {
  server: ServerProcess;
  runner: HangarProcess;
  /** http://127.0.0.1:<port>: DRONE_SERVER_HOST. */
  url: string;
  /** The admin API with a token (for assertions a user would make in the UI). */
  admin<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }>;
  /** The repository's builds, newest first. */
  builds(slug: string): Promise<Build[]>;
  /** Waits until the build ends. */
  finished(slug: string, number: number): Promise<Build>;
  /** The stored log of the first stage's second step (after the clone step) as one text. */
  log(slug: string, number: number): Promise<string>;
  close(): Promise<void>;
}

/** `port`: chosen beforehand when the stand-in must know the server's address (GitHub's OAuth callback). */
export async function startScmHangar(dir: string, providerEnv: Record<string, string>, port?: number): Promise<ScmHangar> {
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  const process = spawnHangar(['server', '--env-file', '/dev/null'], {
    DRONE_SERVER_HOST: `127.0.0.1:${port}`,
    DRONE_SERVER_PORT: `127.0.0.1:${port}`,
    DRONE_DATABASE_DATASOURCE: `${dir}/core.sqlite`,
    DRONE_RPC_SECRET: SCM_RPC_SECRET,
    DRONE_COOKIE_SECRET: 'scm-cookie-secret-0123456789abcdef',
    DRONE_USER_CREATE: `username:hangar-admin,admin:true,token:${SCM_ADMIN_TOKEN}`,
    HANGAR_GIT_CACHE: `${dir}/git-cache`,
    HANGAR_SCM_TIMEOUT: '2s',
    HANGAR_STAGE_POLL_HOLD: '2s',
    HANGAR_WATCH_HOLD: '2s',
    ...providerEnv,
  });
  await process.waitFor(/"msg":"hangar server listening"/);
  const server: ServerProcess = { ...process, url };
  const runner = await startRunnerProcess(url, { DRONE_RPC_SECRET: SCM_RPC_SECRET, DRONE_RUNNER_CAPACITY: '2', DRONE_RUNNER_ROOT: dir });
  const hangar: ScmHangar = {
    server,
    runner,
    url,
    async admin<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${SCM_ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, json: (text ? JSON.parse(text) : undefined) as T };
    },
    async builds(slug) {
      return (await hangar.admin<Build[]>('GET', `/api/repos/${slug}/builds`)).json;
    },
    finished(slug, number) {
      return until(async () => {
        const { json } = await hangar.admin<Build>('GET', `/api/repos/${slug}/builds/${number}`);
        return json && !['pending', 'running'].includes(json.status) ? json : undefined;
      }, 60_000);
    },
    async log(slug, number) {
      return (await hangar.admin<Line[]>('GET', `/api/repos/${slug}/builds/${number}/logs/1/2`)).json.map((line) => line.out).join('');
    },
    async close() {
      await runner.kill('SIGKILL');
      await process.kill('SIGTERM');
    },
  };
  return hangar;
}

/** A signed-in browser's API calls: the session cookie, and on unsafe methods its CSRF token. */
export async function sessionApi<T>(browser: Browser, base: string, method: string, path: string, options: { csrf?: boolean } = {}): Promise<{ status: number; json: T }> {
  const host = new URL(base).host;
  const csrf = browser.cookie(host, '_csrf_');
  const withCsrf = options.csrf ?? method !== 'GET';
  const hop = await browser.request(`${base}${path}`, { method, headers: withCsrf && csrf ? { 'x-csrf-token': csrf } : {} });
  return { status: hop.status, json: (hop.body ? JSON.parse(hop.body) : undefined) as T };
}
