// Gitea, GitLab and Gogs on a two-server cluster (PostgreSQL, Redis, HAProxy), each connected with Drone's
// DRONE_GITEA_* / DRONE_GITLAB_* / DRONE_GOGS_* variables to its stand-in: a browser signs in through a load
// balancer (Gitea and GitLab: OAuth2, the state set by one server checked by whichever server the callback
// reaches, the code exchanged with the one registered redirect URI; Gogs: the sign-in form), the session
// works on both servers, and one webhook delivery (one delivery id) sent to both servers' /hook ten times at
// once builds once — and that build runs and reports its commit status once (Gogs has no status API).
//
// Gitea and GitLab refuse any redirect URI but the registered one, so every server is given the load
// balancer's /login as DRONE_*_REDIRECT_URL: its port is chosen before the cluster starts.

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Build, Repo, User } from '../../src/core/types.js';
import { type Cluster, freePort, startCluster } from '../support/cluster.js';
import { Browser, type Hop } from '../support/scm/browser.js';
import { GiteaStandIn } from '../support/scm/gitea.js';
import { GitLabStandIn } from '../support/scm/gitlab.js';
import { GogsStandIn } from '../support/scm/gogs.js';
import { sessionApi } from '../support/scm/hangar.js';
import type { Delivery, StandIn, StandInRepo, StandInUser } from '../support/scm/standin.js';
import { shmTempDir } from '../support/shm.js';
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
const FILES = { '.drone.yml': PIPELINE, 'README.md': 'clustered readme\n' };
const ADMIN = { read: true, write: true, admin: true };

/** The session cookie `browser` got from `base` is good on every server of the cluster, reached directly. */
async function expectSessionOnEveryServer(cluster: Cluster, browser: Browser, base: string, login: string): Promise<void> {
  const session = browser.cookie(new URL(base).host, '_session_');
  expect(session).toBeDefined();
  for (const server of cluster.servers) {
    const direct = new Browser();
    direct.setCookie(new URL(server.url).host, '_session_', session ?? '');
    expect((await sessionApi<User>(direct, server.url, 'GET', '/api/user')).json.login).toBe(login);
  }
}

/** An OAuth2 login from `base`/login: to the provider's authorize page, back to the registered `base`/login, then to `base`/. */
async function expectOAuthLogin(browser: Browser, base: string, authorizeUrl: string): Promise<Hop[]> {
  const hops = await browser.visit(`${base}/login`);
  expect(hops[0].status).toBe(303);
  const authorize = new URL(hops[0].location ?? '');
  expect(authorize.origin + authorize.pathname).toBe(authorizeUrl);
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${base}/login`);
  expect(hops[2].url.startsWith(`${base}/login?code=`)).toBe(true);
  expect(hops[2].status).toBe(303);
  expect(hops.at(-1)?.url).toBe(`${base}/`);
  return hops;
}

/** Syncs and enables SLUG through `base` with the browser's session. */
async function syncAndEnable(browser: Browser, base: string): Promise<void> {
  expect((await sessionApi<Repo[]>(browser, base, 'POST', '/api/user/repos')).json.map((r) => r.slug)).toEqual([SLUG]);
  expect((await sessionApi<Repo>(browser, base, 'POST', `/api/repos/${SLUG}`)).json.active).toBe(true);
}

/**
 * The repository's one hook (made by the server that handled the enable, aimed at its DRONE_SERVER_HOST)
 * gets a copy aimed at the other server, so each delivery of the stand-in posts to both servers' /hook.
 */
function aimAtBothServers(standIn: StandIn, cluster: Cluster, repo: StandInRepo): void {
  expect(repo.hooks).toHaveLength(1);
  const [hook] = repo.hooks;
  const port = Number(new URL(hook.url).port);
  expect(hook.url).toBe(`http://localhost:${port}/hook`);
  const others = cluster.servers.filter((server) => server.port !== port);
  expect(others).toHaveLength(1);
  repo.hooks.push({ ...hook, id: standIn.id(), url: `${others[0].url}/hook` });
}

/** Five concurrent deliveries of one delivery id, each to both hooks: ten posts, all answered with one build. */
async function deliverTenTimes(deliver: () => Promise<Delivery[]>): Promise<number> {
  const answers = (await Promise.all(Array.from({ length: 5 }, () => deliver()))).flat();
  expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
  const numbers = new Set(answers.map((answer) => (JSON.parse(answer.body) as Build).number));
  expect(numbers.size).toBe(1);
  const [number] = numbers;
  return number;
}

/** Exactly one build of `sha`, numbered `number`, and it succeeds on the cluster's runner. */
async function expectOneSuccessfulBuild(cluster: Cluster, sha: string, number: number): Promise<void> {
  const builds = await cluster.api<Build[]>('GET', `/api/repos/${SLUG}/builds`);
  expect(builds.filter((build) => build.after === sha).map((build) => build.number)).toEqual([number]);
  expect((await cluster.finished(SLUG, number)).status).toBe('success');
}

/** Waits for a success status of `sha`, then there is exactly one. */
async function expectOneSuccessStatus(repo: StandInRepo, sha: string): Promise<void> {
  const successes = () => repo.statuses.filter((status) => status.sha === sha && status.body.state === 'success');
  await until(async () => successes().length > 0, 15_000);
  expect(successes()).toHaveLength(1);
}

describe('Gitea on a cluster', () => {
  let dir: string;
  let gitea: GiteaStandIn;
  let cluster: Cluster;
  let base: string;
  let octocat: StandInUser;
  let repo: StandInRepo;
  const browser = new Browser();

  beforeAll(async () => {
    dir = await shmTempDir('hangar-scm-cluster-gitea-');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    gitea = new GiteaStandIn(join(dir, 'gitea'), { clientId: 'cluster-client', clientSecret: 'cluster-secret', redirectUrl: `${base}/login` });
    await gitea.start();
    octocat = gitea.addUser('octocat');
    gitea.loginAs = 'octocat';
    repo = await gitea.addRepo(SLUG, { private: true, files: FILES, collaborators: { octocat: ADMIN } });
    cluster = await startCluster(inject('postgresUrl'), {
      servers: 2,
      port,
      env: { DRONE_GITEA_SERVER: gitea.server, DRONE_GITEA_CLIENT_ID: 'cluster-client', DRONE_GITEA_CLIENT_SECRET: 'cluster-secret', DRONE_GITEA_REDIRECT_URL: `${base}/login` },
    });
    await cluster.startRunner();
  });
  afterAll(async () => {
    await cluster?.close();
    await gitea?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('signs in through the load balancer with the registered redirect URI, and the session is good on every server', async () => {
    await expectOAuthLogin(browser, base, `${gitea.url}/login/oauth/authorize`);
    const exchange = gitea.requestsTo('POST', /^\/login\/oauth\/access_token$/).map((request) => new URLSearchParams(request.body)).find((form) => form.get('grant_type') === 'authorization_code');
    expect(exchange?.get('redirect_uri')).toBe(`${base}/login`);
    await expectSessionOnEveryServer(cluster, browser, base, 'octocat');
  });

  it('builds one delivery once, sent to both servers ten times at once, and reports one success status', async () => {
    await syncAndEnable(browser, base);
    aimAtBothServers(gitea, cluster, repo);
    const { before, after } = await gitea.commit(repo, { 'change.txt': 'one\n' }, 'one change');
    const payload = await gitea.pushPayload(repo, 'refs/heads/main', before, after, octocat);
    const number = await deliverTenTimes(() => gitea.deliver(repo, { event: 'push', payload, delivery: 'cluster-gitea-delivery-1' }));
    await expectOneSuccessfulBuild(cluster, after, number);
    await expectOneSuccessStatus(repo, after);
  });
});

describe('GitLab on a cluster', () => {
  let dir: string;
  let gitlab: GitLabStandIn;
  let cluster: Cluster;
  let base: string;
  let octocat: StandInUser;
  let repo: StandInRepo;
  const browser = new Browser();

  beforeAll(async () => {
    dir = await shmTempDir('hangar-scm-cluster-gitlab-');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    gitlab = new GitLabStandIn(join(dir, 'gitlab'), { clientId: 'cluster-client', clientSecret: 'cluster-secret', redirectUri: `${base}/login` });
    await gitlab.start();
    octocat = gitlab.addUser('octocat');
    gitlab.loginAs = 'octocat';
    repo = await gitlab.addRepo(SLUG, { private: true, files: FILES, collaborators: { octocat: ADMIN } });
    cluster = await startCluster(inject('postgresUrl'), {
      servers: 2,
      port,
      env: { DRONE_GITLAB_SERVER: gitlab.server, DRONE_GITLAB_CLIENT_ID: 'cluster-client', DRONE_GITLAB_CLIENT_SECRET: 'cluster-secret', DRONE_GITLAB_REDIRECT_URL: `${base}/login` },
    });
    await cluster.startRunner();
  });
  afterAll(async () => {
    await cluster?.close();
    await gitlab?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('signs in through the load balancer with the registered redirect URI, and the session is good on every server', async () => {
    await expectOAuthLogin(browser, base, `${gitlab.url}/oauth/authorize`);
    const exchange = gitlab.requestsTo('POST', /^\/oauth\/token$/).map((request) => new URLSearchParams(request.body)).find((form) => form.get('grant_type') === 'authorization_code');
    expect(exchange?.get('redirect_uri')).toBe(`${base}/login`);
    await expectSessionOnEveryServer(cluster, browser, base, 'octocat');
  });

  it('builds one delivery (one Idempotency-Key) once, sent to both servers ten times at once, and reports one success status', async () => {
    await syncAndEnable(browser, base);
    aimAtBothServers(gitlab, cluster, repo);
    const { before, after } = await gitlab.commit(repo, { 'change.txt': 'one\n' }, 'one change');
    const payload = await gitlab.pushPayload(repo, 'refs/heads/main', before, after, octocat);
    // `delivery` is sent as Idempotency-Key (every post also gets its own X-Gitlab-Webhook-UUID, as GitLab's do).
    const number = await deliverTenTimes(() => gitlab.deliver(repo, { event: 'Push Hook', payload, delivery: 'cluster-gitlab-delivery-1' }));
    await expectOneSuccessfulBuild(cluster, after, number);
    await expectOneSuccessStatus(repo, after);
  });
});

describe('Gogs on a cluster', () => {
  let dir: string;
  let gogs: GogsStandIn;
  let cluster: Cluster;
  let octocat: StandInUser;
  let repo: StandInRepo;
  const browser = new Browser();
  /** Any call a real Gogs has no route for, or that looks like a commit status: Gogs has no status API. */
  const statusCalls = () => [...gogs.unrouted(), ...gogs.requests.filter((request) => /status/i.test(request.path))];

  beforeAll(async () => {
    dir = await shmTempDir('hangar-scm-cluster-gogs-');
    gogs = new GogsStandIn(join(dir, 'gogs'));
    await gogs.start();
    octocat = gogs.addUser('octocat', { password: 'octocat-secret' });
    repo = await gogs.addRepo(SLUG, { private: true, files: FILES, collaborators: { octocat: ADMIN } });
    cluster = await startCluster(inject('postgresUrl'), { servers: 2, env: { DRONE_GOGS_SERVER: gogs.server } });
    await cluster.startRunner();
  });
  afterAll(async () => {
    await cluster?.close();
    await gogs?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('signs in with the form through the load balancer, and the session is good on every server', async () => {
    const hop = await browser.request(`${cluster.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'octocat', password: 'octocat-secret' }).toString(),
    });
    expect(hop.status).toBe(303);
    expect(hop.location).toBe(`${cluster.url}/`);
    expect(gogs.tokens.map((token) => token.login)).toEqual(['octocat']);
    await expectSessionOnEveryServer(cluster, browser, cluster.url, 'octocat');
  });

  it('builds one delivery once, sent to both servers ten times at once, and sends no status', async () => {
    await syncAndEnable(browser, cluster.url);
    aimAtBothServers(gogs, cluster, repo);
    const { before, after } = await gogs.commit(repo, { 'change.txt': 'one\n' }, 'one change');
    const payload = await gogs.pushPayload(repo, 'refs/heads/main', before, after, octocat);
    const number = await deliverTenTimes(() => gogs.deliver(repo, { event: 'push', payload, delivery: 'cluster-gogs-delivery-1' }));
    await expectOneSuccessfulBuild(cluster, after, number);
    expect(statusCalls()).toEqual([]);
  });
});
