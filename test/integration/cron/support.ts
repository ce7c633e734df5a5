// Shared pieces of the cron tests: an API caller, a real git repository with cron and push pipelines,
// cron expressions due at a chosen second, and waiting on a scheduler's checks instead of sleeping.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Build, Cron } from '../../../src/core/types.js';
import { type TestRepo, createTestRepo } from '../../support/git-repo.js';
import { ADMIN_TOKEN, type TestServer } from '../../support/server.js';
import { until } from '../../support/wait.js';

/** One pipeline for cron events, one for pushes: a cron build has exactly the first. */
export const PIPELINES = `kind: pipeline
type: exec
name: scheduled
trigger:
  event: [cron]
steps:
  - name: nightly
    commands: [echo cron]
---
kind: pipeline
type: exec
name: on-push
trigger:
  event: [push]
steps:
  - name: build
    commands: [echo push]
`;

export interface Reply<T = unknown> {
  status: number;
  json: T;
  text: string;
}

export async function call<T = unknown>(server: TestServer, method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN): Promise<Reply<T>> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json: json as T, text };
}

/** A bare repository with the pipelines pushed to `main`, enabled as `slug` on `server`. */
export async function enableRepo(server: TestServer, slug: string): Promise<{ repo: TestRepo; sha: string }> {
  const repo = await createTestRepo(await mkdtemp(join(tmpdir(), 'hangar-cron-git-')));
  const { sha } = await repo.push({ '.drone.yml': PIPELINES }, 'pipelines for cron');
  const enabled = await call(server, 'POST', `/api/repos/${slug}`, { git_http_url: repo.url, default_branch: 'main' });
  if (enabled.status !== 200) throw new Error(`enable ${slug}: ${enabled.status} ${enabled.text}`);
  return { repo, sha };
}

/** A six-field expression matching only `seconds` (Unix) — it fires once, then a year later. */
export function exprAt(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${d.getUTCSeconds()} ${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} *`;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export async function createCron(server: TestServer, slug: string, body: Record<string, unknown>): Promise<Cron> {
  const created = await call<Cron>(server, 'POST', `/api/repos/${slug}/cron`, body);
  if (created.status !== 200) throw new Error(`create cron: ${created.status} ${created.text}`);
  return created.json;
}

export async function getCron(server: TestServer, slug: string, name: string): Promise<Cron> {
  return (await call<Cron>(server, 'GET', `/api/repos/${slug}/cron/${name}`)).json;
}

export async function cronBuilds(server: TestServer, slug: string, name: string): Promise<Build[]> {
  const builds = await call<Build[]>(server, 'GET', `/api/repos/${slug}/builds?per_page=100`);
  return builds.json.filter((build) => build.cron === name);
}

/** Resolves once every server's scheduler has completed `count` more checks (each one saw the database). */
export async function afterChecks(servers: TestServer[], count: number): Promise<void> {
  const targets = servers.map((server) => {
    if (!server.cron) throw new Error('server runs no cron scheduler');
    return { scheduler: server.cron, target: server.cron.checks + count };
  });
  await until(async () => targets.every(({ scheduler, target }) => scheduler.checks >= target), 20_000, 20);
}
