// Fault drill of issue 14: the disk under the database fills up while builds run — a single server's SQLite
// file, and PostgreSQL's data directory. The database is also the log store (stored logs and live-log
// chunks are rows of it). Writes must fail with a clear error (an HTTP error with {"message"} and a server
// log line, no crash), nothing acknowledged may be lost, and the server recovers when space returns. Each
// disk is a small tmpfs mounted for the drill (root with CAP_SYS_ADMIN); where mounting is impossible the
// drill says so and is skipped.

import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, writeSync } from 'node:fs';
import { mkdir, readFile, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Build, Line } from '../../src/core/types.js';
import { CLUSTER_RPC_SECRET, CLUSTER_TOKEN, jsonApi } from '../support/cluster.js';
import { createTestRepo } from '../support/git-repo.js';
import { type PostgresCluster, createTestDatabase, startPostgres, stopPostgres } from '../support/postgres.js';
import { type HangarProcess, type ServerProcess, startRunnerProcess, startServerProcess } from '../support/processes.js';
import { shmTempDir } from '../support/shm.js';
import { until } from '../support/wait.js';

const SLUG = 'octocat/disk';
const LINES = 40;
/** SQLite's disk: the database grows from nothing. PostgreSQL's: its empty cluster takes about 40 MB. */
const DISK_SIZES = { sqlite: '4m', postgres: '96m' } as const;

const PIPELINE = (dir: string) => `kind: pipeline
type: exec
name: work
clone:
  disable: true
steps:
- name: count
  commands:
  - echo "$DRONE_BUILD_NUMBER" >> ${dir}/runs
  - for i in $(seq 1 ${LINES}); do echo "line $i of a log long enough to need new pages when the disk is full"; sleep 0.05; done
`;

/** Why no tmpfs can be mounted here, or undefined when one can (tried once, at once unmounted). */
function mountImpossible(): string | undefined {
  try {
    unmount(mountSmallDisk('1m'));
    return undefined;
  } catch (err) {
    return `mount -t tmpfs failed: ${((err as { stderr?: Buffer }).stderr ?? '').toString().trim() || (err as Error).message}`;
  }
}

/** A small tmpfs of its own. */
function mountSmallDisk(size: string): string {
  const path = mkdtempSync(join(tmpdir(), 'hangar-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path], { stdio: 'pipe' });
  } catch (err) {
    rmdirSync(path);
    throw err;
  }
  return path;
}

function unmount(path: string): void {
  execFileSync('umount', ['-l', path], { stdio: 'pipe' });
  rmdirSync(path);
}

const impossible = mountImpossible();
if (impossible) console.log(`drill disk-full: skipped, ${impossible}`);

for (const kind of ['sqlite', 'postgres'] as const) {
  const title = kind === 'sqlite' ? "the disk under a single server's SQLite database (and log store) fills up" : "the disk under PostgreSQL's data directory (the database and log store) fills up";

  describe.skipIf(impossible !== undefined)(title, () => {
    let mount = '';
    let dir: string;
    let postgres: PostgresCluster | undefined;
    let server: ServerProcess;
    let runner: HangarProcess;
    let api: ReturnType<typeof jsonApi>;

    beforeAll(async () => {
      mount = mountSmallDisk(DISK_SIZES[kind]);
      dir = await shmTempDir('hangar-disk-full-');
      await mkdir(join(dir, 'runner'));
      let database: Record<string, string>;
      if (kind === 'sqlite') {
        database = { DRONE_DATABASE_DRIVER: 'sqlite3', DRONE_DATABASE_DATASOURCE: join(mount, 'hangar.sqlite') };
      } else {
        postgres = await startPostgres(mount);
        // A real database keeps what it acknowledged (scripts/postgres-start.sh turns synchronous_commit off).
        const admin = new pg.Client({ connectionString: postgres.url });
        await admin.connect();
        await admin.query('ALTER ROLE postgres SET synchronous_commit = on').finally(() => admin.end());
        database = { DRONE_DATABASE_DRIVER: 'postgres', DRONE_DATABASE_DATASOURCE: await createTestDatabase(postgres.url, 'hangar_disk') };
      }
      server = await startServerProcess({
        ...database,
        DRONE_RPC_SECRET: CLUSTER_RPC_SECRET,
        DRONE_USER_CREATE: `username:admin,admin:true,token:${CLUSTER_TOKEN}`,
        DRONE_CRON_DISABLED: 'true',
        DRONE_LOGS_DEBUG: 'true',
        HANGAR_GIT_CACHE: join(dir, 'git-cache'),
        HANGAR_SWEEP_INTERVAL: '250ms',
        HANGAR_STAGE_POLL_HOLD: '10s',
        HANGAR_WATCH_HOLD: '5s',
      });
      api = jsonApi(server.url, CLUSTER_TOKEN);
      const repo = await createTestRepo(dir);
      await repo.push({ '.drone.yml': PIPELINE(dir) }, 'disk drill');
      await api('POST', `/api/repos/${SLUG}`, { git_http_url: repo.url, default_branch: 'main' });
      runner = await startRunnerProcess(server.url, {
        DRONE_RPC_SECRET: CLUSTER_RPC_SECRET,
        DRONE_RUNNER_CAPACITY: '8',
        DRONE_RUNNER_NAME: 'disk-runner',
        DRONE_RUNNER_ROOT: join(dir, 'runner'),
        HANGAR_RUNNER_MODE: 'hangar',
      });
    });
    afterAll(async () => {
      await runner?.kill('SIGKILL');
      await server?.kill('SIGKILL');
      if (postgres) await stopPostgres(postgres.dir, 'immediate').catch(() => undefined);
      if (mount) unmount(mount);
      mount = '';
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('refuses writes with a clear error while the disk is full, loses nothing acknowledged, and recovers when space returns', async () => {
      const create = async (): Promise<{ build?: Build; status: number; body: string }> => {
        const response = await fetch(`${server.url}/api/repos/${SLUG}/builds?branch=main`, { method: 'POST', headers: { Authorization: `Bearer ${CLUSTER_TOKEN}` } });
        const body = await response.text();
        return { status: response.status, body, build: response.ok ? (JSON.parse(body) as Build) : undefined };
      };
      const acknowledged: Build[] = [];
      for (let i = 0; i < 3; i++) acknowledged.push((await create()).build as Build);
      await until(async () => (await api<Build>('GET', `/api/repos/${SLUG}/builds/${acknowledged[2].number}`)).stages?.[0]?.steps?.[0]?.status === 'running', 30_000, 50);

      // Fill the disk: the database (and its write-ahead log) cannot grow any more.
      const filler = join(mount, 'filler');
      fillUp(filler);
      const filled = Date.now();

      // New builds are refused with a clear error once the database needs space it cannot get; any build
      // answered 2xx before that is acknowledged and must survive.
      let refused: { status: number; body: string } | undefined;
      for (let i = 0; i < 100 && !refused; i++) {
        const attempt = await create();
        if (attempt.build) acknowledged.push(attempt.build);
        else refused = attempt;
      }
      expect(refused, 'no write was refused on a full disk').toBeDefined();
      const refusal = refused as { status: number; body: string };
      const apiErrors = () => server.output().split('\n').filter((line) => line.includes('"api error"')).join('\n').slice(0, 2000);
      expect(refusal.status, `the server's api errors:\n${apiErrors()}`).toBe(507);
      expect(JSON.parse(refusal.body)).toEqual({ message: expect.stringMatching(/disk is full/) });
      console.log(`drill disk-full-${kind}: a build created on the full disk was refused with ${refusal.status} ${refusal.body} (${acknowledged.length} builds acknowledged before)`);
      // The server logged it, and the running builds met the full disk too (a runner call answered 503,
      // which runners retry, or a log chunk write put back for the next flush); it still answers.
      const logged = server.output().length;
      await until(async () => /database or disk is full|SQLITE_FULL|No space left on device|53100/.test(server.output()), 5_000, 50);
      await until(async () => /rpc: answering 503|log chunk write failed/.test(server.output().slice(logged)), 10_000, 50);
      expect(server.child.exitCode).toBeNull();
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await api<Build>('GET', `/api/repos/${SLUG}/builds/${acknowledged[0].number}`)).number).toBe(acknowledged[0].number);

      // Space returns.
      await unlink(filler);
      const freed = Date.now();
      const after = await until(async () => (await create()).build, 30_000, 50);
      console.log(`drill disk-full-${kind}: recovered in ${Date.now() - freed} ms after space returned (disk full for ${freed - filled} ms)`);
      acknowledged.push(after);

      // Everything acknowledged ran once, succeeded, and kept its whole log.
      const done = await Promise.all(
        acknowledged.map((build) =>
          until(async () => {
            const current = await api<Build>('GET', `/api/repos/${SLUG}/builds/${build.number}`);
            return ['pending', 'running'].includes(current.status) ? undefined : current;
          }, 90_000, 100),
        ),
      );
      for (const build of done.filter((b) => b.status !== 'success')) console.log(`build ${build.number} ${build.status}: ${JSON.stringify(build.stages?.map((s) => [s.status, s.error]))}`);
      expect(done.map((b) => [b.number, b.status])).toEqual(acknowledged.map((b) => [b.number, 'success']));
      const runs = (await readFile(join(dir, 'runs'), 'utf8')).trim().split('\n').map(Number);
      for (const build of acknowledged) expect(runs.filter((n) => n === build.number), `runs of build ${build.number}`).toHaveLength(1);
      for (const build of acknowledged) {
        const log = await api<Line[]>('GET', `/api/repos/${SLUG}/builds/${build.number}/logs/1/1`);
        const text = log.map((line) => line.out).join('');
        for (let i = 1; i <= LINES; i++) expect(text).toContain(`line ${i} of`);
        expect(log.map((line) => line.pos)).toEqual(log.map((_, i) => i));
      }
      expect(server.child.exitCode).toBeNull();
    });
  });
}

/** Writes `path` until the file system says ENOSPC. */
function fillUp(path: string): void {
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOSPC') throw err;
    // The last partial block: a few bytes may still fit.
    const byte = Buffer.alloc(1);
    try {
      for (;;) writeSync(fd, byte);
    } catch (inner) {
      if ((inner as { code?: string }).code !== 'ENOSPC') throw inner;
    }
  } finally {
    closeSync(fd);
  }
}
