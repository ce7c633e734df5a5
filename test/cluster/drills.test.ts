// The fault drills of issue 14 on three servers behind HAProxy (layer 7), on a PostgreSQL of their own
// (restarted by the first drill) and a Redis Sentinel setup (its master killed by the last): PostgreSQL
// restarted under 20 builds, HAProxy reloaded and then crashed under long polls and log viewers, 100
// runners racing for 1,000 stages, a runner cut off the network (its own network namespace) for longer
// than its lease, a Sentinel failover under load. Each asserts that no build is lost or run twice, no
// stored log line and no cancel is lost, and prints the time it took to recover (`drill <name>: recovered
// in N ms`, copied to docs/ha.md). The disk-full drill is in disk-full.test.ts.

import { execFile, execFileSync, spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import http from 'node:http';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRunning, reportSuccess } from '../../bench/support/sim-runner.js';
import type { Build, Filter, Line, Stage } from '../../src/core/types.js';
import { HANGAR_RETRY, OptimisticLockError, RpcClient } from '../../src/runner/client.js';
import { CLUSTER_RPC_SECRET, CLUSTER_TOKEN, type Cluster, startCluster } from '../support/cluster.js';
import { createTestRepo } from '../support/git-repo.js';
import { type PostgresCluster, startPostgres, stopPostgres } from '../support/postgres.js';
import { isRunning } from '../support/process-state.js';
import { type SentinelSetup, killRedis, sentinelMasterPort, startSentinel, stopSentinel } from '../support/redis.js';
import { shmTempDir } from '../support/shm.js';
import { until } from '../support/wait.js';

const run = promisify(execFile);
const HANGAR = fileURLToPath(new URL('../../bin/hangar.js', import.meta.url));
const SLUG = 'octocat/faults';
/** Lines of the `count` step: 3 s of output, so builds span a fault. */
const LINES = 30;
const RACE_STAGES_PER_BUILD = 10;
const RACE_BUILDS = 100;
const RACE_RUNNERS = 100;
/**
 * Leases longer than the cluster suite's 3 s: a PostgreSQL restart takes 1.5–3 s here, and a stage whose
 * lease runs out while the database is down is failed as "runner lost" as soon as it is back (see docs/ha.md,
 * the PostgreSQL drill); the default is 30 s. Watches are held 2 s, so a runner cut off the network stops
 * renewing its stages through a held watch soon after the cut.
 */
const LEASE_MS = 10_000;
const WATCH_HOLD_MS = 2_000;

const racePipeline = (n: number) => `---
kind: pipeline
type: exec
name: race-${n}
clone:
  disable: true
node:
  pool: sim
trigger:
  branch: [race]
steps:
- name: noop
  commands:
  - true
`;

const PIPELINE = (dir: string) => `kind: pipeline
type: exec
name: work
clone:
  disable: true
trigger:
  branch: [main]
steps:
- name: count
  commands:
  - echo "$DRONE_BUILD_NUMBER" >> ${dir}/runs
  - for i in $(seq 1 ${LINES}); do echo "line $i"; sleep 0.1; done
---
kind: pipeline
type: exec
name: sleeper
clone:
  disable: true
trigger:
  branch: [sleep]
steps:
- name: sleep
  commands:
  - echo $$$$ > ${dir}/sleep-$\{DRONE_BUILD_NUMBER}.pid
  - exec sleep 600
---
kind: pipeline
type: exec
name: cut-off
clone:
  disable: true
node:
  net: cut
trigger:
  branch: [netcut]
steps:
- name: slow
  commands:
  - echo "$DRONE_BUILD_NUMBER" >> ${dir}/runs
  - echo "before the cut"
  - sleep 16
  - echo "after the cut"
---
kind: pipeline
type: exec
name: reconnected
clone:
  disable: true
node:
  net: cut
trigger:
  branch: [netquick]
steps:
- name: quick
  commands:
  - echo "$DRONE_BUILD_NUMBER" >> ${dir}/runs
  - echo "new work"
${Array.from({ length: RACE_STAGES_PER_BUILD }, (_, i) => racePipeline(i + 1)).join('')}`;

/** Why no network namespace can be made here (the cut-off drill is then skipped), or undefined. */
const NO_NETNS = (() => {
  const name = `hgprobe${process.pid % 100_000}`;
  try {
    execFileSync('ip', ['netns', 'add', name], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', name], { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    const reason = `ip netns add failed: ${((err as { stderr?: Buffer }).stderr ?? '').toString().trim() || (err as Error).message}`;
    console.log(`drill runner-cut-off: skipped, ${reason}`);
    return reason;
  }
})();

describe('fault drills of issue 14 (three servers, layer 7, own PostgreSQL, Redis Sentinel)', () => {
  let postgres: PostgresCluster;
  let sentinel: SentinelSetup;
  let cluster: Cluster;
  let dir: string;

  beforeAll(async () => {
    [postgres, sentinel] = await Promise.all([startPostgres(), startSentinel()]);
    // scripts/postgres-start.sh runs with synchronous_commit=off (fast, disposable data): a commit is then
    // acknowledged before its WAL is written, and an immediate shutdown (a crash) loses it. A real database
    // keeps what it acknowledged; so does this one for every session of the drill (a role setting outranks
    // the command line).
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query('ALTER ROLE postgres SET synchronous_commit = on').finally(() => admin.end());
    cluster = await startCluster(postgres.url, {
      servers: 3,
      mode: 'l7',
      env: {
        HANGAR_REDIS_SENTINELS: sentinel.sentinelsVariable,
        HANGAR_REDIS_SENTINEL_MASTER: sentinel.masterName,
        HANGAR_ACCEPT_LEASE: `${LEASE_MS}ms`,
        HANGAR_RUNNING_LEASE: `${LEASE_MS}ms`,
        HANGAR_WATCH_HOLD: `${WATCH_HOLD_MS}ms`,
      },
    });
    dir = await shmTempDir('hangar-drills14-');
    const repo = await createTestRepo(dir);
    await repo.push({ '.drone.yml': PIPELINE(dir) }, 'drills');
    for (const branch of ['sleep', 'netcut', 'netquick', 'race']) await repo.branch(branch);
    await cluster.api('POST', `/api/repos/${SLUG}`, { git_http_url: repo.url, default_branch: 'main' });
    await cluster.startRunner({ DRONE_RUNNER_NAME: 'runner-1', DRONE_RUNNER_CAPACITY: '11' });
    await cluster.startRunner({ DRONE_RUNNER_NAME: 'runner-2', DRONE_RUNNER_CAPACITY: '11' });
  });
  afterAll(async () => {
    await cluster?.close();
    if (sentinel) await stopSentinel(sentinel.dir).catch(() => undefined);
    if (postgres) await stopPostgres(postgres.dir, 'immediate').catch(() => undefined);
    for (const path of [dir, sentinel?.dir, postgres?.dir]) if (path) await rm(path, { recursive: true, force: true });
  });

  const create = (count: number, branch = 'main') => Promise.all(Array.from({ length: count }, () => cluster.api<Build>('POST', `/api/repos/${SLUG}/builds?branch=${branch}`)));
  const get = (number: number, via?: string) => cluster.api<Build>('GET', `/api/repos/${SLUG}/builds/${number}`, undefined, via);
  const running = async (builds: Build[]) => (await Promise.all(builds.map((b) => get(b.number)))).filter((b) => b.stages?.[0]?.steps?.[0]?.status === 'running').length;

  /** Every build succeeded, ran exactly once, and kept every line of its log. */
  async function expectIntact(builds: Build[]): Promise<void> {
    const done = await Promise.all(builds.map((build) => cluster.finished(SLUG, build.number, 90_000)));
    const failed = done.filter((b) => b.status !== 'success');
    for (const build of failed) console.log(`build ${build.number} ${build.status}: ${JSON.stringify(build.stages?.map((s) => [s.status, s.error, s.steps?.map((t) => [t.status, t.error])]))}`);
    if (failed.length > 0) {
      const problems = (output: string) => output.split('\n').filter((line) => /"level":(4|5)0/.test(line)).slice(-30).join('\n');
      for (const runner of cluster.runners) console.log(`runner output (warnings and errors):\n${problems(runner.output())}`);
    }
    expect(done.map((build) => [build.number, build.status])).toEqual(builds.map((build) => [build.number, 'success']));
    const runs = await runsOf(dir);
    for (const build of builds) expect(runs.filter((n) => n === build.number), `runs of build ${build.number}`).toHaveLength(1);
    for (const build of builds) {
      const log = await storedLog(build.number);
      const text = log.map((line) => line.out).join('');
      for (let i = 1; i <= LINES; i++) expect(text).toContain(`line ${i}\n`);
      expect(log.map((line) => line.pos)).toEqual(log.map((_, i) => i));
    }
  }
  const storedLog = (number: number, stage = 1) => cluster.api<Line[]>('GET', `/api/repos/${SLUG}/builds/${number}/logs/${stage}/1`);

  /** A build of `exec sleep 600`, running, with the pid of its sleep. */
  async function sleeper(): Promise<{ build: Build; pid: number }> {
    const [build] = await create(1, 'sleep');
    const pid = await until(async () => Number((await readFile(join(dir, `sleep-${build.number}.pid`), 'utf8').catch(() => '')).trim()) || undefined, 20_000);
    return { build, pid };
  }

  /** Cancels through the load balancer; the build is killed and its process gone within `withinMs`. */
  async function expectCancelled(target: { build: Build; pid: number }, withinMs: number): Promise<number> {
    const sent = Date.now();
    const cancelled = await cluster.api<Build>('DELETE', `/api/repos/${SLUG}/builds/${target.build.number}`);
    expect(cancelled.status).toBe('killed');
    await until(async () => !isRunning(target.pid), withinMs, 20);
    return Date.now() - sent;
  }

  /** Every server answers a database read again: the time it took. */
  async function everyServerAnswers(number: number, timeoutMs = 30_000): Promise<number> {
    const started = Date.now();
    await until(async () => (await Promise.all(cluster.servers.map((server) => get(number, server.url).then(() => true, () => false)))).every(Boolean), timeoutMs, 20);
    return Date.now() - started;
  }

  it('rides out PostgreSQL restarted with a fast and then an immediate shutdown while 20 builds run', async () => {
    const target = await sleeper();
    const builds = await create(20);
    await until(async () => (await running(builds)) >= 5, 30_000, 50);
    for (const mode of ['fast', 'immediate'] as const) {
      const stopped = Date.now();
      await stopPostgres(postgres.dir, mode);
      await startPostgres(postgres.dir);
      const down = Date.now() - stopped;
      const recovered = await everyServerAnswers(builds[0].number);
      console.log(`drill postgres-restart-${mode}: recovered in ${recovered} ms after the database was back (database down ${down} ms)`);
    }
    // A watch held through both restarts still carries the cancel.
    const cancelMs = await expectCancelled(target, 5_000);
    console.log(`drill postgres-restart: cancel after the restarts reached the runner in ${cancelMs} ms`);
    await expectIntact(builds);
  });

  it('keeps builds, runner polls and log viewers through an HAProxy seamless reload and a crash-restart', async () => {
    const target = await sleeper();
    const logUrl = (build: Build) => `${cluster.url}/api/stream/${SLUG}/${build.number}/1/1`;
    const streaming = (viewers: LogViewer[]) => until(async () => viewers.every((viewer) => viewer.seen.lines.length > 0), 30_000, 20);

    // Seamless reload while runners long-poll, watch and stream logs, and a client opens a new connection
    // every few milliseconds: not one connection refused, and the old process leaves once it has finished
    // the requests it held.
    const builds = await create(6);
    await until(async () => (await running(builds)) >= 4, 30_000, 50);
    const viewers = builds.map((build) => followLog(logUrl(build), 90_000));
    await streaming(viewers);
    const probe = probeConnections(cluster.url);
    const oldPid = cluster.haproxy.pid;
    const reloadStarted = Date.now();
    await cluster.haproxy.reload();
    const reloadMs = Date.now() - reloadStarted;
    await until(async () => probe.answeredSince(reloadStarted + reloadMs) >= 20, 10_000, 10);
    const reload = await probe.stop();
    expect(cluster.haproxy.pid).not.toBe(oldPid);
    expect(reload.failed, 'connections refused or cut during the reload').toBe(0);
    console.log(
      `drill haproxy-reload: recovered in ${reload.longestGapMs} ms (longest wait between two answers; ${reload.answered} new connections ` +
        `through the ${reloadMs} ms reload, none refused)`,
    );
    await until(async () => !isRunning(oldPid), 60_000, 100);

    // Crash and restart on the same port while two more builds run and are viewed.
    const during = await create(2);
    await until(async () => (await running(during)) >= 2, 30_000, 50);
    const cut = during.map((build) => followLog(logUrl(build), 90_000));
    await streaming(cut);
    const crashed = Date.now();
    await cluster.haproxy.crashAndRestart();
    await lbAnswers(cluster.url);
    console.log(`drill haproxy-restart: recovered in ${Date.now() - crashed} ms (kill -9, start on the same port, first request answered)`);

    // Runners whose polls and watches the crash cut take new work and still hear a cancel.
    const cancelMs = await expectCancelled(target, 10_000);
    console.log(`drill haproxy-restart: cancel after the restart reached the runner in ${cancelMs} ms`);
    const after = await create(2);
    await expectIntact([...builds, ...during, ...after]);
    const seen = await Promise.all([...viewers, ...cut].map((viewer) => viewer.done));
    const missed = [0, 0];
    for (const [i, view] of seen.entries()) {
      const build = [...builds, ...during][i];
      const stored = await storedLog(build.number);
      expect(view.duplicates, `duplicate lines seen by the viewer of build ${build.number}`).toBe(0);
      // In order, each line as stored.
      expect(view.lines.map((line) => line.pos)).toEqual([...view.lines.map((line) => line.pos)].sort((a, b) => a - b));
      for (const line of view.lines) expect(line, `line ${line.pos} seen by the viewer of build ${build.number}`).toEqual(stored[line.pos]);
      // A batch of lines is sent once (as runner-go does): one sent while HAProxy was down, or on a
      // keep-alive connection the old process closed at the reload, reached no server. The stored log has
      // those lines from the upload; a live view that had passed them does not, a view opened again does.
      missed[i < viewers.length ? 0 : 1] += stored.length - view.lines.length;
      if (view.lines.length < stored.length) {
        expect((await followLog(logUrl(build), 10_000).done).lines, `the view of build ${build.number} opened again`).toEqual(stored);
      }
    }
    // The viewers the crash cut off reconnected and resumed.
    for (const view of seen.slice(viewers.length)) expect(view.reconnects).toBeGreaterThan(0);
    console.log(
      `drill haproxy: live views missed ${missed[0]} lines across the reload and ${missed[1]} across the crash ` +
        '(batches that reached no server; in the stored log, and in a view opened again)',
    );
    console.log(`drill haproxy: ${seen.reduce((n, v) => n + v.reconnects, 0)} viewer reconnects, every viewer got its lines once, in order`);
  });

  it(`hands ${RACE_BUILDS * RACE_STAGES_PER_BUILD} queued stages to ${RACE_RUNNERS} racing runners on three servers, each accepted exactly once`, async () => {
    const builds: Build[] = [];
    for (let i = 0; i < RACE_BUILDS; i += 5) builds.push(...(await create(5, 'race')));
    const wanted = new Set<number>();
    for (const build of builds) for (const stage of (await get(build.number)).stages ?? []) wanted.add(stage.id);
    expect(wanted.size).toBe(RACE_BUILDS * RACE_STAGES_PER_BUILD);

    const race = new RacingRunners(RACE_RUNNERS, cluster.servers.map((server) => server.url));
    const started = Date.now();
    race.start();
    try {
      await until(async () => race.finished >= wanted.size || race.errors.length > 0, 150_000, 50);
    } finally {
      await race.stop();
    }
    const elapsed = Date.now() - started;
    expect(race.errors).toEqual([]);
    const twice = [...race.accepts].filter(([, count]) => count > 1);
    expect(twice, 'stages accepted more than once').toEqual([]);
    expect([...wanted].filter((id) => !race.accepts.has(id)), 'stages never accepted').toEqual([]);
    expect(race.accepts.size).toBe(wanted.size);
    // Every offer was accepted twice at once: one accept won, the other got 409.
    expect(race.conflicts).toBe(race.offers);
    const done = await Promise.all(builds.map((build) => cluster.finished(SLUG, build.number, 30_000)));
    expect(done.filter((build) => build.status !== 'success')).toEqual([]);
    // Every stage's stored log: the three lines its runner sent.
    const logs: Array<[number, number, Line[]]> = [];
    const queue = builds.flatMap((build) => Array.from({ length: RACE_STAGES_PER_BUILD }, (_, i) => [build.number, i + 1] as const));
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) logs.push([next[0], next[1], await storedLog(next[0], next[1])]);
      }),
    );
    for (const [number, stage, log] of logs) expect(log.map((line) => line.out), `log of ${number}/${stage}`).toEqual(['one\n', 'two\n', 'three\n']);
    console.log(
      `drill runner-race: ${wanted.size} stages done in ${elapsed} ms (taken and finished by ${RACE_RUNNERS} runners on 3 servers, ` +
        `each accepted once, none left; ${race.offers} offers, each accepted twice at once: ${race.conflicts} accepts answered 409)`,
    );
  });

  it.skipIf(NO_NETNS !== undefined)('resolves the stage of a runner cut off the network within the lease, refuses its late updates, and gives it new work', async () => {
    const net = await NetworkNamespace.create(`hgd${process.pid % 100_000}`);
    try {
      const server = cluster.servers[1];
      const runner = net.spawnRunner({
        DRONE_RPC_PROTO: 'http',
        DRONE_RPC_HOST: `${net.hostAddress}:${server.port}`,
        DRONE_RPC_SECRET: CLUSTER_RPC_SECRET,
        DRONE_RUNNER_NAME: 'runner-cut-off',
        DRONE_RUNNER_LABELS: 'net:cut',
        DRONE_RUNNER_CAPACITY: '2',
        DRONE_RUNNER_ROOT: cluster.dir,
        HANGAR_RUNNER_MODE: 'hangar',
      });
      await runner.waitFor(/exec runner polling/);
      const [build] = await create(1, 'netcut');
      await until(async () => {
        const stored = await storedLog(build.number).catch(() => []);
        return stored.some((line) => line.out.includes('before the cut'));
      }, 20_000, 50);
      expect((await get(build.number)).stages?.[0]?.machine).toBe('runner-cut-off');

      await net.linkDown();
      const cut = Date.now();
      const resolved = await cluster.finished(SLUG, build.number, LEASE_MS + WATCH_HOLD_MS + 10_000);
      const resolvedMs = Date.now() - cut;
      expect(resolved.status).toBe('error');
      expect(resolved.stages?.[0]?.error).toMatch(/runner lost/);
      // No reset reaches the server: the watch the runner held when the link went down keeps renewing the
      // stage until its hold ends, then the lease runs out.
      expect(resolvedMs).toBeLessThan(LEASE_MS + WATCH_HOLD_MS + 1_500);
      console.log(`drill runner-cut-off: stage resolved in ${resolvedMs} ms after the link went down (lease ${LEASE_MS} ms, watch hold ${WATCH_HOLD_MS} ms)`);
      // The link stays down for longer than the lease (the drill's premise, not a synchronisation), and
      // returns while the runner's step still runs.
      await until(async () => Date.now() - cut > LEASE_MS + 500, LEASE_MS, 50);
      await net.linkUp();
      const back = Date.now();

      // The step ends after the link returned: its late updates are refused (409), the stage stays as the
      // server ended it, and the runner moves on.
      await runner.waitFor(/stage already ended on the server/, 45_000);
      const after = await get(build.number);
      expect(after.status).toBe('error');
      expect(after.stages?.[0]?.status).toBe('error');
      expect((await storedLog(build.number)).map((line) => line.out)).toContain('before the cut\n');
      const [next] = await create(1, 'netquick');
      const done = await cluster.finished(SLUG, next.number, 45_000);
      expect(done.status).toBe('success');
      expect(done.stages?.[0]?.machine).toBe('runner-cut-off');
      expect((await storedLog(next.number)).map((line) => line.out)).toContain('new work\n');
      console.log(`drill runner-cut-off: recovered in ${Date.now() - back} ms (link up to the runner's next stage done)`);
      const runs = await runsOf(dir);
      for (const b of [build, next]) expect(runs.filter((n) => n === b.number)).toHaveLength(1);
      await runner.kill();
    } finally {
      await net.destroy();
    }
  });

  it('keeps dispatching and loses nothing when the Redis master is killed and Sentinel fails over', async () => {
    const before = await create(8);
    await until(async () => (await running(before)) >= 3, 30_000, 50);
    const target = await sleeper();
    await killRedis(sentinel.master.dir);
    const killed = Date.now();
    // Created while the master is gone: the wake-ups are lost, the database sweep dispatches them.
    const during = await create(6);
    await until(async () => (await sentinelMasterPort(sentinel)) === sentinel.replica.port, 30_000, 50);
    const failover = Date.now() - killed;
    // Recovered: a line written by a build created after the failover reaches the new master's live stream.
    const newMaster = new Redis({ port: sentinel.replica.port, host: '127.0.0.1', lazyConnect: true });
    newMaster.on('error', () => undefined);
    try {
      const [probe] = await create(1);
      await until(async () => {
        const stepId = (await get(probe.number)).stages?.[0]?.steps?.[0]?.id;
        return stepId !== undefined && (await newMaster.xlen(`drone-log-${stepId}`)) > 0;
      }, 30_000, 20);
      console.log(`drill redis-sentinel-failover: recovered in ${Date.now() - killed} ms (failover ${failover} ms; live log lines on the new master)`);
      const cancelMs = await expectCancelled(target, 5_000);
      console.log(`drill redis-sentinel-failover: cancel after the failover reached the runner in ${cancelMs} ms`);
      await expectIntact([...before, ...during, probe]);
    } finally {
      newMaster.disconnect();
    }
  });
});

async function runsOf(dir: string): Promise<number[]> {
  return (await readFile(join(dir, 'runs'), 'utf8')).trim().split('\n').map(Number);
}

/** The first request through the load balancer that gets an answer: how long after the call it came. */
async function lbAnswers(url: string): Promise<number> {
  const started = Date.now();
  await until(async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok, 30_000, 10);
  return Date.now() - started;
}

interface FollowedLog {
  lines: Line[];
  reconnects: number;
  duplicates: number;
}

interface LogViewer {
  /** What the viewer has seen so far. */
  seen: FollowedLog;
  /** Resolves at `eof`. */
  done: Promise<FollowedLog>;
}

/**
 * A browser's view of a step's live log: reads the SSE stream until `eof`, reconnecting (with
 * `Last-Event-ID`) whenever the stream breaks; counts reconnects and lines seen twice.
 */
function followLog(url: string, timeoutMs: number): LogViewer {
  const seen: FollowedLog = { lines: [], reconnects: 0, duplicates: 0 };
  return { seen, done: follow(url, timeoutMs, seen) };
}

async function follow(url: string, timeoutMs: number, result: FollowedLog): Promise<FollowedLog> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    if (attempt > 0) {
      result.reconnects++;
      await new Promise((resolve) => setTimeout(resolve, 100)); // a browser's EventSource retry delay, shortened
    }
    try {
      const response = await fetch(url, {
        headers: { Authorization: `Bearer ${CLUSTER_TOKEN}`, ...(last >= 0 ? { 'Last-Event-ID': String(last) } : {}) },
        signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
      });
      if (response.status !== 200 || !response.body) {
        await response.body?.cancel();
        continue;
      }
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      let buffer = '';
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        buffer += decoder.decode(read.value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (event.includes('event: error')) return result;
          const data = event.split('\n').find((line) => line.startsWith('data: '));
          if (!data) continue;
          const line = JSON.parse(data.slice(6)) as Line;
          if (line.pos <= last) result.duplicates++;
          else {
            result.lines.push(line);
            last = line.pos;
          }
        }
      }
    } catch {
      // The connection broke (HAProxy went away): reconnect.
    }
  }
  throw new Error(`the log at ${url} did not end within ${timeoutMs} ms (${result.lines.length} lines)`);
}

/**
 * A client opening a new connection to the load balancer every few milliseconds (GET /healthz, no
 * keep-alive): how many were answered, how many failed, and the longest wait between two answers.
 */
function probeConnections(url: string): { answeredSince(at: number): number; stop(): Promise<{ answered: number; failed: number; longestGapMs: number }> } {
  const answers: number[] = [];
  let failed = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const ok = await new Promise<boolean>((resolve) => {
        const request = http.get(`${url}/healthz`, { agent: false, timeout: 5_000 }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode === 200));
          response.on('error', () => resolve(false));
        });
        request.on('timeout', () => request.destroy(new Error('timeout')));
        request.on('error', () => resolve(false));
      });
      if (ok) answers.push(Date.now());
      else failed++;
      await new Promise((resolve) => setTimeout(resolve, 5)); // pacing, not synchronisation
    }
  })();
  return {
    answeredSince: (at) => answers.filter((time) => time >= at).length,
    async stop() {
      stopped = true;
      await loop;
      const longestGapMs = answers.slice(1).reduce((longest, time, i) => Math.max(longest, time - answers[i]), 0);
      return { answered: answers.length, failed, longestGapMs };
    },
  };
}

const SIM_FILTER: Filter = { kind: 'pipeline', type: 'exec', os: 'linux', arch: 'amd64', variant: '', kernel: '', labels: { pool: 'sim' } };

/**
 * Lightweight runners through the real RPC client (Hangar's retry policy), spread over the servers: each
 * requests a stage, accepts it, reports it running with one step, sends three log lines (a batch and the
 * upload) and reports it successful. To make the accepts race, every offer is accepted twice at once: by
 * the runner, and by a rival through the next server (a duplicated request, a runner retrying through
 * another path); exactly one may win. Counts every successful accept per stage and every 409.
 */
class RacingRunners {
  readonly accepts = new Map<number, number>();
  readonly errors: string[] = [];
  conflicts = 0;
  offers = 0;
  finished = 0;
  private readonly clients: RpcClient[];
  private readonly rivals: RpcClient[];
  private readonly abort = new AbortController();
  private loops: Array<Promise<void>> = [];

  constructor(count: number, servers: string[]) {
    setMaxListeners(0, this.abort.signal);
    const client = (server: string) => new RpcClient({ address: server, secret: CLUSTER_RPC_SECRET, retry: HANGAR_RETRY });
    this.clients = Array.from({ length: count }, (_, i) => client(servers[i % servers.length]));
    this.rivals = Array.from({ length: count }, (_, i) => client(servers[(i + 1) % servers.length]));
  }

  start(): void {
    this.loops = this.clients.map((client, i) => this.loop(client, this.rivals[i], `racer-${i}`));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
    for (const client of [...this.clients, ...this.rivals]) client.close();
  }

  private async loop(client: RpcClient, rival: RpcClient, machine: string): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        const offered = await client.request(SIM_FILTER, signal);
        if (!offered) return;
        this.offers++;
        const attempts = await Promise.allSettled([client.accept(offered.id, machine, signal), rival.accept(offered.id, `${machine}-rival`, signal)]);
        let won: [RpcClient, Stage] | undefined;
        for (const [i, attempt] of attempts.entries()) {
          if (attempt.status === 'fulfilled') {
            this.accepts.set(attempt.value.id, (this.accepts.get(attempt.value.id) ?? 0) + 1);
            won = [i === 0 ? client : rival, attempt.value];
          } else if (attempt.reason instanceof OptimisticLockError) {
            this.conflicts++;
          } else {
            throw attempt.reason;
          }
        }
        if (!won) continue;
        const [holder, stage] = won;
        await holder.details(stage.id, signal);
        const running = await reportRunning(holder, stage, ['noop'], signal);
        const step = running.steps?.[0];
        if (!step) throw new Error(`stage ${stage.id}: no step in the running answer`);
        const lines: Line[] = ['one\n', 'two\n', 'three\n'].map((out, pos) => ({ pos, out, time: 0 }));
        await holder.batch(step.id, lines);
        await holder.upload(step.id, lines, signal);
        await reportSuccess(holder, running, signal);
        this.finished++;
      } catch (err) {
        if (signal.aborted) return;
        this.errors.push(`${machine}: ${(err as Error).message}`);
      }
    }
  }
}

interface NamespacedProcess {
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  kill(): Promise<void>;
}

/**
 * A network namespace joined to the host by a veth pair (host side 10.213.0.1/30, namespace side
 * 10.213.0.2/30): a runner started inside reaches the servers only through that link, which a drill
 * takes down and brings back.
 */
class NetworkNamespace {
  readonly hostAddress = '10.213.0.1';
  private readonly children: Array<ReturnType<typeof spawn>> = [];

  private constructor(
    private readonly name: string,
    private readonly hostLink: string,
  ) {}

  static async create(name: string): Promise<NetworkNamespace> {
    const hostLink = `${name}h`;
    const nsLink = `${name}n`;
    await run('ip', ['netns', 'del', name]).catch(() => undefined);
    await run('ip', ['link', 'del', hostLink]).catch(() => undefined);
    const steps = [
      ['netns', 'add', name],
      ['link', 'add', hostLink, 'type', 'veth', 'peer', 'name', nsLink],
      ['link', 'set', nsLink, 'netns', name],
      ['addr', 'add', '10.213.0.1/30', 'dev', hostLink],
      ['link', 'set', hostLink, 'up'],
      ['netns', 'exec', name, 'ip', 'addr', 'add', '10.213.0.2/30', 'dev', nsLink],
      ['netns', 'exec', name, 'ip', 'link', 'set', nsLink, 'up'],
      ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up'],
    ];
    const namespace = new NetworkNamespace(name, hostLink);
    try {
      for (const step of steps) await run('ip', step);
    } catch (err) {
      await namespace.destroy();
      throw new Error(`cannot set up the network namespace: ${(err as Error).message}`);
    }
    return namespace;
  }

  /** `hangar runner exec` inside the namespace. */
  spawnRunner(env: Record<string, string>): NamespacedProcess {
    const child = spawn('ip', ['netns', 'exec', this.name, process.execPath, HANGAR, 'runner', 'exec', '/dev/null'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', HANGAR_TEST_RUN_ROOT: process.env.HANGAR_TEST_RUN_ROOT ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return {
      async waitFor(pattern, timeoutMs = 30_000) {
        await until(async () => {
          if (child.exitCode !== null) throw new Error(`runner exited (${child.exitCode}):\n${output}`);
          return pattern.test(output);
        }, timeoutMs);
      },
      async kill() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      },
    };
  }

  linkDown(): Promise<unknown> {
    return run('ip', ['link', 'set', this.hostLink, 'down']);
  }

  linkUp(): Promise<unknown> {
    return run('ip', ['link', 'set', this.hostLink, 'up']);
  }

  async destroy(): Promise<void> {
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await run('ip', ['link', 'del', this.hostLink]).catch(() => undefined);
    await run('ip', ['netns', 'del', this.name]).catch(() => undefined);
  }
}
