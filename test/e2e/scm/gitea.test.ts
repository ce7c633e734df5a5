// A team that points Hangar at its Gitea: a real `hangar server` process configured with DRONE_GITEA_*, an
// exec runner process, and a Gitea stand-in answering with Gitea's recorded payloads, serving a private
// repository over git and issuing short-lived OAuth2 tokens. The whole flow: OAuth2 login (state and the
// registered redirect_uri) → session → sync → enable (a webhook appears) → push → the runner clones through
// the netrc → statuses pending then success; the tokens renewed with the refresh grant and the new ones used;
// a pull request, a tag and an API build with their DRONE_* variables; bad signatures; Gitea failing during a
// delivery and a login; disable.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Build, Repo, User } from '../../../src/core/types.js';
import { freePort } from '../../support/cluster.js';
import { Browser } from '../../support/scm/browser.js';
import { GiteaStandIn } from '../../support/scm/gitea.js';
import { type ScmHangar, sessionApi, startScmHangar } from '../../support/scm/hangar.js';
import { expectBadSignaturesRefused, expectEnabledWithOneHook, expectForgedStateRefused, expectRedeliveryBuildsOnce, expectSyncedOnly } from '../../support/scm/scenarios.js';
import { type LoggedRequest, type StandInRepo, type StandInUser, post } from '../../support/scm/standin.js';
import { until } from '../../support/wait.js';

const run = promisify(execFile);
const SLUG = 'octocat/hello';
/** Below the minute within which Hangar renews a token before using it: every use renews. */
const TOKEN_LIFETIME = 30;
const PIPELINE = `kind: pipeline
type: exec
name: default
steps:
- name: show
  commands:
  - echo "event=$DRONE_BUILD_EVENT branch=$DRONE_BRANCH pr=$DRONE_PULL_REQUEST tag=$DRONE_TAG source=$DRONE_SOURCE_BRANCH target=$DRONE_TARGET_BRANCH"
  - cat README.md
`;

describe('Gitea', () => {
  let dir: string;
  let gitea: GiteaStandIn;
  let hangar: ScmHangar;
  let octocat: StandInUser;
  let repo: StandInRepo;
  let redirectUrl: string;
  const browser = new Browser();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hangar-gitea-'));
    const port = await freePort();
    redirectUrl = `http://127.0.0.1:${port}/login`;
    gitea = new GiteaStandIn(join(dir, 'gitea'), { clientId: 'client-id', clientSecret: 'client-secret', redirectUrl, tokenLifetime: TOKEN_LIFETIME });
    await gitea.start();
    octocat = gitea.addUser('octocat', { orgs: ['gitea'] });
    gitea.addUser('stranger');
    gitea.loginAs = 'octocat';
    repo = await gitea.addRepo(SLUG, { private: true, files: { '.drone.yml': PIPELINE, 'README.md': 'private readme\n' }, collaborators: { octocat: { read: true, write: true, admin: true } } });
    await gitea.addRepo('stranger/elsewhere', { files: { 'README.md': 'not octocat\n' }, collaborators: { stranger: { read: true, write: true, admin: true } } });
    hangar = await startScmHangar(
      dir,
      { DRONE_GITEA_SERVER: gitea.server, DRONE_GITEA_CLIENT_ID: 'client-id', DRONE_GITEA_CLIENT_SECRET: 'client-secret', DRONE_GITEA_REDIRECT_URL: redirectUrl },
      port,
    );
  });
  afterAll(async () => {
    await hangar?.close();
    await gitea?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  const builds = () => hangar.builds(SLUG);
  const finished = (number: number) => hangar.finished(SLUG, number);
  const log = (number: number) => hangar.log(SLUG, number);
  const statusesOf = (sha: string) => repo.statuses.filter((status) => status.sha === sha).map((status) => status.body);
  /** The access token a request to the API carried. */
  const bearerOf = (request: LoggedRequest) => /^(?:Bearer|token) (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1] ?? '';
  /** The login and password of a git request's Basic credentials. */
  const basicOf = (request: LoggedRequest) => {
    const [login, ...rest] = Buffer.from(String(request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8').split(':');
    return { login, password: rest.join(':') };
  };
  const tokenForm = (request: LoggedRequest) => Object.fromEntries(new URLSearchParams(request.body));

  it("logs in through Gitea's OAuth2 flow with the registered redirect_uri and gets a session", async () => {
    const hops = await browser.visit(`${hangar.url}/login`);
    expect(hops[0]).toMatchObject({ status: 303 });
    const authorize = new URL(hops[0].location ?? '');
    expect(authorize.origin + authorize.pathname).toBe(`${gitea.url}/login/oauth/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe('client-id');
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(authorize.searchParams.get('redirect_uri')).toBe(redirectUrl);
    expect(authorize.searchParams.get('state')).toMatch(/^[0-9a-f]{32}$/);
    const back = hops[2];
    expect(back.url.startsWith(`${redirectUrl}?code=`)).toBe(true);
    expect(back.status).toBe(303);
    expect(back.location).toBe(`${hangar.url}/`);
    const session = back.setCookies.find((cookie) => cookie.startsWith('_session_='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);

    // The code was exchanged with the same redirect_uri (Gitea refuses another) and the app's credentials.
    const [exchange] = gitea.requestsTo('POST', /^\/login\/oauth\/access_token$/);
    expect(tokenForm(exchange)).toMatchObject({ grant_type: 'authorization_code', client_id: 'client-id', client_secret: 'client-secret', redirect_uri: redirectUrl });
    // (The first login also syncs in the background, which may already have renewed that token.)
    expect(gitea.issued[0]).toMatchObject({ grant: 'authorization_code', login: 'octocat' });
    expect(gitea.issued.slice(1).every((token) => token.grant === 'refresh_token')).toBe(true);

    const me = await sessionApi<User>(browser, hangar.url, 'GET', '/api/user');
    expect(me.json).toMatchObject({ login: 'octocat', email: octocat.email, avatar: `${gitea.url}/avatars/octocat`, admin: false, active: true });
  });

  it('refuses a login whose state was not started here', async () => {
    await expectForgedStateRefused(hangar.url);
  });

  it("syncs the repositories the user sees on Gitea, and asks for the session's CSRF token on changes", async () => {
    expect(await expectSyncedOnly(browser, hangar.url, SLUG)).toMatchObject({
      uid: String(repo.id),
      active: false,
      private: true,
      visibility: 'private',
      default_branch: 'main',
      git_http_url: `${gitea.url}/${SLUG}.git`,
      link: `${gitea.url}/${SLUG}`,
    });
  });

  it('enabling creates a Gitea webhook signed with the repository secret', async () => {
    await expectEnabledWithOneHook(browser, hangar.url, SLUG, repo);
    expect(repo.hooks[0].events.sort()).toEqual(['create', 'delete', 'pull_request', 'push']);
    expect(repo.hooks[0].request).toMatchObject({ type: 'gitea', active: true, config: { content_type: 'json' } });
  });

  it('builds a push: the runner clones the private repository through the netrc; statuses go pending then success', async () => {
    await expect(run('git', ['ls-remote', `${gitea.url}/${SLUG}.git`], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } })).rejects.toThrow();
    const anonymous = gitea.requestsTo('GET', /^\/octocat\/hello\.git\/info\/refs$/);
    expect(anonymous.length).toBeGreaterThan(0);
    expect(anonymous.every((r) => r.headers.authorization === undefined)).toBe(true);

    const { sha, deliveries } = await gitea.push(repo, { 'src/main.txt': 'hello\n' }, 'add main', { sender: octocat });
    expect(deliveries[0].status).toBe(200);
    const created = JSON.parse(deliveries[0].body) as Build;
    expect(created).toMatchObject({ event: 'push', trigger: '@hook', after: sha, ref: 'refs/heads/main', source: 'main', target: 'main', message: 'add main\n', sender: 'octocat' });
    expect((await finished(created.number)).status).toBe('success');
    expect(await log(created.number)).toContain('event=push branch=main');
    expect(await log(created.number)).toContain('private readme');
    const cloned = gitea.requestsTo('GET', /^\/octocat\/hello\.git\/info\/refs$/).filter((r) => String(r.headers.authorization ?? '').startsWith('Basic '));
    expect(cloned.length).toBeGreaterThan(0);
    expect(basicOf(cloned[0]).password).toBe('x-oauth-basic');
    await until(async () => statusesOf(sha).at(-1)?.state === 'success', 10_000);
    const states = statusesOf(sha);
    expect(states[0]).toMatchObject({ state: 'pending', context: 'continuous-integration/drone/push', target_url: `${hangar.url}/${SLUG}/${created.number}` });
    expect(states.at(-1)).toMatchObject({ state: 'success', description: 'Build is passing', context: 'continuous-integration/drone/push', target_url: `${hangar.url}/${SLUG}/${created.number}` });
  });

  it("renews Gitea's short-lived tokens with the refresh grant and uses the new ones", async () => {
    // Each renewal presented the refresh token of the pair before it (Gitea's are single-use) …
    const refreshes = gitea.requestsTo('POST', /^\/login\/oauth\/access_token$/).map(tokenForm).filter((form) => form.grant_type === 'refresh_token');
    expect(refreshes.length).toBeGreaterThan(0);
    expect(refreshes.every((form) => form.client_id === 'client-id' && form.client_secret === 'client-secret')).toBe(true);
    const renewed = gitea.issued.filter((token) => token.grant === 'refresh_token');
    expect(renewed.length).toBe(refreshes.length);
    for (const [i, token] of gitea.issued.entries()) if (token.grant === 'refresh_token') expect(token.renewed).toBe(gitea.issued[i - 1].refresh);

    // … the clone and the statuses went out with renewed tokens, and no token was ever refused.
    const clone = gitea.requestsTo('GET', /^\/octocat\/hello\.git\/info\/refs$/).find((r) => String(r.headers.authorization ?? '').startsWith('Basic '));
    expect(clone && gitea.issuedFor(basicOf(clone).login)?.grant).toBe('refresh_token');
    const statusCalls = gitea.requestsTo('POST', /^\/api\/v1\/repos\/octocat\/hello\/statuses\//);
    expect(statusCalls.length).toBeGreaterThan(0);
    expect(statusCalls.every((r) => gitea.issuedFor(bearerOf(r))?.grant === 'refresh_token')).toBe(true);
    // The token the login got served the login's own questions only; everything after used renewed tokens.
    const withLoginToken = gitea.requests.filter((r) => r.path.startsWith('/api/v1/') && gitea.issuedFor(bearerOf(r))?.grant === 'authorization_code');
    expect(withLoginToken.map((r) => r.path)).toEqual(['/api/v1/user']);
    expect(gitea.refused).toEqual([]);
  });

  it("builds a pull request with the pull request's variables", async () => {
    const { sha, deliveries } = await gitea.openPullRequest(repo, { number: 7, branch: 'feature', files: { 'feature.txt': 'new\n' }, title: 'Add a feature', sender: octocat });
    const created = JSON.parse(deliveries[0].body) as Build;
    expect(created).toMatchObject({ event: 'pull_request', action: 'opened', ref: 'refs/pull/7/head', source: 'feature', target: 'main', after: sha, title: 'Add a feature', source_repo: SLUG });
    expect((await finished(created.number)).status).toBe('success');
    expect(await log(created.number)).toContain('event=pull_request branch=main pr=7 tag= source=feature target=main');
    await until(async () => statusesOf(sha).at(-1)?.state === 'success', 10_000);
    expect(statusesOf(sha).at(-1)?.context).toBe('continuous-integration/drone/pr');
  });

  it('builds a tag from its push (the create event builds nothing), with DRONE_TAG and the commit asked of Gitea', async () => {
    const { sha, created: create, deliveries } = await gitea.pushTag(repo, 'v1.0.0', octocat);
    expect(create[0]).toEqual({ status: 200, body: '' });
    const created = JSON.parse(deliveries[0].body) as Build;
    expect(created).toMatchObject({ event: 'tag', action: 'create', ref: 'refs/tags/v1.0.0', after: sha, message: 'add main\n' });
    // A tag's push lists no commits: the message came from Gitea's commit API.
    expect(gitea.requestsTo('GET', new RegExp(`^/api/v1/repos/octocat/hello/git/commits/${sha}$`))).toHaveLength(1);
    expect((await finished(created.number)).status).toBe('success');
    expect(await log(created.number)).toContain('event=tag');
    expect(await log(created.number)).toContain('tag=v1.0.0');
    await until(async () => statusesOf(sha).some((status) => status.context === 'continuous-integration/drone/tag' && status.state === 'success'), 10_000);
    expect((await builds()).filter((b) => b.event === 'tag')).toHaveLength(1);
  });

  it("builds a branch from the API, its head found through Gitea's branch and commit API", async () => {
    const head = await gitea.head(repo, 'main');
    const { status, json } = await sessionApi<Build>(browser, hangar.url, 'POST', `/api/repos/${SLUG}/builds?branch=main`);
    expect(status).toBe(200);
    expect(json).toMatchObject({ event: 'custom', trigger: 'octocat', after: head, ref: 'refs/heads/main', link: `${gitea.url}/${SLUG}/commit/${head}` });
    expect(gitea.requestsTo('GET', /^\/api\/v1\/repos\/octocat\/hello\/branches\/main$/).length).toBeGreaterThan(0);
    expect((await finished(json.number)).status).toBe('success');
    expect(await log(json.number)).toContain('event=custom branch=main');
    await until(async () => statusesOf(head).some((s) => s.context === 'continuous-integration/drone' && s.state === 'success'), 10_000);
  });

  it('refuses a wrong or missing signature and builds nothing', async () => {
    const payload = await gitea.pushPayload(repo, 'refs/heads/main', '0'.repeat(40), await gitea.head(repo, 'main'), octocat);
    await expectBadSignaturesRefused(builds, (secret) => gitea.deliver(repo, { event: 'push', payload, secret }));
  });

  it("takes a delivery for Gitea's by X-Gitea-Event, not by the GitHub copies it carries", async () => {
    const before = (await builds()).length;
    const payload = await gitea.pushPayload(repo, 'refs/heads/main', '0'.repeat(40), await gitea.head(repo, 'main'), octocat);
    const { headers, body } = gitea.signed(repo.hooks[0], { event: 'push', payload });
    expect(headers).toMatchObject({ 'x-github-event': 'push', 'x-gogs-event': 'push', 'x-hub-signature-256': `sha256=${headers['x-gitea-signature']}` });
    const githubOnly = Object.fromEntries(Object.entries(headers).filter(([name]) => !/^x-(gitea|gogs)-/.test(name)));
    const refused = await post(repo.hooks[0].url, githubOnly, body);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).message).toMatch(/connected to Gitea, but the delivery comes from GitHub/);
    expect((await builds()).length).toBe(before);
  });

  it('loses nothing when Gitea fails during a delivery: the redelivery builds once', async () => {
    const first = await expectRedeliveryBuildsOnce({
      standIn: gitea,
      provider: 'Gitea',
      contents: /\/contents\//,
      builds,
      push: () => gitea.push(repo, { 'again.txt': '1\n' }, 'while gitea is down', { sender: octocat, delivery: 'delivery-503' }),
      redeliver: async (sha) => gitea.deliver(repo, { event: 'push', payload: await gitea.pushPayload(repo, 'refs/heads/main', '0'.repeat(40), sha, octocat), delivery: 'delivery-503' }),
    });
    // Let the build end and report, so no renewal of its statuses runs into the next test's injected failure.
    expect((await finished(first.number)).status).toBe('success');
    await until(async () => statusesOf(first.after).at(-1)?.state === 'success', 10_000);
  });

  it('answers a clear error when Gitea fails during a login, and the next login works', async () => {
    const other = new Browser();
    gitea.fail('POST', /^\/login\/oauth\/access_token$/, 503);
    const failed = (await other.visit(`${hangar.url}/login`)).at(-1);
    expect(failed?.status).toBe(502);
    expect(failed?.body).toMatch(/Gitea did not answer properly/);
    const retried = (await other.visit(`${hangar.url}/login`)).at(-1);
    expect(retried?.url).toBe(`${hangar.url}/`);
    expect((await sessionApi<User>(other, hangar.url, 'GET', '/api/user')).json.login).toBe('octocat');
  });

  it('disabling removes the webhook from Gitea', async () => {
    const { status, json } = await sessionApi<Repo>(browser, hangar.url, 'DELETE', `/api/repos/${SLUG}`);
    expect(status).toBe(200);
    expect(json.active).toBe(false);
    expect(repo.hooks).toHaveLength(0);
    expect(gitea.refused).toEqual([]);
  });
});
