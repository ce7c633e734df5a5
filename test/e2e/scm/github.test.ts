// A team that points Hangar at its GitHub (Enterprise): a real `hangar server` process configured with
// DRONE_GITHUB_*, an exec runner process, and a GitHub stand-in answering with GitHub's recorded payloads and
// serving a private repository over git. The whole flow: OAuth login → session → sync → enable (a webhook
// appears) → push → the runner clones through the netrc → statuses pending then success; a pull request and a
// tag with their DRONE_* variables; bad signatures; GitHub failing during a delivery and a login; disable.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Build, Repo, User } from '../../../src/core/types.js';
import { freePort } from '../../support/cluster.js';
import { Browser } from '../../support/scm/browser.js';
import { GitHubStandIn } from '../../support/scm/github.js';
import { type ScmHangar, sessionApi, startScmHangar } from '../../support/scm/hangar.js';
import { expectBadSignaturesRefused, expectEnabledWithOneHook, expectForgedStateRefused, expectRedeliveryBuildsOnce, expectSyncedOnly } from '../../support/scm/scenarios.js';
import type { StandInRepo, StandInUser } from '../../support/scm/standin.js';
import { until } from '../../support/wait.js';

const run = promisify(execFile);
const SLUG = 'octocat/hello';
const PIPELINE = `kind: pipeline
type: exec
name: default
steps:
- name: show
  commands:
  - echo "event=$DRONE_BUILD_EVENT branch=$DRONE_BRANCH pr=$DRONE_PULL_REQUEST tag=$DRONE_TAG source=$DRONE_SOURCE_BRANCH target=$DRONE_TARGET_BRANCH"
  - cat README.md
`;

describe('GitHub', () => {
  let dir: string;
  let github: GitHubStandIn;
  let hangar: ScmHangar;
  let octocat: StandInUser;
  let repo: StandInRepo;
  const browser = new Browser();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hangar-github-'));
    const port = await freePort();
    github = new GitHubStandIn(join(dir, 'github'), { clientId: 'client-id', clientSecret: 'client-secret', callbackUrl: `http://127.0.0.1:${port}/login` });
    await github.start();
    octocat = github.addUser('octocat', { orgs: ['github'] });
    github.addUser('stranger');
    github.loginAs = 'octocat';
    repo = await github.addRepo(SLUG, { private: true, files: { '.drone.yml': PIPELINE, 'README.md': 'private readme\n' }, collaborators: { octocat: { read: true, write: true, admin: true } } });
    await github.addRepo('stranger/elsewhere', { files: { 'README.md': 'not octocat\n' }, collaborators: { stranger: { read: true, write: true, admin: true } } });
    hangar = await startScmHangar(
      dir,
      { DRONE_GITHUB_CLIENT_ID: 'client-id', DRONE_GITHUB_CLIENT_SECRET: 'client-secret', DRONE_GITHUB_SERVER: github.server },
      port,
    );
  });
  afterAll(async () => {
    await hangar?.close();
    await github?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  const builds = () => hangar.builds(SLUG);
  const finished = (number: number) => hangar.finished(SLUG, number);
  const log = (number: number) => hangar.log(SLUG, number);
  const statusesOf = (sha: string) => repo.statuses.filter((status) => status.sha === sha).map((status) => status.body);

  it("logs in through GitHub's OAuth flow and gets a session", async () => {
    const hops = await browser.visit(`${hangar.url}/login`);
    expect(hops[0]).toMatchObject({ status: 303 });
    const authorize = new URL(hops[0].location ?? '');
    expect(authorize.origin + authorize.pathname).toBe(`${github.url}/login/oauth/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe('client-id');
    expect(authorize.searchParams.get('scope')).toBe('repo repo:status user:email read:org');
    const back = hops[2];
    expect(back.url.startsWith(`${hangar.url}/login?code=`)).toBe(true);
    expect(back.status).toBe(303);
    expect(back.location).toBe(`${hangar.url}/`);
    const session = back.setCookies.find((cookie) => cookie.startsWith('_session_='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);

    const me = await sessionApi<User>(browser, hangar.url, 'GET', '/api/user');
    expect(me.json).toMatchObject({ login: 'octocat', email: 'octocat@github.com', admin: false, active: true });
  });

  it('refuses a login whose state was not started here', async () => {
    await expectForgedStateRefused(hangar.url);
  });

  it("syncs the repositories the user sees on GitHub, and asks for the session's CSRF token on changes", async () => {
    expect(await expectSyncedOnly(browser, hangar.url, SLUG)).toMatchObject({ uid: String(repo.id), active: false, private: true, visibility: 'private', default_branch: 'main', git_http_url: `${github.url}/${SLUG}.git` });
    expect((await sessionApi<User>(browser, hangar.url, 'GET', '/api/user')).json).toMatchObject({ syncing: false, synced: expect.any(Number) });
    expect((await sessionApi<User>(browser, hangar.url, 'GET', '/api/user')).json.synced).toBeGreaterThan(0);
    // drone-node's syncRepos({async: true}) sends a form and gets 204 at once.
    const csrf = browser.cookie(new URL(hangar.url).host, '_csrf_') ?? '';
    const async = await browser.request(`${hangar.url}/api/user/repos`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf }, body: 'async=true' });
    expect(async.status).toBe(204);
  });

  it('enabling creates a webhook on GitHub signed with the repository secret', async () => {
    await expectEnabledWithOneHook(browser, hangar.url, SLUG, repo);
    expect(repo.hooks[0].events.sort()).toEqual(['create', 'delete', 'deployment', 'pull_request', 'push']);
  });

  it('builds a push: the runner clones the private repository through the netrc; statuses go pending then success', async () => {
    await expect(run('git', ['ls-remote', `${github.url}/${SLUG}.git`], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } })).rejects.toThrow();
    const { sha, deliveries } = await github.push(repo, { 'src/main.txt': 'hello\n' }, 'add main', { sender: octocat });
    expect(deliveries[0].status).toBe(200);
    const created = JSON.parse(deliveries[0].body) as Build;
    expect(created).toMatchObject({ event: 'push', trigger: '@hook', after: sha, ref: 'refs/heads/main', message: 'add main', sender: 'octocat' });
    expect((await finished(created.number)).status).toBe('success');
    expect(await log(created.number)).toContain('event=push branch=main');
    expect(await log(created.number)).toContain('private readme');
    const cloned = github.requestsTo('GET', /^\/octocat\/hello\.git\/info\/refs$/).filter((r) => String(r.headers.authorization ?? '').startsWith('Basic '));
    expect(cloned.length).toBeGreaterThan(0);
    await until(async () => statusesOf(sha).at(-1)?.state === 'success', 10_000);
    const states = statusesOf(sha);
    expect(states[0]).toMatchObject({ state: 'pending', context: 'continuous-integration/drone/push', target_url: `${hangar.url}/${SLUG}/${created.number}` });
    expect(states.at(-1)).toMatchObject({ state: 'success', description: 'Build is passing', context: 'continuous-integration/drone/push', target_url: `${hangar.url}/${SLUG}/${created.number}` });
  });

  it("builds a pull request with the pull request's variables", async () => {
    const { sha, deliveries } = await github.openPullRequest(repo, { number: 7, branch: 'feature', files: { 'feature.txt': 'new\n' }, title: 'Add a feature', sender: octocat });
    const created = JSON.parse(deliveries[0].body) as Build;
    expect(created).toMatchObject({ event: 'pull_request', action: 'opened', ref: 'refs/pull/7/head', source: 'feature', target: 'main', after: sha, title: 'Add a feature', source_repo: SLUG });
    expect((await finished(created.number)).status).toBe('success');
    expect(await log(created.number)).toContain('event=pull_request branch=main pr=7 tag= source=feature target=main');
    await until(async () => statusesOf(sha).at(-1)?.state === 'success', 10_000);
    expect(statusesOf(sha).at(-1)?.context).toBe('continuous-integration/drone/pr');
  });

  it('builds a tag with DRONE_TAG', async () => {
    const { sha, deliveries } = await github.pushTag(repo, 'v1.0.0', octocat);
    const created = JSON.parse(deliveries[0].body) as Build;
    expect(created).toMatchObject({ event: 'tag', action: 'create', ref: 'refs/tags/v1.0.0', after: sha });
    expect((await finished(created.number)).status).toBe('success');
    expect(await log(created.number)).toContain('event=tag');
    expect(await log(created.number)).toContain('tag=v1.0.0');
    await until(async () => statusesOf(sha).some((status) => status.context === 'continuous-integration/drone/tag' && status.state === 'success'), 10_000);
  });

  it('refuses a wrong or missing signature and builds nothing', async () => {
    const payload = await github.pushPayload(repo, 'refs/heads/main', '0'.repeat(40), await github.head(repo, 'main'), octocat);
    await expectBadSignaturesRefused(builds, (secret) => github.deliver(repo, { event: 'push', payload, secret }));
  });

  it('loses nothing when GitHub fails during a delivery: the redelivery builds once', async () => {
    await expectRedeliveryBuildsOnce({
      standIn: github,
      provider: 'GitHub',
      contents: /\/contents\//,
      builds,
      push: () => github.push(repo, { 'again.txt': '1\n' }, 'while github is down', { sender: octocat, delivery: 'delivery-503' }),
      redeliver: async (sha) => github.deliver(repo, { event: 'push', payload: await github.pushPayload(repo, 'refs/heads/main', '0'.repeat(40), sha, octocat), delivery: 'delivery-503' }),
    });
  });

  it('answers a clear error when GitHub fails during a login, and the next login works', async () => {
    const other = new Browser();
    github.fail('POST', /^\/login\/oauth\/access_token$/, 503);
    const failed = (await other.visit(`${hangar.url}/login`)).at(-1);
    expect(failed?.status).toBe(502);
    expect(failed?.body).toMatch(/GitHub did not answer properly/);
    const retried = (await other.visit(`${hangar.url}/login`)).at(-1);
    expect(retried?.url).toBe(`${hangar.url}/`);
    expect((await sessionApi<User>(other, hangar.url, 'GET', '/api/user')).json.login).toBe('octocat');
  });

  it('disabling removes the webhook from GitHub', async () => {
    const { status, json } = await sessionApi<Repo>(browser, hangar.url, 'DELETE', `/api/repos/${SLUG}`);
    expect(status).toBe(200);
    expect(json.active).toBe(false);
    expect(repo.hooks).toHaveLength(0);
  });
});
