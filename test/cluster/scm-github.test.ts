// A two-server cluster (PostgreSQL, Redis, HAProxy) connected to a GitHub stand-in with Drone's DRONE_GITHUB_*
// variables: a browser signs in through the load balancer (the OAuth state set by one server is checked by
// whichever server the callback reaches, the session works on both), and the same webhook delivery sent to
// both servers at once, many times, builds once — and that build runs and reports its commit status.

import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Build, Repo, User } from '../../src/core/types.js';
import { type Cluster, startCluster } from '../support/cluster.js';
import { Browser } from '../support/scm/browser.js';
import { GitHubStandIn } from '../support/scm/github.js';
import { post } from '../support/scm/standin.js';
import type { StandInRepo, StandInUser } from '../support/scm/standin.js';
import { sessionApi } from '../support/scm/hangar.js';
import { until } from '../support/wait.js';

const SLUG = 'octocat/clustered';
const PIPELINE = `kind: pipeline
type: exec
name: default
steps:
- name: show
  commands:
  - cat README.md
`;

describe('GitHub on a cluster', () => {
  let dir: string;
  let github: GitHubStandIn;
  let cluster: Cluster;
  let octocat: StandInUser;
  let repo: StandInRepo;
  const browser = new Browser();

  beforeAll(async () => {
    dir = await mkdtemp('/dev/shm/hangar-scm-cluster-');
    github = new GitHubStandIn(join(dir, 'github'), { clientId: 'cluster-client', clientSecret: 'cluster-secret', callbackUrl: '' });
    await github.start();
    octocat = github.addUser('octocat');
    github.loginAs = 'octocat';
    repo = await github.addRepo(SLUG, { private: true, files: { '.drone.yml': PIPELINE, 'README.md': 'clustered readme\n' }, collaborators: { octocat: { read: true, write: true, admin: true } } });
    cluster = await startCluster(inject('postgresUrl'), {
      servers: 2,
      env: { DRONE_GITHUB_CLIENT_ID: 'cluster-client', DRONE_GITHUB_CLIENT_SECRET: 'cluster-secret', DRONE_GITHUB_SERVER: github.server },
    });
    github.options.callbackUrl = `${cluster.url}/login`;
    await cluster.startRunner();
  });
  afterAll(async () => {
    await cluster?.close();
    await github?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('signs in through the load balancer, and the session is good on every server', async () => {
    const hops = await browser.visit(`${cluster.url}/login`);
    expect(hops.at(-1)?.url).toBe(`${cluster.url}/`);
    const session = browser.cookie(new URL(cluster.url).host, '_session_');
    expect(session).toBeDefined();
    for (const server of cluster.servers) {
      const direct = new Browser();
      direct.setCookie(new URL(server.url).host, '_session_', session ?? '');
      expect((await sessionApi<User>(direct, server.url, 'GET', '/api/user')).json.login).toBe('octocat');
    }
  });

  it('builds one delivery once, sent to both servers ten times at once', async () => {
    expect((await sessionApi<Repo[]>(browser, cluster.url, 'POST', '/api/user/repos')).json.map((r) => r.slug)).toEqual([SLUG]);
    expect((await sessionApi<Repo>(browser, cluster.url, 'POST', `/api/repos/${SLUG}`)).json.active).toBe(true);
    const [hook] = repo.hooks;
    const { after } = await github.commit(repo, { 'change.txt': 'one\n' }, 'one change');
    const payload = await github.pushPayload(repo, 'refs/heads/main', '0'.repeat(40), after, octocat);
    const delivery = github.signed(hook, { event: 'push', payload, delivery: 'cluster-delivery-1' });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(`${cluster.servers[i % 2].url}/hook`, delivery.headers, delivery.body)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    const numbers = new Set(answers.map((answer) => (JSON.parse(answer.body) as Build).number));
    expect(numbers.size).toBe(1);
    const builds = await cluster.api<Build[]>('GET', `/api/repos/${SLUG}/builds`);
    expect(builds.filter((build) => build.after === after)).toHaveLength(1);

    const [number] = numbers;
    expect((await cluster.finished(SLUG, number)).status).toBe('success');
    await until(async () => repo.statuses.some((status) => status.sha === after && status.body.state === 'success'), 15_000);
    expect(repo.statuses.filter((status) => status.sha === after && status.body.state === 'success')).toHaveLength(1);
  });
});
