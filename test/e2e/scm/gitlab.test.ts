// A team that points Hangar at its self-managed GitLab: a real `hangar server` process configured with
// DRONE_GITLAB_*, an exec runner process, and a GitLab stand-in answering with GitLab's recorded payloads,
// serving a private project over git and issuing access tokens that expire within a minute with rotating
// refresh tokens. The whole flow: OAuth login → session → sync → enable (a project hook appears) → push → the
// runner clones as `oauth2` through the netrc → statuses pending then success; Hangar renewing its tokens
// with the refresh grant and using the new ones; a merge request and a tag with their DRONE_* variables;
// two branches of one `git push`; bad tokens; GitLab failing during a delivery (and the hook log's resend)
// and during a login; disable.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Build, Repo, User } from '../../../src/core/types.js';
import { freePort } from '../../support/cluster.js';
import { Browser } from '../../support/scm/browser.js';
import { GitLabStandIn } from '../../support/scm/gitlab.js';
import { type ScmHangar, sessionApi, startScmHangar } from '../../support/scm/hangar.js';
import { expectBadSignaturesRefused, expectEnabledWithOneHook, expectForgedStateRefused, expectRedeliveryBuildsOnce, expectSyncedOnly } from '../../support/scm/scenarios.js';
import type { LoggedRequest, StandInRepo, StandInUser } from '../../support/scm/standin.js';
import { until } from '../../support/wait.js';

const run = promisify(execFile);
const SLUG = 'octocat/hello';
/** Below Hangar's renewal margin (60 s): every use of a token renews it first. */
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

describe('GitLab', () => {
  let dir: string;
  let gitlab: GitLabStandIn;
  let hangar: ScmHangar;
  let octocat: StandInUser;
  let repo: StandInRepo;
  let redirectUri: string;
  const browser = new Browser();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hangar-gitlab-'));
    const port = await freePort();
    redirectUri = `http://127.0.0.1:${port}/login`;
    gitlab = new GitLabStandIn(join(dir, 'gitlab'), { clientId: 'client-id', clientSecret: 'client-secret', redirectUri, expiresIn: TOKEN_LIFETIME });
    await gitlab.start();
    octocat = gitlab.addUser('octocat', { email: 'octocat@gitlab.example', orgs: ['hangar-team'] });
    gitlab.addUser('stranger');
    gitlab.loginAs = 'octocat';
    repo = await gitlab.addRepo(SLUG, { private: true, files: { '.drone.yml': PIPELINE, 'README.md': 'private readme\n' }, collaborators: { octocat: { read: true, write: true, admin: true } } });
    await gitlab.addRepo('stranger/elsewhere', { files: { 'README.md': 'not octocat\n' }, collaborators: { stranger: { read: true, write: true, admin: true } } });
    hangar = await startScmHangar(
      dir,
      { DRONE_GITLAB_CLIENT_ID: 'client-id', DRONE_GITLAB_CLIENT_SECRET: 'client-secret', DRONE_GITLAB_SERVER: gitlab.server, DRONE_GITLAB_REDIRECT_URL: redirectUri },
      port,
    );
  });
  afterAll(async () => {
    await hangar?.close();
    await gitlab?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  const builds = () => hangar.builds(SLUG);
  const finished = (number: number) => hangar.finished(SLUG, number);
  const log = (number: number) => hangar.log(SLUG, number);
  const statusesOf = (sha: string) => repo.statuses.filter((status) => status.sha === sha).map((status) => status.body);
  const settled = (sha: string, name: string) => until(async () => statusesOf(sha).some((status) => status.name === name && status.state === 'success'), 10_000);
  const formOf = (request: LoggedRequest) => new URLSearchParams(request.body);
  const refreshGrants = () => gitlab.requestsTo('POST', /^\/oauth\/token$/).filter((request) => formOf(request).get('grant_type') === 'refresh_token');
  const basicOf = (request: LoggedRequest) => {
    const basic = /^Basic (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    const [login, ...rest] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [''];
    return { login, password: rest.join(':') };
  };

  it("logs in through GitLab's OAuth flow with the configured redirect URI and gets a session", async () => {
    const hops = await browser.visit(`${hangar.url}/login`);
    expect(hops[0]).toMatchObject({ status: 303 });
    const authorize = new URL(hops[0].location ?? '');
    expect(authorize.origin + authorize.pathname).toBe(`${gitlab.url}/oauth/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe('client-id');
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(authorize.searchParams.get('redirect_uri')).toBe(redirectUri);
    expect(authorize.searchParams.get('state')).toMatch(/^[0-9a-f]{32}$/);
    expect(authorize.searchParams.has('scope')).toBe(false);
    const back = hops[2];
    expect(back.url.startsWith(`${redirectUri}?code=`)).toBe(true);
    expect(back.status).toBe(303);
    expect(back.location).toBe(`${hangar.url}/`);
    const session = back.setCookies.find((cookie) => cookie.startsWith('_session_='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    // The code was exchanged with the same redirect URI (GitLab refuses another) and the client's secret.
    const exchange = gitlab.requestsTo('POST', /^\/oauth\/token$/).map(formOf).find((form) => form.get('grant_type') === 'authorization_code');
    expect(exchange?.get('redirect_uri')).toBe(redirectUri);
    expect(exchange?.get('client_secret')).toBe('client-secret');

    const me = await sessionApi<User>(browser, hangar.url, 'GET', '/api/user');
    expect(me.json).toMatchObject({ login: 'octocat', email: 'octocat@gitlab.example', admin: false, active: true });
  });

  it('refuses a login whose state was not started here', async () => {
    await expectForgedStateRefused(hangar.url);
  });

  it("syncs the projects the user is a member of on GitLab, and asks for the session's CSRF token on changes", async () => {
    expect(await expectSyncedOnly(browser, hangar.url, SLUG)).toMatchObject({
      uid: String(repo.id),
      active: false,
      private: true,
      visibility: 'private',
      default_branch: 'main',
      git_http_url: `${gitlab.url}/${SLUG}.git`,
      link: `${gitlab.url}/${SLUG}`,
    });
  });

  it("enabling creates a project hook on GitLab carrying the repository's secret token", async () => {
    await expectEnabledWithOneHook(browser, hangar.url, SLUG, repo);
    expect(repo.hooks[0].events.sort()).toEqual(['merge_requests_events', 'push_events', 'tag_push_events']);
    expect(repo.hooks[0].request).toMatchObject({ enable_ssl_verification: true });
    // The project was addressed by its id, which survives renames and transfers.
    expect(gitlab.requestsTo('POST', /^\/api\/v4\/projects\/[^/]+\/hooks$/).map((r) => r.path)).toEqual([`/api/v4/projects/${repo.id}/hooks`]);
  });

  let pushSha = '';

  it('builds a push: the runner clones the private project as oauth2 through the netrc; statuses go pending then success', async () => {
    await expect(run('git', ['ls-remote', `${gitlab.url}/${SLUG}.git`], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } })).rejects.toThrow();
    const { sha, deliveries } = await gitlab.push(repo, { 'src/main.txt': 'hello\n' }, 'add main', { sender: octocat });
    pushSha = sha;
    expect(deliveries[0].status).toBe(200);
    const created = JSON.parse(deliveries[0].body) as Build;
    expect(created).toMatchObject({ event: 'push', trigger: '@hook', after: sha, ref: 'refs/heads/main', source: 'main', target: 'main', sender: 'octocat' });
    expect(created.message.trim()).toBe('add main');
    expect((await finished(created.number)).status).toBe('success');
    expect(await log(created.number)).toContain('event=push branch=main');
    expect(await log(created.number)).toContain('private readme');
    const cloned = gitlab.requestsTo('GET', /^\/octocat\/hello\.git\/info\/refs$/).filter((r) => basicOf(r).login === 'oauth2');
    expect(cloned.length).toBeGreaterThan(0);
    await settled(sha, 'continuous-integration/drone/push');
    const states = statusesOf(sha);
    // "Build is running" is pending again for GitLab, which refuses it ("Cannot transition status"): Hangar takes that as done.
    expect(states.map((status) => status.state)).toEqual(['pending', 'success']);
    expect(states[0]).toMatchObject({ state: 'pending', name: 'continuous-integration/drone/push', target_url: `${hangar.url}/${SLUG}/${created.number}` });
    expect(states[1]).toMatchObject({ state: 'success', description: 'Build is passing', name: 'continuous-integration/drone/push', target_url: `${hangar.url}/${SLUG}/${created.number}` });
  });

  it("renews GitLab's expiring tokens with the refresh grant, each refresh token once, and uses the new access tokens", async () => {
    const login = gitlab.grants.find((grant) => grant.via === 'authorization_code');
    expect(login && (login.expiresAt - login.issuedAt) / 1000).toBe(TOKEN_LIFETIME);
    // Hangar never sent a refresh token twice; the login's was exchanged, and GitLab refuses it from then on.
    expect(gitlab.reusedRefreshTokens).toBe(0);
    expect(login?.refreshUsed).toBe(true);
    const reuse = await fetch(`${gitlab.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: login?.refresh ?? '', client_id: 'client-id', client_secret: 'client-secret' }).toString(),
    });
    expect(reuse.status).toBe(400);
    expect(((await reuse.json()) as { error: string }).error).toBe('invalid_grant');

    const refreshes = refreshGrants().map(formOf);
    expect(refreshes.length).toBeGreaterThan(0);
    expect(refreshes.every((form) => form.get('client_id') === 'client-id' && form.get('client_secret') === 'client-secret')).toBe(true);
    // Every refresh token Hangar sent was one GitLab had issued.
    expect(refreshes.every((form) => gitlab.grants.some((grant) => grant.refresh === form.get('refresh_token')))).toBe(true);

    // The runner cloned with an access token from a refresh, still valid then (the clone worked).
    const clonePasswords = gitlab.requestsTo('GET', /^\/octocat\/hello\.git\/info\/refs$/).map(basicOf).filter((basic) => basic.login === 'oauth2').map((basic) => basic.password);
    expect(clonePasswords.length).toBeGreaterThan(0);
    expect(clonePasswords.every((password) => gitlab.grantOf(password)?.via === 'refresh_token')).toBe(true);
    // So did every status of the push.
    const statusTokens = gitlab.requestsTo('POST', new RegExp(`^/api/v4/projects/${repo.id}/statuses/${pushSha}$`)).map((r) => GitLabStandIn.tokenOf(r.headers));
    expect(statusTokens.length).toBeGreaterThanOrEqual(2);
    expect(statusTokens.every((token) => gitlab.grantOf(token)?.via === 'refresh_token')).toBe(true);
    // GitLab never saw an expired or unknown token, neither in an API call nor in a clone.
    expect(gitlab.refusedTokens).toEqual([]);
  });

  it("builds a merge request with the merge request's variables, cloning refs/merge-requests/N/head", async () => {
    const { sha, deliveries } = await gitlab.openPullRequest(repo, { number: 7, branch: 'feature', files: { 'feature.txt': 'new\n' }, title: 'Add a feature', sender: octocat });
    expect(deliveries).toHaveLength(1);
    const created = JSON.parse(deliveries[0].body) as Build;
    expect(created).toMatchObject({ event: 'pull_request', action: 'opened', ref: 'refs/merge-requests/7/head', source: 'feature', target: 'main', after: sha, title: 'Add a feature', source_repo: SLUG, sender: 'octocat' });
    expect((await finished(created.number)).status).toBe('success');
    expect(await log(created.number)).toContain('event=pull_request branch=main pr=7 tag= source=feature target=main');
    await settled(sha, 'continuous-integration/drone/pr');
    expect(statusesOf(sha).at(-1)).toMatchObject({ state: 'success', name: 'continuous-integration/drone/pr', target_url: `${hangar.url}/${SLUG}/${created.number}` });
  });

  it("builds an annotated tag's commit with DRONE_TAG", async () => {
    const { sha, object, deliveries } = await gitlab.pushTag(repo, 'v1.0.0', octocat);
    expect(object).not.toBe(sha);
    const created = JSON.parse(deliveries[0].body) as Build;
    expect(created).toMatchObject({ event: 'tag', action: 'create', ref: 'refs/tags/v1.0.0', after: sha });
    expect((await finished(created.number)).status).toBe('success');
    expect(await log(created.number)).toContain('event=tag');
    expect(await log(created.number)).toContain('tag=v1.0.0');
    await settled(sha, 'continuous-integration/drone/tag');
  });

  it('builds both branches of one `git push`, whose Push Hooks share one X-Gitlab-Event-UUID', async () => {
    const before = (await builds()).length;
    const pushed = await gitlab.pushBranches(
      repo,
      [
        { branch: 'one', files: { 'one.txt': '1\n' }, message: 'branch one' },
        { branch: 'two', files: { 'two.txt': '2\n' }, message: 'branch two' },
      ],
      octocat,
    );
    const created = pushed.map(({ deliveries }) => JSON.parse(deliveries[0].body) as Build);
    expect(created.map((build) => build.target)).toEqual(['one', 'two']);
    expect(created.map((build) => build.after)).toEqual(pushed.map(({ sha }) => sha));
    expect(created[0].number).not.toBe(created[1].number);
    for (const build of created) expect((await finished(build.number)).status).toBe('success');
    await settled(pushed[0].sha, 'continuous-integration/drone/push');
    await settled(pushed[1].sha, 'continuous-integration/drone/push');
    expect((await builds()).length).toBe(before + 2);
  });

  it('refuses a wrong or missing X-Gitlab-Token and builds nothing', async () => {
    const payload = await gitlab.pushPayload(repo, 'refs/heads/main', '0'.repeat(40), await gitlab.head(repo, 'main'), octocat);
    await expectBadSignaturesRefused(builds, (secret) => gitlab.deliver(repo, { event: 'Push Hook', payload, token: secret }));
  });

  it("loses nothing when GitLab fails during a delivery: the hook log's resend builds once", async () => {
    // "Resend request" keeps the Idempotency-Key; the event UUID and webhook UUID are new each time.
    const first = await expectRedeliveryBuildsOnce({
      standIn: gitlab,
      provider: 'GitLab',
      contents: /\/repository\/files\//,
      builds,
      push: () => gitlab.push(repo, { 'again.txt': '1\n' }, 'while gitlab is down', { sender: octocat, delivery: 'delivery-503' }),
      redeliver: async (sha) => gitlab.deliver(repo, { event: 'Push Hook', payload: await gitlab.pushPayload(repo, 'refs/heads/main', '0'.repeat(40), sha, octocat), delivery: 'delivery-503' }),
    });
    expect((await finished(first.number)).status).toBe('success');
    await settled(first.after, 'continuous-integration/drone/push');
  });

  it('answers a clear error when GitLab fails during a login, and the next login works', async () => {
    const other = new Browser();
    gitlab.fail('POST', /^\/oauth\/token$/, 503);
    const failed = (await other.visit(`${hangar.url}/login`)).at(-1);
    expect(failed?.status).toBe(502);
    expect(failed?.body).toMatch(/GitLab did not answer properly/);
    const retried = (await other.visit(`${hangar.url}/login`)).at(-1);
    expect(retried?.url).toBe(`${hangar.url}/`);
    expect((await sessionApi<User>(other, hangar.url, 'GET', '/api/user')).json.login).toBe('octocat');
  });

  it('disabling removes the project hook from GitLab', async () => {
    const { status, json } = await sessionApi<Repo>(browser, hangar.url, 'DELETE', `/api/repos/${SLUG}`);
    expect(status).toBe(200);
    expect(json.active).toBe(false);
    expect(repo.hooks).toHaveLength(0);
  });
});
