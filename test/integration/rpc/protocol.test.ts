// The runner protocol, driven as a stock Drone runner drives it: node:http, no Content-Type, Go's JSON
// with its trailing newline (research/drone-runner.md §1). Runs on SQLite and on PostgreSQL.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Stage, StageDetails, Step } from '../../../src/core/types.js';
import { GoRunner, goRequest } from '../../support/go-client.js';
import { ADMIN_TOKEN, RPC_SECRET, type TestServer, startTestServer } from '../../support/server.js';
import { EXEC_FILTER, seedBuild, seedRepo, stagePlan } from '../../support/seed.js';
import { until } from '../../support/wait.js';

describe.each(['sqlite3', 'postgres'] as const)('runner protocol on %s', (driver) => {
  let server: TestServer;
  let runner: GoRunner;

  beforeAll(async () => {
    server = await startTestServer({ driver, postgresUrl: inject('postgresUrl') });
    runner = new GoRunner(server.url, RPC_SECRET);
  });
  afterAll(async () => server?.close());

  const store = () => server.ctx.store;

  /**
   * Request + accept, as runner-go does; returns the accepted stage. Each test labels its stages and asks
   * with its own label, so stages other tests left behind (re-queued after their lease) stay out of it.
   */
  async function take(label: string, machine = 'runner-1'): Promise<Stage> {
    const offered = await runner.call('POST', '/stage', { ...EXEC_FILTER, labels: { test: label } });
    expect(offered.status).toBe(200);
    const stage = offered.json<Stage>();
    const accepted = await runner.call('POST', `/stage/${stage.id}?machine=${machine}`);
    expect(accepted.status).toBe(200);
    return accepted.json<Stage>();
  }

  /** PUT stage running with steps, as runner-go reports a stage start. */
  async function begin(stage: Stage, stepNames: string[]): Promise<Stage> {
    const now = Math.floor(Date.now() / 1000);
    const body: Stage = {
      ...stage,
      status: 'running',
      started: now,
      steps: stepNames.map((name, i) => ({ id: 0, step_id: stage.id, number: i + 1, name, status: 'pending', exit_code: 0, version: 0 })),
    };
    const response = await runner.call('PUT', `/stage/${stage.id}`, body);
    expect(response.status).toBe(200);
    return response.json<Stage>();
  }

  it('answers 401 for a wrong or missing token and 200 for the right one', async () => {
    expect((await goRequest(server.url, { method: 'POST', path: '/rpc/v2/ping' })).status).toBe(401);
    expect((await goRequest(server.url, { method: 'POST', path: '/rpc/v2/ping', token: 'wrong' })).status).toBe(401);
    expect((await runner.call('POST', '/ping')).status).toBe(200);
  });

  it('answers 204 when the long-poll hold ends with nothing to do', async () => {
    const started = Date.now();
    const response = await runner.call('POST', '/stage', { ...EXEC_FILTER, labels: { nothing: 'matches' } });
    expect(response.status).toBe(204);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  });

  it("gives a stage's secrets only to the runner holding it, and lets no other runner start or finish it", async () => {
    const repo = await seedRepo(store(), 'octocat/holder');
    await store().secrets.createRepo(repo.id, { name: 'deploy_key', data: 'holder-secret-value', pull_request: false, pull_request_push: false });
    await seedBuild(store(), repo, [stagePlan({ labels: { test: 'holder' } })]);
    const offered = (await runner.call('POST', '/stage', { ...EXEC_FILTER, labels: { test: 'holder' } })).json<Stage>();
    // Offered but not accepted: its details (secrets, clone credentials) go to no one.
    const early = await runner.call('GET', `/stage/${offered.id}`);
    expect(early.status).toBe(409);
    expect(early.body).not.toContain('holder-secret-value');
    const accepted = (await runner.call('POST', `/stage/${offered.id}?machine=holder-1`)).json<Stage>();
    expect((await runner.call('GET', `/stage/${offered.id}`)).body).toContain('holder-secret-value');
    // Another runner that learned the version cannot start or finish the stage in its own name.
    const now = Math.floor(Date.now() / 1000);
    expect((await runner.call('PUT', `/stage/${offered.id}`, { ...accepted, machine: 'intruder', status: 'running', started: now, steps: [] })).status).toBe(409);
    const started = await begin(accepted, ['a']);
    const intruderFinish = await runner.call('PUT', `/stage/${offered.id}`, { ...started, machine: 'intruder', status: 'success', stopped: now });
    expect(intruderFinish.status).toBe(409);
    const finished = await runner.call('PUT', `/stage/${offered.id}`, { ...started, status: 'success', stopped: now, steps: started.steps?.map((step) => ({ ...step, status: 'success', stopped: now })) });
    expect(finished.status).toBe(200);
    // Over: its details go to no one any more.
    expect((await runner.call('GET', `/stage/${offered.id}`)).status).toBe(409);
  });

  it("sends in a stage's details the build's stages, the repo's secrets by name, then the namespace's, pull requests only those allowed", async () => {
    const repo = await seedRepo(store(), 'detailsns/app');
    for (const [name, data, pullRequest] of [['shared', 'repo-shared', false], ['Zeta', 'repo-zeta', true], ['alpha', 'repo-alpha', false]] as const) {
      await store().secrets.createRepo(repo.id, { name, data, pull_request: pullRequest, pull_request_push: false });
    }
    for (const [name, data, pullRequest] of [['shared', 'org-shared', true], ['Zeta', 'org-zeta', false], ['alpha', 'org-alpha', true]] as const) {
      await store().orgSecrets.create('detailsns', { name, data, pull_request: pullRequest, pull_request_push: false });
    }
    await store().orgSecrets.create('otherns', { name: 'foreign', data: 'not-for-this-repo', pull_request: true, pull_request_push: false });
    // The order the API lists them in, each table by its own name collation (NOCASE for org secrets on SQLite).
    const repoNames = (await store().secrets.listRepo(repo.id)).map((s) => s.name);
    const orgNames = (await store().orgSecrets.list('detailsns')).map((s) => s.name);
    const values = (prefix: string, names: string[]) => names.map((name) => [name, `${prefix}-${name.toLowerCase()}`]);

    for (const event of ['push', 'pull_request'] as const) {
      const labels = { test: `details-${event}` };
      const created = await seedBuild(store(), repo, [
        stagePlan({ name: 'first', labels }),
        stagePlan({ name: 'second', labels, depends_on: ['first'], status: 'waiting_on_dependencies' }),
        stagePlan({ name: 'third', labels: { ...labels, other: 'label' } }),
      ], { event, ref: event === 'pull_request' ? 'refs/pull/7/head' : 'refs/heads/main' });
      const stage = await take(labels.test);
      const response = await runner.call('GET', `/stage/${stage.id}`);
      expect(response.status).toBe(200);
      const details = response.json<StageDetails>();

      expect(details.stage).toEqual(stage);
      expect(details.build.stages).toEqual(JSON.parse(JSON.stringify(await store().builds.stages(created.build.id, false))));
      expect(details.build.stages?.map((s) => s.name)).toEqual(['first', 'second', 'third']);
      // A pull request gets only the secrets marked for pull requests: the repo's Zeta, the org's others.
      const pullRequest = event === 'pull_request';
      expect(details.secrets.map((s) => [s.name, s.data])).toEqual([
        ...values('repo', repoNames.filter((name) => !pullRequest || name === 'Zeta')),
        ...values('org', orgNames.filter((name) => !pullRequest || name !== 'Zeta')),
      ]);
      expect(details.secrets.find((s) => s.namespace === undefined)).toMatchObject({ repo_id: repo.id });
      expect(details.secrets.filter((s) => s.namespace !== undefined).every((s) => s.namespace === 'detailsns' && s.repo_id === undefined)).toBe(true);
    }
  });

  it('gives a stage to one runner: the second accept gets 409', async () => {
    const repo = await seedRepo(store(), 'octocat/accept');
    await seedBuild(store(), repo, [stagePlan({ labels: { test: 'accept' } })]);
    const offered = (await runner.call('POST', '/stage', { ...EXEC_FILTER, labels: { test: 'accept' } })).json<Stage>();
    expect((await runner.call('POST', `/stage/${offered.id}?machine=a`)).status).toBe(200);
    expect((await runner.call('POST', `/stage/${offered.id}?machine=b`)).status).toBe(409);
    const stored = await store().stages.find(offered.id);
    expect(stored?.machine).toBe('a');
  });

  it('reserves in one statement the stages reservations one by one would take: oldest first, within the pipeline limit', async () => {
    const repo = await seedRepo(store(), 'octocat/batch');
    const labels = { test: 'batch' };
    const plan = () => [stagePlan({ name: 'limited', limit: 1, labels }), stagePlan({ name: 'free', labels })];
    const first = await seedBuild(store(), repo, plan());
    const second = await seedBuild(store(), repo, plan());
    const reserved = await store().queue.reserve({ ...EXEC_FILTER, labels }, 60_000, 10);
    // The second `limited` waits for the first (concurrency.limit 1), as it would one reservation at a time.
    expect(reserved.map((stage) => [stage.build_id, stage.name])).toEqual([
      [first.build.id, 'limited'],
      [first.build.id, 'free'],
      [second.build.id, 'free'],
    ]);
    expect(await store().queue.reserve({ ...EXEC_FILTER, labels }, 60_000, 10)).toEqual([]);
    for (const stage of reserved) await store().queue.release(stage.id);
    expect(await store().queue.reserve({ ...EXEC_FILTER, labels }, 60_000, 1)).toHaveLength(1);
  });

  it('hands 10 stages to 20 racing requesters exactly once each; the rest get 204', async () => {
    const repo = await seedRepo(store(), 'octocat/race');
    const names = Array.from({ length: 10 }, (_, i) => `p${i}`);
    const build = await seedBuild(store(), repo, names.map((name) => stagePlan({ name, labels: { test: 'race' } })));
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const offered = await runner.call('POST', '/stage', { ...EXEC_FILTER, labels: { test: 'race' } });
        if (offered.status !== 200) return { status: offered.status, accepted: undefined };
        const stage = offered.json<Stage>();
        const accepted = await runner.call('POST', `/stage/${stage.id}?machine=r${i}`);
        return { status: accepted.status, accepted: accepted.status === 200 ? stage.id : undefined };
      }),
    );
    const acceptedIds = results.flatMap((r) => (r.accepted === undefined ? [] : [r.accepted]));
    expect(acceptedIds.sort()).toEqual(build.stages.map((s) => s.id).sort());
    expect(results.filter((r) => r.status === 204)).toHaveLength(10);
    expect(results.filter((r) => r.status === 409)).toHaveLength(0);
  });

  it('answers 200 with the stored step when a step update whose response was lost is sent again', async () => {
    const repo = await seedRepo(store(), 'octocat/replay');
    await seedBuild(store(), repo, [stagePlan({ labels: { test: 'replay' } })]);
    const stage = await begin(await take('replay'), ['one', 'two']);
    const step = stage.steps?.[0] as Step;
    const running: Step = { ...step, status: 'running', started: Math.floor(Date.now() / 1000) };
    const first = await runner.call('PUT', `/step/${step.id}`, running);
    expect(first.status).toBe(200);
    const again = await runner.call('PUT', `/step/${step.id}`, running);
    expect(again.status).toBe(200);
    expect(again.json<Step>().version).toBe(first.json<Step>().version);
    // A different update on the stale version is a real conflict.
    const conflicting = await runner.call('PUT', `/step/${step.id}`, { ...running, status: 'success', stopped: running.started });
    expect(conflicting.status).toBe(409);
    // A replayed stage start is answered with the stored stage and its steps, not a conflict.
    const replayedStart = await runner.call('PUT', `/stage/${stage.id}`, { ...stage, version: stage.version - 1, steps: [] });
    expect(replayedStart.status).toBe(200);
    expect(replayedStart.json<Stage>().steps?.map((s) => s.name)).toEqual(['one', 'two']);
  });

  it('keeps a silent step alive past the running lease while the runner holds its watch', async () => {
    const repo = await seedRepo(store(), 'octocat/silent');
    const build = await seedBuild(store(), repo, [stagePlan({ labels: { test: 'silent' } })]);
    const stage = await begin(await take('silent'), ['quiet']);
    const step = stage.steps?.[0] as Step;
    expect((await runner.call('PUT', `/step/${step.id}`, { ...step, status: 'running', started: Math.floor(Date.now() / 1000) })).status).toBe(200);
    const lease = 3000;
    const deadline = Date.now() + 2.5 * lease;
    while (Date.now() < deadline) {
      const watch = await runner.call('POST', `/build/${build.build.id}/watch`);
      expect(watch.status).toBe(204);
    }
    expect((await store().stages.find(stage.id))?.status).toBe('running');
  });

  it('stores a 7 MB log upload', async () => {
    const repo = await seedRepo(store(), 'octocat/biglog');
    const build = await seedBuild(store(), repo, [stagePlan({ labels: { test: 'biglog' } })]);
    const stage = await begin(await take('biglog'), ['noisy']);
    const step = stage.steps?.[0] as Step;
    expect((await runner.call('PUT', `/step/${step.id}`, { ...step, status: 'running', started: Math.floor(Date.now() / 1000) })).status).toBe(200);
    const lines = Array.from({ length: 70_000 }, (_, pos) => ({ pos, out: `${'x'.repeat(90)} ${pos}\n`, time: 1 }));
    const body = `${JSON.stringify(lines)}\n`;
    expect(body.length).toBeGreaterThan(7_000_000);
    expect((await runner.call('POST', `/step/${step.id}/logs/upload`, body)).status).toBe(200);
    const response = await fetch(`${server.url}/api/repos/octocat/biglog/builds/${build.build.number}/logs/1/1`, {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const stored = (await response.json()) as Array<{ pos: number; out: string }>;
    expect(stored).toHaveLength(70_000);
    expect(stored[69_999]).toMatchObject({ pos: 69_999, out: `${'x'.repeat(90)} 69999\n` });
  });

  it('answers malformed JSON with 400 and loses nothing', async () => {
    const repo = await seedRepo(store(), 'octocat/badjson');
    await seedBuild(store(), repo, [stagePlan({ labels: { test: 'badjson' } })]);
    const stage = await take('badjson');
    const bad = await runner.call('PUT', `/stage/${stage.id}`, '{"id": 1, "status": ');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/invalid JSON/);
    expect((await store().stages.find(stage.id))?.status).toBe('pending');
    expect((await runner.call('POST', `/step/1/logs/batch`, '[{"pos": "x"}]')).status).toBe(400);
    // Well-formed JSON that is not a report: a clear 400, the stage untouched.
    for (const report of [{ ...stage, id: undefined }, { ...stage, status: undefined }, { ...stage, status: 'done' }, { ...stage, status: 'success', steps: [{ id: 1 }] }]) {
      const refused = await runner.call('PUT', `/stage/${stage.id}`, report);
      expect([refused.status, refused.body]).toEqual([400, expect.stringMatching(/id must be|unknown status/)]);
    }
    expect((await runner.call('PUT', '/step/1', { id: 1 })).status).toBe(400);
    expect((await store().stages.find(stage.id))?.status).toBe('pending');
  });

  it('fails a stage whose runner stopped after starting a step, within the lease', async () => {
    const repo = await seedRepo(store(), 'octocat/lost');
    const build = await seedBuild(store(), repo, [stagePlan({ labels: { test: 'lost' } })]);
    const stage = await begin(await take('lost'), ['work']);
    const step = stage.steps?.[0] as Step;
    expect((await runner.call('PUT', `/step/${step.id}`, { ...step, status: 'running', started: Math.floor(Date.now() / 1000) })).status).toBe(200);
    await runner.call('POST', `/step/${step.id}/logs/batch`, [{ pos: 0, out: 'last words\n', time: 0 }]);
    const lostAt = Date.now();
    const failed = await until(async () => {
      const current = await store().stages.find(stage.id);
      return current?.status === 'error' ? current : undefined;
    }, 15_000);
    expect(Date.now() - lostAt).toBeLessThan(3000 + 3000);
    expect(failed.error).toMatch(/runner lost/);
    expect((await store().builds.find(build.build.id))?.status).toBe('error');
    // The line that reached the server is the log of the lost step.
    expect(await store().logs.find(step.id)).toEqual([{ pos: 0, out: 'last words\n', time: 0 }]);
  });

  it('re-queues a stage whose runner vanished before starting any step', async () => {
    const repo = await seedRepo(store(), 'octocat/requeue');
    await seedBuild(store(), repo, [stagePlan({ labels: { test: 'requeue' } })]);
    const stage = await take('requeue', 'vanishing');
    const requeued = await until(async () => {
      const current = await store().stages.find(stage.id);
      return current?.status === 'pending' && !current.machine ? current : undefined;
    }, 15_000);
    expect(requeued.version).toBeGreaterThan(stage.version);
    // The old runner's late start is refused; a new runner takes the stage.
    expect((await runner.call('PUT', `/stage/${stage.id}`, { ...stage, status: 'running', started: 1 })).status).toBe(409);
    const again = await take('requeue', 'second');
    expect(again.id).toBe(stage.id);
  });

  it('answers a held watch with 200 as soon as the build is cancelled', async () => {
    const repo = await seedRepo(store(), 'octocat/cancel');
    const build = await seedBuild(store(), repo, [stagePlan({ labels: { test: 'cancel' } })]);
    await begin(await take('cancel'), ['long']);
    const watch = runner.call('POST', `/build/${build.build.id}/watch`);
    const cancelledAt = Date.now();
    const response = await fetch(`${server.url}/api/repos/octocat/cancel/builds/${build.build.number}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { status: string }).status).toBe('killed');
    expect((await watch).status).toBe(200);
    expect(Date.now() - cancelledAt).toBeLessThan(1000);
    // A watch that arrives later is answered at once.
    expect((await runner.call('POST', `/build/${build.build.id}/watch`)).status).toBe(200);
  });

  it('promotes a dependent stage when its dependency succeeds and skips it when it fails', async () => {
    for (const outcome of ['success', 'failure'] as const) {
      const repo = await seedRepo(store(), `octocat/deps-${outcome}`);
      const labels = { test: `deps-${outcome}` };
      const build = await seedBuild(store(), repo, [
        stagePlan({ name: 'first', labels }),
        stagePlan({ name: 'second', labels, depends_on: ['first'], status: 'waiting_on_dependencies' }),
      ]);
      const stage = await begin(await take(labels.test), ['only']);
      const now = Math.floor(Date.now() / 1000);
      const finished = await runner.call('PUT', `/stage/${stage.id}`, {
        ...stage,
        status: outcome,
        stopped: now,
        exit_code: outcome === 'success' ? 0 : 1,
        steps: stage.steps?.map((s) => ({ ...s, status: outcome, stopped: now })),
      });
      expect(finished.status).toBe(200);
      const second = (await store().builds.stages(build.build.id, false))[1];
      expect(second.status).toBe(outcome === 'success' ? 'pending' : 'skipped');
      const after = await store().builds.find(build.build.id);
      expect(after?.status).toBe(outcome === 'success' ? 'running' : 'failure');
      if (outcome === 'success') {
        const next = await take(labels.test);
        expect(next.name).toBe('second');
      }
    }
  });
});

describe('runner protocol without a configured secret', () => {
  it('answers 403 to everything, whatever token is sent', async () => {
    const server = await startTestServer({ driver: 'sqlite3', env: { DRONE_RPC_SECRET: '' } });
    try {
      expect((await goRequest(server.url, { method: 'POST', path: '/rpc/v2/ping' })).status).toBe(403);
      expect((await goRequest(server.url, { method: 'POST', path: '/rpc/v2/stage', body: EXEC_FILTER, token: '' })).status).toBe(403);
      expect((await goRequest(server.url, { method: 'POST', path: '/rpc/v2/ping', token: 'guess' })).status).toBe(403);
    } finally {
      await server.close();
    }
  });
});
