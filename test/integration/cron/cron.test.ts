// Drone's cron API and the scheduler on one server, on SQLite and PostgreSQL: the JSON a Go client
// decodes, Drone's validation, a due job becoming exactly one build with Drone's cron fields, a disabled
// job staying quiet, a run taken by a server that died before building it, and DRONE_CRON_DISABLED.

import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Build, Cron } from '../../../src/core/types.js';
import { CronScheduler } from '../../../src/trigger/cron/scheduler.js';
import { createTestDatabase } from '../../support/postgres.js';
import { type TestServer, startTestServer } from '../../support/server.js';
import { until } from '../../support/wait.js';
import { afterChecks, call, createCron, cronBuilds, enableRepo, exprAt, getCron, nowSeconds } from './support.js';

const CONFORMANCE = fileURLToPath(new URL('../../../../shared/conformance/drone-go/api/', import.meta.url));
const FAST_CRON = { DRONE_CRON_INTERVAL: '200ms' };

type Driver = 'sqlite3' | 'postgres';

/** A datasource two servers can open one after the other (the test's own directory, not a server's). */
async function sharedDatasource(driver: Driver): Promise<{ datasource: string; cleanup(): Promise<void> }> {
  if (driver === 'postgres') return { datasource: await createTestDatabase(inject('postgresUrl')), cleanup: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'hangar-cron-db-'));
  return { datasource: join(dir, 'core.sqlite'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

describe.each<Driver>(['sqlite3', 'postgres'])('cron on %s', (driver) => {
  let server: TestServer;
  let headSha: string;
  const slug = 'octocat/scheduled';
  const base = `/api/repos/${slug}/cron`;

  beforeAll(async () => {
    server = await startTestServer({ driver, postgresUrl: inject('postgresUrl'), env: FAST_CRON });
    headSha = (await enableRepo(server, slug)).sha;
  });
  afterAll(async () => server?.close());

  it('creates, lists, finds, updates and deletes jobs with Drone’s JSON', async () => {
    const before = nowSeconds();
    const created = await call<Cron>(server, 'POST', base, { name: 'Nightly Build', expr: '0 0 2 * * *', branch: 'main', event: 'tag', disabled: true });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ name: 'nightly-build', expr: '0 0 2 * * *', branch: 'main', event: 'push', disabled: false, prev: 0, version: 0 });
    expect(created.json).not.toHaveProperty('target');
    expect(created.json.next).toBeGreaterThan(before);
    expect(new Date(created.json.next * 1000).toISOString()).toMatch(/T02:00:00\.000Z$/);
    expect(created.json.created).toBeGreaterThanOrEqual(before);

    // The keys and JSON types of the Go client's fixture (target is omitempty there too).
    const golden = JSON.parse(await readFile(join(CONFORMANCE, 'cron.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(created.json).sort()).toEqual(Object.keys(golden).sort());
    for (const [key, value] of Object.entries(golden)) expect(typeof (created.json as unknown as Record<string, unknown>)[key]).toBe(typeof value);

    await createCron(server, slug, { name: 'alpha', expr: '@hourly', branch: 'main' });
    const list = await call<Cron[]>(server, 'GET', base);
    expect(list.status).toBe(200);
    expect(list.json.map((cron) => cron.name)).toEqual(['alpha', 'nightly-build']);

    expect((await call(server, 'GET', `${base}/nightly-build`)).json).toEqual(created.json);

    const updated = await call<Cron>(server, 'PATCH', `${base}/nightly-build`, { branch: 'release', target: 'production', disabled: true, expr: '@daily' });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ branch: 'release', target: 'production', disabled: true, expr: '0 0 2 * * *', next: created.json.next });
    expect(updated.json.version).toBe(created.json.version + 1);
    expect((await getCron(server, slug, 'nightly-build')).target).toBe('production');

    const deleted = await call(server, 'DELETE', `${base}/nightly-build`);
    expect(deleted.status).toBe(204);
    expect(await call(server, 'GET', `${base}/nightly-build`)).toMatchObject({ status: 404, json: { message: 'Not Found' } });
    expect((await call(server, 'DELETE', `${base}/nightly-build`)).status).toBe(404);
    expect((await call(server, 'DELETE', `${base}/alpha`)).status).toBe(204);
  });

  it('answers bad input with 400 {"message"}, a taken name with 409, unknown jobs with 404 and guests with 401', async () => {
    const bad = async (body: unknown) => call<{ message: string }>(server, 'POST', base, body);
    expect(await bad({ name: 'x', expr: 'every day', branch: 'main' })).toMatchObject({ status: 400, json: { message: 'Invalid Cronjob Expression' } });
    expect(await bad({ name: 'x', expr: '*/5 * * * L', branch: 'main' })).toMatchObject({ status: 400, json: { message: 'Invalid Cronjob Expression' } });
    expect(await bad({ name: '%%%', expr: '@daily', branch: 'main' })).toMatchObject({ status: 400, json: { message: 'Invalid Cronjob Name' } });
    expect(await bad({ name: 'x', expr: '@daily' })).toMatchObject({ status: 400, json: { message: 'Invalid Cronjob Branch' } });
    expect((await bad({ name: 7, expr: '@daily', branch: 'main' })).status).toBe(400);
    expect((await bad('{"name": ')).status).toBe(400);

    await createCron(server, slug, { name: 'twice', expr: '@daily', branch: 'main' });
    expect((await bad({ name: 'Twice', expr: '@hourly', branch: 'main' })).status).toBe(409);
    expect((await call(server, 'PATCH', `${base}/twice`, { branch: '' })).status).toBe(400);
    expect((await call(server, 'PATCH', `${base}/twice`, { disabled: 'yes' })).status).toBe(400);
    expect((await call(server, 'PATCH', `${base}/nothing`, { disabled: true })).status).toBe(404);
    expect((await call(server, 'POST', `${base}/nothing`)).status).toBe(404);
    expect((await call(server, 'GET', '/api/repos/nobody/nothing/cron')).status).toBe(404);
    expect(await call(server, 'GET', base, undefined, null)).toMatchObject({ status: 401, json: { message: 'Unauthorized' } });
    expect((await call(server, 'POST', base, { name: 'guest', expr: '@daily', branch: 'main' }, null)).status).toBe(401);
    await call(server, 'DELETE', `${base}/twice`);
  });

  it('executes a job now with Drone’s cron build fields, leaving its schedule alone', async () => {
    const cron = await createCron(server, slug, { name: 'manual', expr: '@yearly', branch: 'main' });
    const executed = await call<Build>(server, 'POST', `${base}/manual`);
    expect(executed.status).toBe(200);
    expect(executed.json).toMatchObject({
      trigger: '@cron',
      event: 'cron',
      ref: 'refs/heads/main',
      target: 'main',
      after: headSha,
      cron: 'manual',
      sender: 'author',
      author_login: 'author',
      author_email: 'author@example.com',
      message: 'pipelines for cron',
      status: 'pending',
    });
    expect(executed.json.stages?.map((stage) => stage.name)).toEqual(['scheduled']);
    expect(await getCron(server, slug, 'manual')).toMatchObject({ next: cron.next, prev: 0 });
    // Run again: every execution is its own build.
    expect((await call<Build>(server, 'POST', `${base}/manual`)).json.number).toBe(executed.json.number + 1);

    await call(server, 'PATCH', `${base}/manual`, { branch: 'no-such-branch' });
    expect((await call(server, 'POST', `${base}/manual`)).status).toBe(404);
    await call(server, 'DELETE', `${base}/manual`);
  });

  it('turns a due job into exactly one build and schedules its next run', async () => {
    const due = nowSeconds() + 2;
    await createCron(server, slug, { name: 'due-once', expr: exprAt(due), branch: 'main' });
    const [build] = await until(async () => {
      const builds = await cronBuilds(server, slug, 'due-once');
      return builds.length > 0 && builds;
    }, 15_000);
    expect(build).toMatchObject({ trigger: '@cron', event: 'cron', ref: 'refs/heads/main', target: 'main', after: headSha, cron: 'due-once', sender: 'author' });
    await afterChecks([server], 3);
    expect(await cronBuilds(server, slug, 'due-once')).toHaveLength(1);
    const cron = await getCron(server, slug, 'due-once');
    expect(cron.prev).toBe(due);
    expect(new Date(cron.next * 1000).getUTCFullYear()).toBe(new Date(due * 1000).getUTCFullYear() + 1);
  });

  it('leaves a disabled job alone while an enabled one due at the same second fires', async () => {
    const due = nowSeconds() + 2;
    await createCron(server, slug, { name: 'quiet', expr: exprAt(due), branch: 'main' });
    await createCron(server, slug, { name: 'loud', expr: exprAt(due), branch: 'main' });
    expect((await call(server, 'PATCH', `${base}/quiet`, { disabled: true })).status).toBe(200);
    await until(async () => (await cronBuilds(server, slug, 'loud')).length === 1, 15_000);
    await afterChecks([server], 3);
    expect(await cronBuilds(server, slug, 'quiet')).toHaveLength(0);
    expect(await getCron(server, slug, 'quiet')).toMatchObject({ prev: 0, next: due, disabled: true });
  });

  it('builds a run taken by a server that died before building it, once, on the next server', async () => {
    const shared = await sharedDatasource(driver);
    const env = { DRONE_DATABASE_DATASOURCE: shared.datasource, ...FAST_CRON };
    // The server that takes the run: its own scheduler is off, the take is done by hand and nothing is built.
    const taker = await startTestServer({ driver, postgresUrl: inject('postgresUrl'), env: { ...env, DRONE_CRON_DISABLED: 'true' } });
    let heir: TestServer | undefined;
    try {
      await enableRepo(taker, 'octocat/orphan');
      const cron = await createCron(taker, 'octocat/orphan', { name: 'orphan', expr: '@yearly', branch: 'main' });
      const next = cron.next + 366 * 24 * 3600;
      const intent = await taker.ctx.store.crons.take({ cronId: cron.id, due: cron.next, next, claimMs: 500 });
      expect(intent).toMatchObject({ cronId: cron.id, due: cron.next, name: 'orphan', branch: 'main' });
      // A second take of the same due run loses: the job has moved on.
      expect(await taker.ctx.store.crons.take({ cronId: cron.id, due: cron.next, next, claimMs: 500 })).toBeUndefined();
      await taker.close();

      heir = await startTestServer({ driver, postgresUrl: inject('postgresUrl'), env });
      const heirServer = heir;
      const builds = await until(async () => {
        const found = await cronBuilds(heirServer, 'octocat/orphan', 'orphan');
        return found.length > 0 && found;
      }, 15_000);
      expect(builds[0]).toMatchObject({ event: 'cron', trigger: '@cron', cron: 'orphan' });
      await afterChecks([heir], 3);
      expect(await cronBuilds(heir, 'octocat/orphan', 'orphan')).toHaveLength(1);
      expect(await heir.ctx.store.crons.claimIntents(10, 0)).toEqual([]);
      expect(await getCron(heir, 'octocat/orphan', 'orphan')).toMatchObject({ prev: cron.next, next });
    } finally {
      await taker.close();
      await heir?.close();
      await shared.cleanup();
    }
  });

  it('retries a run that cannot be built, then gives it up without holding back other runs', async () => {
    const manual = await startTestServer({ driver, postgresUrl: inject('postgresUrl'), env: { DRONE_CRON_DISABLED: 'true' } });
    try {
      const { store, scm, credentials, triggerer } = manual.ctx;
      // Checks run by hand; a claim lasts no time, so each check may claim the failed run again.
      const scheduler = new CronScheduler({ crons: store.crons, repos: store.repos, scm, credentials, triggerer, log: pino({ level: 'silent' }) }, { intervalMs: 1000, checkEveryMs: 1000, claimMs: 0 });
      await enableRepo(manual, 'octocat/retries');
      const broken = await createCron(manual, 'octocat/retries', { name: 'broken', expr: '@yearly', branch: 'gone' });
      const healthy = await createCron(manual, 'octocat/retries', { name: 'healthy', expr: '@yearly', branch: 'main' });
      for (const cron of [broken, healthy]) {
        expect(await store.crons.take({ cronId: cron.id, due: cron.next, next: cron.next + 1, claimMs: 0 })).toBeDefined();
      }
      await until(async () => {
        await scheduler.check();
        return (await store.crons.claimIntents(10, 0)).length === 0 && (await cronBuilds(manual, 'octocat/retries', 'healthy')).length === 1;
      }, 15_000);
      expect(await cronBuilds(manual, 'octocat/retries', 'broken')).toHaveLength(0);
    } finally {
      await manual.close();
    }
  });

  it('keeps DRONE_CRON_INTERVAL as the shortest time between two runs of a job', async () => {
    const spaced = await startTestServer({ driver, postgresUrl: inject('postgresUrl'), env: { DRONE_CRON_INTERVAL: '3s' } });
    try {
      await enableRepo(spaced, 'octocat/spaced');
      await createCron(spaced, 'octocat/spaced', { name: 'every-second', expr: '* * * * * *', branch: 'main' });
      await until(async () => (await cronBuilds(spaced, 'octocat/spaced', 'every-second')).length > 0, 15_000);
      const first = await getCron(spaced, 'octocat/spaced', 'every-second');
      expect(first.prev).toBeGreaterThan(0);
      expect(first.next - first.prev).toBeGreaterThanOrEqual(3);
      expect(await cronBuilds(spaced, 'octocat/spaced', 'every-second')).toHaveLength(1);
    } finally {
      await spaced.close();
    }
  });

  it('starts no scheduler with DRONE_CRON_DISABLED=true', async () => {
    const idle = await startTestServer({ driver, postgresUrl: inject('postgresUrl'), env: { ...FAST_CRON, DRONE_CRON_DISABLED: 'true' } });
    try {
      expect(idle.cron).toBeUndefined();
      await enableRepo(idle, 'octocat/idle');
      const cron = await createCron(idle, 'octocat/idle', { name: 'every-second', expr: '* * * * * *', branch: 'main' });
      // Nothing can be awaited when nothing happens: let the job be due for well over a second.
      await until(async () => nowSeconds() > cron.next + 1, 5_000);
      expect(await getCron(idle, 'octocat/idle', 'every-second')).toMatchObject({ prev: 0, next: cron.next });
      expect(await cronBuilds(idle, 'octocat/idle', 'every-second')).toHaveLength(0);
    } finally {
      await idle.close();
    }
  });
});
