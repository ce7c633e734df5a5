// Shared pieces of the org secret, template, encrypt and card tests: non-admin accounts with known tokens,
// the raw bytes a secret is stored as (read beside the server, as Drone would read them), and a build
// run by the server's embedded exec runner from a real git repository.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { expect } from 'vitest';
import type { Build } from '../../../src/core/types.js';
import { createTestRepo, type TestRepo } from '../../support/git-repo.js';
import { ADMIN_TOKEN, type TestServer } from '../../support/server.js';
import { until } from '../../support/wait.js';
import { call } from '../cron/support.js';

/** An exec pipeline without a clone step: one step `check` running `commands`, with variables from secrets. */
export function execPipeline(commands: string[], fromSecrets: Record<string, string> = {}): string {
  const variables = Object.entries(fromSecrets).map(([name, secret]) => `    ${name}:\n      from_secret: ${secret}\n`);
  const environment = variables.length > 0 ? `  environment:\n${variables.join('')}` : '';
  return `kind: pipeline\ntype: exec\nname: default\nclone:\n  disable: true\nsteps:\n- name: check\n${environment}  commands:\n${commands.map((c) => `  - ${c}\n`).join('')}`;
}

/** A non-admin account; its token is `<login>-token-0123456789abcdef`. */
export async function addUser(server: TestServer, login: string): Promise<string> {
  const token = `${login}-token-0123456789abcdef`;
  await server.ctx.store.users.bootstrap({ login, admin: false, machine: false, token });
  return token;
}

/** The stored `secret_data` of a secret, straight from the database file or server. */
export async function storedSecretBytes(server: TestServer, table: 'secrets' | 'orgsecrets', name: string): Promise<Buffer> {
  const { driver, datasource } = server.ctx.config.database;
  const query = `SELECT secret_data FROM ${table} WHERE secret_name = $1`;
  if (driver === 'postgres') {
    const client = new pg.Client({ connectionString: datasource });
    await client.connect();
    try {
      const result = await client.query<{ secret_data: Buffer }>(query, [name]);
      return result.rows[0].secret_data;
    } finally {
      await client.end();
    }
  }
  const db = new BetterSqlite3(datasource, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare(query.replace('$1', '?')).get(name) as { secret_data: Buffer };
    return row.secret_data;
  } finally {
    db.close();
  }
}

/** A git repository with `files` on main, enabled as `slug` by the token's user. */
export async function enableRepoWith(server: TestServer, slug: string, files: Record<string, string>, token?: string): Promise<TestRepo> {
  const repo = await createTestRepo(await mkdtemp(join(tmpdir(), 'hangar-api-git-')));
  await repo.push(files, 'pipeline');
  const enabled = await call(server, 'POST', `/api/repos/${slug}`, { git_http_url: repo.url, default_branch: 'main' }, token);
  if (enabled.status !== 200) throw new Error(`enable ${slug}: ${enabled.status} ${enabled.text}`);
  return repo;
}

/** Starts a build of main and waits for it to finish. */
export async function runBuild(server: TestServer, slug: string): Promise<Build> {
  const created = await call<Build>(server, 'POST', `/api/repos/${slug}/builds?branch=main`);
  if (created.status !== 200 || !created.json) throw new Error(`build ${slug}: ${created.status} ${created.text}`);
  return until(async () => {
    const current = await call<Build>(server, 'GET', `/api/repos/${slug}/builds/${created.json.number}`);
    return ['pending', 'running'].includes(current.json.status) ? undefined : current.json;
  }, 45_000);
}

/** The joined log text of one step. */
export async function stepLog(server: TestServer, slug: string, build: number, stage: number, step: number): Promise<string> {
  const lines = await call<Array<{ out: string }>>(server, 'GET', `/api/repos/${slug}/builds/${build}/logs/${stage}/${step}`);
  return (lines.json ?? []).map((line) => line.out).join('');
}

/** One API request: method, path and JSON body (a string is sent as it is). */
export type ApiRequest = readonly [method: string, path: string, body?: unknown];

/**
 * Every request is answered `status` with a `{"message"}` body — `message` itself when given (a string is
 * the exact message, a pattern must match) — sent with `token` (the admin's by default, null for a guest).
 */
export async function expectAnswers(
  server: TestServer,
  requests: readonly ApiRequest[],
  status: number,
  options: { token?: string | null; message?: string | RegExp } = {},
): Promise<void> {
  for (const [method, path, body] of requests) {
    const response = await call<{ message: unknown }>(server, method, path, body, options.token === undefined ? ADMIN_TOKEN : options.token);
    const what = `${method} ${path} ${JSON.stringify(body)}`;
    expect(response.status, what).toBe(status);
    expect(typeof response.json?.message, what).toBe('string');
    if (typeof options.message === 'string') expect(response.json.message, what).toBe(options.message);
    if (options.message instanceof RegExp) expect(response.json.message, what).toMatch(options.message);
  }
}
