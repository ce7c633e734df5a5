// The runner protocol with Drone's own timings, untouched (every other test shortens them): a stage
// runs start to end as a stock runner drives it, a watch held meanwhile is released when the build ends,
// and an empty long-poll is held 30 s before its 204.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stage, Step } from '../../../src/core/types.js';
import { GoRunner } from '../../support/go-client.js';
import { EXEC_FILTER, seedBuild, seedRepo, stagePlan } from '../../support/seed.js';
import { RPC_SECRET, type TestServer, startTestServer } from '../../support/server.js';

describe('runner protocol with default timings', () => {
  let server: TestServer;
  let runner: GoRunner;
  beforeAll(async () => {
    server = await startTestServer({ driver: 'sqlite3', defaultTimings: true });
    runner = new GoRunner(server.url, RPC_SECRET);
  });
  afterAll(async () => server?.close());

  it('runs a stage start to end, releases the watch when the build ends, and holds an empty poll 30 s', async () => {
    const repo = await seedRepo(server.ctx.store, 'octocat/defaults');
    const { build } = await seedBuild(server.ctx.store, repo, [stagePlan({ labels: { test: 'defaults' } })]);
    const started = Date.now();
    const emptyPoll = runner.call('POST', '/stage', { ...EXEC_FILTER, labels: { nothing: 'here' } });
    const quietWatch = runner.call('POST', `/build/${build.id}/watch`);

    const offered = (await runner.call('POST', '/stage', { ...EXEC_FILTER, labels: { test: 'defaults' } })).json<Stage>();
    const accepted = (await runner.call('POST', `/stage/${offered.id}?machine=stock`)).json<Stage>();
    const now = () => Math.floor(Date.now() / 1000);
    const running = (await runner.call('PUT', `/stage/${offered.id}`, { ...accepted, status: 'running', started: now(), steps: [{ id: 0, step_id: offered.id, number: 1, name: 'a', status: 'pending', exit_code: 0, version: 0 }] })).json<Stage>();
    const step = running.steps?.[0] as Step;
    const stepRunning = (await runner.call('PUT', `/step/${step.id}`, { ...step, status: 'running', started: now() })).json<Step>();
    expect((await runner.call('POST', `/step/${step.id}/logs/upload`, [{ pos: 0, out: 'ok\n', time: 0 }])).status).toBe(200);
    const stepDone = (await runner.call('PUT', `/step/${step.id}`, { ...stepRunning, status: 'success', stopped: now() })).json<Step>();
    const finished = await runner.call('PUT', `/stage/${offered.id}`, { ...running, status: 'success', stopped: now(), steps: [stepDone] });
    expect(finished.status).toBe(200);
    expect((await server.ctx.store.builds.find(build.id))?.status).toBe('success');

    // The build is done: a watch on it answers at once; the one held before the end was released.
    expect((await quietWatch).status).toBe(200);
    const poll = await emptyPoll;
    expect(poll.status).toBe(204);
    expect(Date.now() - started).toBeGreaterThanOrEqual(29_500);
  }, 60_000);
});
