// Stage transitions racing each other, on both databases. On PostgreSQL a one-stage build's first start
// and finish are single statements (src/store/transitions/postgres/); builds of several stages keep the
// build-rooted transaction. Either way the build and its stages must agree however the races fall, and on
// PostgreSQL a one-stage build's runner calls must each cost the database one statement.

import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Store } from '../../../src/core/store.js';
import type { RepoWithKeys, Stage } from '../../../src/core/types.js';
import { openStore } from '../../../src/store/index.js';
import { createTestDatabase } from '../../support/postgres.js';
import { seedBuild, stagePlan } from '../../support/seed.js';
import { type TestServer, startTestServer } from '../../support/server.js';

const LEASE_MS = 60_000;

describe.each(['sqlite3', 'postgres'] as const)('stage races on %s', (driver) => {
  let server: TestServer;
  let store: Store;
  let repo: RepoWithKeys;
  beforeAll(async () => {
    server = await startTestServer({ driver, postgresUrl: inject('postgresUrl') });
    store = server.ctx.store;
    const admin = await store.users.findByLogin('admin');
    repo = await store.repos.enableLocal({
      namespace: 'race',
      name: 'builds',
      gitHttpUrl: 'file:///nonexistent/race/builds.git',
      defaultBranch: 'main',
      private: false,
      visibility: 'public',
      configPath: '.drone.yml',
      ownerId: admin!.id,
    });
  });
  afterAll(() => server.close());

  it('a cancel racing the runner\'s last update leaves the build and its stage agreeing', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, async (_, index) => {
        const running = await startedStage(store, repo);
        // One of the two leaves a few turns of the event loop after the other, so they meet at different points.
        const [cancelTurns, finishTurns] = index % 2 === 0 ? [0, index % 10] : [index % 10, 0];
        const [, finished] = await Promise.all([
          afterTurns(cancelTurns).then(() => store.transitions.cancelBuild(running.build_id)),
          afterTurns(finishTurns).then(() => store.transitions.finishStage(successOf(running))),
        ]);
        const build = await store.builds.find(running.build_id);
        const [stage] = await store.builds.stages(running.build_id, true);
        return { finished: finished.kind, build: build?.status, stage: stage.status, steps: stage.steps?.map((step) => step.status) };
      }),
    );
    for (const outcome of outcomes) {
      // Whichever came first wins whole: a finished stage in a successful build, or a killed one in a killed build.
      if (outcome.finished === 'applied') expect(outcome).toEqual({ finished: 'applied', build: 'success', stage: 'success', steps: ['success'] });
      else expect(outcome).toMatchObject({ finished: 'conflict', build: 'killed', stage: 'killed' });
    }
  });

  it('a build of two stages finishing at once is completed exactly once, with both outcomes', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const created = await seedBuild(store, repo, [stagePlan({ name: 'a' }), stagePlan({ name: 'b' })]);
        const running = await Promise.all(created.stages.map((stage) => start(store, stage)));
        const finished = await Promise.all([store.transitions.finishStage(successOf(running[0])), store.transitions.finishStage({ ...successOf(running[1]), status: 'failure', exit_code: 1 })]);
        return { finished: finished.map((f) => f.kind === 'applied' && f.value.aftermath.buildFinished), build: await store.builds.find(created.build.id) };
      }),
    );
    for (const { finished, build } of results) {
      expect(finished.filter(Boolean)).toHaveLength(1);
      expect(build?.status).toBe('failure');
      expect(build?.finished).toBeGreaterThan(0);
    }
  });

  it('answers a replayed last update with the stored stage, and a stale one with a conflict', async () => {
    const running = await startedStage(store, repo);
    const first = await store.transitions.finishStage(successOf(running));
    const replay = await store.transitions.finishStage(successOf(running));
    const stale = await store.transitions.finishStage({ ...successOf(running), status: 'failure', exit_code: 2 });
    expect(first.kind).toBe('applied');
    expect(replay).toMatchObject({ kind: 'replay', value: { stage: { status: 'success', steps: [{ status: 'success' }] } } });
    expect(stale.kind).toBe('conflict');
    expect((await store.builds.find(running.build_id))?.status).toBe('success');
  });
});

describe('one-stage build on PostgreSQL', () => {
  it('costs the database one statement for each runner call and one for the build', async () => {
    const datasource = await createTestDatabase(inject('postgresUrl'));
    const store = await openStore({ driver: 'postgres', datasource, maxConnections: 2 }, pino({ level: 'silent' }));
    const counter = new pg.Client({ connectionString: datasource });
    await counter.connect();
    try {
      const owner = await store.users.bootstrap({ login: 'owner', admin: true, machine: false, token: 'x'.repeat(32) });
      const repo = await store.repos.enableLocal({
        namespace: 'count',
        name: 'statements',
        gitHttpUrl: 'file:///nonexistent/count/statements.git',
        defaultBranch: 'main',
        private: false,
        visibility: 'public',
        configPath: '.drone.yml',
        ownerId: owner.id,
      });
      await counter.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await counter.query('SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)');

      const running = await startedStage(store, repo);
      const finished = await store.transitions.finishStage(successOf(running));
      expect(finished).toMatchObject({ kind: 'applied', value: { aftermath: { buildFinished: true, build: { status: 'success' } } } });

      const { rows } = await counter.query<{ calls: string; query: string }>(
        `SELECT calls, query FROM pg_stat_statements
          WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'`,
      );
      // create, accept, first start, finish: four statements, no BEGIN or COMMIT.
      expect(rows.reduce((sum, row) => sum + Number(row.calls), 0), rows.map((row) => row.query).join('\n')).toBe(4);
    } finally {
      await counter.end();
      await store.close();
    }
  });
});

/** A new one-stage build, accepted by a runner and started with one step. */
async function startedStage(store: Store, repo: RepoWithKeys): Promise<Stage> {
  const created = await seedBuild(store, repo);
  return start(store, created.stages[0]);
}

async function start(store: Store, stage: Stage): Promise<Stage> {
  const accepted = await store.queue.accept(stage.id, `runner-${stage.id}`, LEASE_MS);
  if (!accepted) throw new Error(`stage ${stage.id} was not accepted`);
  const started = await store.transitions.beginStage(
    { ...accepted.stage, status: 'running', started: 1_700_000_000, steps: [{ id: 0, step_id: stage.id, number: 1, name: 'greet', status: 'pending', exit_code: 0, version: 0 }] },
    60_000,
    LEASE_MS,
  );
  if (started.kind !== 'applied') throw new Error(`stage ${stage.id} did not start: ${started.kind}`);
  return started.value.stage;
}

async function afterTurns(turns: number): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setImmediate(resolve));
}

function successOf(running: Stage): Stage {
  const steps = (running.steps ?? []).map((step) => ({ ...step, status: 'success' as const, started: 1_700_000_001, stopped: 1_700_000_002 }));
  return { ...running, status: 'success', stopped: 1_700_000_003, exit_code: 0, steps };
}
