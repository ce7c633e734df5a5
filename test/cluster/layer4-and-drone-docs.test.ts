// HAProxy in layer 4, and Drone's HA documentation as written: its two haproxy.cfg files (ports remapped,
// nothing else changed) in front of servers configured with its variables. A smoke build through each,
// and a server killed with -9 while builds run behind the layer 4 configuration of deploy/.

import { mkdtemp, rm } from 'node:fs/promises';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Build } from '../../src/core/types.js';
import { type Cluster, startCluster } from '../support/cluster.js';
import { createTestRepo } from '../support/git-repo.js';
import { DRONE_DOCS_CONFIGS } from '../support/haproxy.js';
import { until } from '../support/wait.js';

const SLUG = 'octocat/layer4';
const PIPELINE = `kind: pipeline
type: exec
name: work
clone:
  disable: true
steps:
- name: count
  commands:
  - for i in $(seq 1 10); do echo "line $i"; sleep 0.1; done
`;

describe('layer 4 and the documented configurations', () => {
  let cluster: Cluster | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await cluster?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    cluster = undefined;
    dir = undefined;
  });

  async function prepare(options: Parameters<typeof startCluster>[1]): Promise<Cluster> {
    cluster = await startCluster(inject('postgresUrl'), options);
    dir = await mkdtemp('/dev/shm/hangar-l4-');
    const repo = await createTestRepo(dir);
    await repo.push({ '.drone.yml': PIPELINE }, 'work');
    await cluster.api('POST', `/api/repos/${SLUG}`, { git_http_url: repo.url, default_branch: 'main' });
    await cluster.startRunner({ DRONE_RUNNER_CAPACITY: '8' });
    return cluster;
  }

  const create = (c: Cluster, count: number) => Promise.all(Array.from({ length: count }, () => c.api<Build>('POST', `/api/repos/${SLUG}/builds?branch=main`)));

  it("builds through Drone's documented layer 4 configuration as written", async () => {
    const c = await prepare({ servers: 2, haproxyTemplate: DRONE_DOCS_CONFIGS.l4 });
    const builds = await create(c, 4);
    for (const build of builds) expect((await c.finished(SLUG, build.number)).status).toBe('success');
  });

  it("builds through Drone's documented layer 7 configuration as written, answered by both servers", async () => {
    const c = await prepare({ servers: 2, haproxyTemplate: DRONE_DOCS_CONFIGS.l7 });
    const answeredBy = new Set<string>();
    for (let i = 0; i < 4; i++) answeredBy.add((await fetch(`${c.url}/healthz`)).headers.get('x-app-server') ?? '');
    expect([...answeredBy].sort()).toEqual(['drone_servers/server1', 'drone_servers/server2']);
    const builds = await create(c, 4);
    for (const build of builds) expect((await c.finished(SLUG, build.number)).status).toBe('success');
  });

  it('loses no build when a server is killed with -9 behind layer 4', async () => {
    const c = await prepare({ servers: 2, mode: 'l4' });
    const builds = await create(c, 10);
    await until(async () => (await c.api<Build[]>('GET', `/api/repos/${SLUG}/builds`)).some((b) => b.status === 'running'), 20_000, 50);
    await c.servers[1].kill('SIGKILL');
    const done = await Promise.all(builds.map((build) => c.finished(SLUG, build.number, 90_000)));
    expect(done.map((build) => build.status)).toEqual(builds.map(() => 'success'));
  });
});
