// Fault drills on a cluster of three servers behind HAProxy in layer 7, with runners connected through
// HAProxy: a server killed with -9 mid-run, Redis killed and restarted, a rolling restart with SIGTERM,
// one webhook delivered to two servers, one cron due while three servers run.

import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Build, Line } from '../../src/core/types.js';
import { CLUSTER_TOKEN, type Cluster, startCluster } from '../support/cluster.js';
import { type TestRepo, createTestRepo } from '../support/git-repo.js';
import { until } from '../support/wait.js';

const SLUG = 'octocat/drills';
const LINES = 20;

const pipeline = (runsFile: string) => `kind: pipeline
type: exec
name: work
clone:
  disable: true
steps:
- name: count
  commands:
  - echo "$DRONE_BUILD_NUMBER" >> ${runsFile}
  - for i in $(seq 1 ${LINES}); do echo "line $i"; sleep 0.1; done
`;

describe('fault drills on a three-server cluster (layer 7)', () => {
  let cluster: Cluster;
  let dir: string;
  let repo: TestRepo;
  let runsFile: string;
  let head: string;

  beforeAll(async () => {
    cluster = await startCluster(inject('postgresUrl'), { servers: 3, mode: 'l7', env: { DRONE_CRON_DISABLED: 'false', DRONE_CRON_INTERVAL: '1s' } });
    dir = await mkdtemp('/dev/shm/hangar-drills-');
    runsFile = join(dir, 'runs');
    repo = await createTestRepo(dir);
    head = (await repo.push({ '.drone.yml': pipeline(runsFile) }, 'drills')).sha;
    await cluster.api('POST', `/api/repos/${SLUG}`, { git_http_url: repo.url, default_branch: 'main' });
    await cluster.startRunner({ DRONE_RUNNER_NAME: 'runner-1', DRONE_RUNNER_CAPACITY: '10' });
    await cluster.startRunner({ DRONE_RUNNER_NAME: 'runner-2', DRONE_RUNNER_CAPACITY: '10' });
  });
  afterAll(async () => {
    await cluster?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const create = (count: number) => Promise.all(Array.from({ length: count }, () => cluster.api<Build>('POST', `/api/repos/${SLUG}/builds?branch=main`)));

  /** Every build succeeded, ran exactly once, and kept every line of its log. */
  async function expectIntact(builds: Build[]): Promise<void> {
    const done = await Promise.all(builds.map((build) => cluster.finished(SLUG, build.number, 90_000)));
    expect(done.map((build) => [build.number, build.status])).toEqual(builds.map((build) => [build.number, 'success']));
    const runs = (await readFile(runsFile, 'utf8')).trim().split('\n').map(Number);
    for (const build of builds) expect(runs.filter((n) => n === build.number)).toHaveLength(1);
    for (const build of builds) {
      const log = await cluster.api<Line[]>('GET', `/api/repos/${SLUG}/builds/${build.number}/logs/1/1`);
      const text = log.map((line) => line.out).join('');
      for (let i = 1; i <= LINES; i++) expect(text).toContain(`line ${i}\n`);
      expect(log.map((line) => line.pos)).toEqual(log.map((_, i) => i));
    }
  }

  it('loses and doubles no build when a server is killed with -9 while 20 builds run', async () => {
    const builds = await create(20);
    await until(async () => (await cluster.api<Build[]>('GET', `/api/repos/${SLUG}/builds?per_page=100`)).filter((b) => b.status === 'running').length >= 5, 20_000, 50);
    const victim = cluster.servers[0];
    await victim.kill('SIGKILL');
    await expectIntact(builds);
    await victim.start();
    await cluster.haproxy.waitForServer(victim.name, 'UP', 15_000);
  });

  it('still runs queued builds, keeps complete logs and recovers live views when Redis dies and comes back', async () => {
    const before = await create(3);
    await until(async () => (await cluster.api<Build>('GET', `/api/repos/${SLUG}/builds/${before[0].number}`)).status === 'running', 20_000, 50);
    await cluster.killRedis();
    // Created while Redis is down: the wake-up is lost, the database sweep dispatches them.
    const during = await create(3);
    await expectIntact([...before, ...during]);
    await cluster.restartRedis();
    const after = await create(1);
    await until(async () => (await cluster.api<Build>('GET', `/api/repos/${SLUG}/builds/${after[0].number}`)).stages?.[0]?.steps?.[0]?.status === 'running', 20_000, 50);
    const viewed = await readLog(`${cluster.servers[1].url}/api/stream/${SLUG}/${after[0].number}/1/1`);
    expect(viewed.map((line) => line.out).filter((out) => out.startsWith('line '))).toEqual(Array.from({ length: LINES }, (_, i) => `line ${i + 1}\n`));
    await expectIntact(after);
  });

  it('fails no build during a rolling restart (SIGTERM one server at a time)', async () => {
    const builds = await create(10);
    for (const server of cluster.servers) {
      await server.kill('SIGTERM');
      await server.start();
      await cluster.haproxy.waitForServer(server.name, 'UP', 15_000);
    }
    await expectIntact(builds);
  });

  it('builds one webhook delivered to two servers once', async () => {
    const { secret } = await cluster.api<{ secret: string }>('GET', `/api/repos/${SLUG}/hook`);
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: head,
      repository: { full_name: SLUG },
      head_commit: { id: head, message: 'drills', author: { name: 'A', email: 'a@example.com', username: 'a' } },
      sender: { login: 'a' },
    });
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const send = (server: string) =>
      fetch(`${server}/hook`, {
        method: 'POST',
        headers: { 'X-GitHub-Event': 'push', 'X-GitHub-Delivery': 'one-delivery-two-servers', 'X-Hub-Signature-256': signature, 'Content-Type': 'application/json' },
        body,
      }).then((response) => response.json() as Promise<Build>);
    const [first, second] = await Promise.all([send(cluster.servers[0].url), send(cluster.servers[1].url)]);
    expect(first.number).toBe(second.number);
    const pushes = (await cluster.api<Build[]>('GET', `/api/repos/${SLUG}/builds?per_page=100`)).filter((b) => b.event === 'push');
    expect(pushes).toHaveLength(1);
    await expectIntact([first]);
  });

  it('fires a cron due while three servers run exactly once', async () => {
    const cron = await cluster.api<{ id: number }>('POST', `/api/repos/${SLUG}/cron`, { name: 'yearly', expr: '0 0 0 1 1 *', branch: 'main' });
    // Make it due two seconds from now: every server's scheduler sees it due at the same moment.
    const client = new pg.Client({ connectionString: cluster.databaseUrl });
    await client.connect();
    try {
      await client.query('UPDATE cron SET cron_next = $1 WHERE cron_id = $2', [Math.floor(Date.now() / 1000) + 2, cron.id]);
    } finally {
      await client.end();
    }
    const cronBuilds = async () => (await cluster.api<Build[]>('GET', `/api/repos/${SLUG}/builds?per_page=100`)).filter((b) => b.event === 'cron');
    const fired = await until(async () => ((await cronBuilds()).length > 0 ? cronBuilds() : undefined), 30_000, 100);
    await expectIntact(fired);
    expect(fired).toHaveLength(1);
    // Absence can only be shown over time: every server's scheduler (1 s interval) gets several more
    // chances to fire the same due time again.
    const deadline = Date.now() + 3000;
    await until(async () => Date.now() > deadline, 5000, 250);
    expect(await cronBuilds()).toHaveLength(1);
  });
});

async function readLog(url: string): Promise<Line[]> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${CLUSTER_TOKEN}` } });
  const text = await response.text();
  return text
    .split('\n\n')
    .map((event) => event.split('\n').find((line) => line.startsWith('data: ')))
    .filter((data): data is string => data !== undefined && data !== 'data: eof')
    .map((data) => JSON.parse(data.slice(6)) as Line);
}
