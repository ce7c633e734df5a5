// A team that points Hangar at its Gogs: a real `hangar server` process configured with DRONE_GOGS_SERVER, an
// exec runner process, and a Gogs stand-in answering with Gogs' recorded payloads and serving a private
// repository over git. The whole flow: the login form (user name and password become a Gogs access token) →
// session → sync → enable (a webhook appears) → push → the runner clones through the netrc, and no commit
// status is sent (Gogs has no status API); a pull request (whose payload names no commit: Hangar builds the
// head of its branch) and a tag (Gogs' `create` event) with their DRONE_* variables; bad signatures; Gogs
// failing during a delivery and a login; a Gogs 0.13 server that lists token digests; disable.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Build, Repo, User } from '../../../src/core/types.js';
import { Browser, type Hop } from '../../support/scm/browser.js';
import { GogsStandIn } from '../../support/scm/gogs.js';
import { type ScmHangar, sessionApi, startScmHangar } from '../../support/scm/hangar.js';
import { expectBadSignaturesRefused, expectEnabledWithOneHook, expectRedeliveryBuildsOnce, expectSyncedOnly } from '../../support/scm/scenarios.js';
import type { StandInRepo, StandInUser } from '../../support/scm/standin.js';

const run = promisify(execFile);
const SLUG = 'alice/hello';
const PIPELINE = `kind: pipeline
type: exec
name: default
steps:
- name: show
  commands:
  - echo "event=$DRONE_BUILD_EVENT branch=$DRONE_BRANCH pr=$DRONE_PULL_REQUEST tag=$DRONE_TAG source=$DRONE_SOURCE_BRANCH target=$DRONE_TARGET_BRANCH"
  - echo "head=$(git rev-parse HEAD) commit=$DRONE_COMMIT"
  - cat README.md
`;

describe('Gogs', () => {
  let dir: string;
  let gogs: GogsStandIn;
  let hangar: ScmHangar;
  let alice: StandInUser;
  let repo: StandInRepo;
  const browser = new Browser();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hangar-gogs-'));
    gogs = new GogsStandIn(join(dir, 'gogs'));
    await gogs.start();
    alice = gogs.addUser('alice', { password: 'alice-secret', orgs: ['team'] });
    gogs.addUser('stranger');
    repo = await gogs.addRepo(SLUG, { private: true, files: { '.drone.yml': PIPELINE, 'README.md': 'private readme\n' }, collaborators: { alice: { read: true, write: true, admin: true } } });
    await gogs.addRepo('stranger/elsewhere', { files: { 'README.md': 'not alice\n' }, collaborators: { stranger: { read: true, write: true, admin: true } } });
    hangar = await startScmHangar(dir, { DRONE_GOGS_SERVER: gogs.server });
  });
  afterAll(async () => {
    await hangar?.close();
    await gogs?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  const builds = () => hangar.builds(SLUG);
  const finished = (number: number) => hangar.finished(SLUG, number);
  const log = (number: number) => hangar.log(SLUG, number);
  const postForm = (who: Browser, fields: Record<string, string>): Promise<Hop> =>
    who.request(`${hangar.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  const aliceTokens = () => gogs.tokens.filter((token) => token.login === 'alice');
  const basicOf = (header: unknown): string => Buffer.from(String(header ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
  /** Any call a real Gogs has no route for, or that looks like a commit status: Gogs has no status API. */
  const statusCalls = () => [...gogs.unrouted(), ...gogs.requests.filter((request) => /status/i.test(request.path))];

  it('shows the sign-in form, and a wrong password gets the form again with an error and no session', async () => {
    const form = await browser.request(`${hangar.url}/login`);
    expect(form.status).toBe(200);
    expect(form.body).toMatch(/<form method="post" action="\/login">/);
    expect(form.body).toMatch(/name="username"/);
    expect(form.body).toMatch(/name="password" type="password"/);

    const stranger = new Browser();
    const refused = await postForm(stranger, { username: 'alice', password: 'wrong' });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatch(/Gogs did not accept this user name and password/);
    expect(refused.body).toMatch(/name="password"/);
    expect(refused.setCookies.some((cookie) => cookie.startsWith('_session_='))).toBe(false);
    expect((await sessionApi(stranger, hangar.url, 'GET', '/api/user')).status).toBe(401);
    expect(aliceTokens()).toHaveLength(0);
  });

  it('logs in with the Gogs user name and password: Hangar makes a Gogs access token and starts a session', async () => {
    const mark = gogs.requests.length;
    const hop = await postForm(browser, { username: 'alice', password: 'alice-secret' });
    expect(hop.status).toBe(303);
    expect(hop.location).toBe(`${hangar.url}/`);
    const session = hop.setCookies.find((cookie) => cookie.startsWith('_session_='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);

    // The password went to Gogs' token API only, as HTTP Basic auth; the token it made is named `drone`.
    const calls = gogs.requests.slice(mark);
    const tokenCalls = calls.filter((request) => request.path === '/api/v1/users/alice/tokens');
    expect(tokenCalls.map((request) => request.method)).toEqual(['GET', 'POST']);
    expect(tokenCalls.every((request) => basicOf(request.headers.authorization) === 'alice:alice-secret')).toBe(true);
    expect(calls.filter((request) => request.body.includes('alice-secret') || basicOf(request.headers.authorization).includes('alice-secret')).every((request) => request.path === '/api/v1/users/alice/tokens')).toBe(true);
    expect(aliceTokens().map((token) => token.name)).toEqual(['drone']);
    const whoami = gogs.requestsTo('GET', /^\/api\/v1\/user$/);
    expect(whoami.at(-1)?.headers.authorization).toBe(`token ${aliceTokens()[0].sha1}`);

    const me = await sessionApi<User>(browser, hangar.url, 'GET', '/api/user');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ login: 'alice', email: 'alice@example.com', admin: false, active: true });
  });

  it("syncs the repositories the user sees on Gogs, and asks for the session's CSRF token on changes", async () => {
    expect(await expectSyncedOnly(browser, hangar.url, SLUG)).toMatchObject({ uid: String(repo.id), namespace: 'alice', name: 'hello', active: false, private: true, visibility: 'private', default_branch: 'main', git_http_url: `${gogs.url}/${SLUG}.git` });
  });

  it('enabling creates a Gogs webhook carrying the repository secret', async () => {
    await expectEnabledWithOneHook(browser, hangar.url, SLUG, repo);
    expect(repo.hooks[0].events.sort()).toEqual(['create', 'delete', 'pull_request', 'push']);
    expect(repo.hooks[0].request).toMatchObject({ type: 'gogs', active: true, config: { content_type: 'json' } });
  });

  it('builds a push: the runner clones the private repository with the Gogs token; no commit status is sent', async () => {
    await expect(run('git', ['ls-remote', `${gogs.url}/${SLUG}.git`], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } })).rejects.toThrow();
    const { sha, deliveries } = await gogs.push(repo, { 'src/main.txt': 'hello\n' }, 'add main', { sender: alice });
    expect(deliveries[0].status).toBe(200);
    const created = JSON.parse(deliveries[0].body) as Build;
    expect(created).toMatchObject({ event: 'push', trigger: '@hook', after: sha, ref: 'refs/heads/main', source: 'main', target: 'main', sender: 'alice' });
    expect(created.message.trim()).toBe('add main');
    expect(created.link).toMatch(new RegExp(`/${SLUG}/compare/[0-9a-f]{40}\\.\\.\\.${sha}$`));
    expect((await finished(created.number)).status).toBe('success');
    const out = await log(created.number);
    expect(out).toContain('event=push branch=main');
    expect(out).toContain(`head=${sha} commit=${sha}`);
    expect(out).toContain('private readme');

    // Without credentials the private repository stays shut (above); the runner's clone came with the netrc:
    // the owner's Gogs token as the login and x-oauth-basic as the password.
    const cloned = gogs.requestsTo('GET', /^\/alice\/hello\.git\/info\/refs$/).filter((request) => String(request.headers.authorization ?? '').startsWith('Basic '));
    expect(cloned.length).toBeGreaterThan(0);
    expect(cloned.every((request) => basicOf(request.headers.authorization) === `${aliceTokens()[0].sha1}:x-oauth-basic`)).toBe(true);

    // Gogs has no status API: the pending status Hangar would send at creation would be here by now (the last
    // test looks again, long after this build's success).
    expect(statusCalls()).toEqual([]);
  });

  it("builds a pull request at the head of its source branch (Gogs' payload names no commit)", async () => {
    const before = await gogs.head(repo, 'main');
    const { sha, deliveries } = await gogs.openPullRequest(repo, { number: 7, branch: 'feature', files: { 'README.md': 'feature readme\n' }, title: 'Add a feature', sender: alice });
    expect(sha).not.toBe(before);
    const created = JSON.parse(deliveries[0].body) as Build;
    expect(created).toMatchObject({ event: 'pull_request', action: 'opened', ref: 'refs/pull/7/head', source: 'feature', target: 'main', after: sha, title: 'Add a feature', source_repo: SLUG });
    expect(gogs.requestsTo('GET', /^\/api\/v1\/repos\/alice\/hello\/branches\/feature$/).length).toBeGreaterThan(0);
    expect((await finished(created.number)).status).toBe('success');
    const out = await log(created.number);
    expect(out).toContain('event=pull_request branch=main pr=7 tag= source=feature target=main');
    expect(out).toContain(`head=${sha} commit=${sha}`);
    expect(out).toContain('feature readme');
  });

  it('builds a synchronized pull request at its new head, also when Gogs failed the first delivery', async () => {
    const after = await gogs.pushToPullRequest(repo, { number: 7, branch: 'feature', files: { 'README.md': 'feature readme, second take\n' }, message: 'second take' });
    const payload = await gogs.pullRequestPayload(repo, { action: 'synchronized', number: 7, branch: 'feature', title: 'Add a feature', sender: alice });
    const count = (await builds()).length;

    gogs.fail('GET', /\/branches\/feature$/, 503);
    const failed = await gogs.deliver(repo, { event: 'pull_request', payload, delivery: 'pr-sync-1' });
    expect(failed[0].status).toBe(502);
    expect(JSON.parse(failed[0].body).message).toMatch(/Gogs.*branches.*503/);
    expect((await builds()).length).toBe(count);

    const redelivered = await gogs.deliver(repo, { event: 'pull_request', payload, delivery: 'pr-sync-1' });
    const created = JSON.parse(redelivered[0].body) as Build;
    expect(created).toMatchObject({ event: 'pull_request', action: 'synchronized', after, ref: 'refs/pull/7/head' });
    expect((await finished(created.number)).status).toBe('success');
    const out = await log(created.number);
    expect(out).toContain(`head=${after} commit=${after}`);
    expect(out).toContain('feature readme, second take');
  });

  it("builds a tag from Gogs' create event with DRONE_TAG; a push to the tag (older servers) builds nothing more", async () => {
    const { sha, deliveries } = await gogs.pushTag(repo, 'v1.0.0', alice);
    const created = JSON.parse(deliveries[0].body) as Build;
    expect(created).toMatchObject({ event: 'tag', action: 'create', ref: 'refs/tags/v1.0.0', after: sha, sender: 'alice' });
    // The create event carries no message: Hangar read it from the commit.
    expect(created.message.trim()).toBe('add main');
    expect((await finished(created.number)).status).toBe('success');
    const out = await log(created.number);
    expect(out).toContain('event=tag');
    expect(out).toContain('tag=v1.0.0');
    expect(out).toContain(`head=${sha}`);

    const count = (await builds()).length;
    const payload = await gogs.pushPayload(repo, 'refs/tags/v1.0.0', '0'.repeat(40), sha, alice);
    const push = await gogs.deliver(repo, { event: 'push', payload });
    expect(push[0].status).toBe(200);
    expect((await builds()).length).toBe(count);
  });

  it('refuses a wrong or missing signature and builds nothing', async () => {
    const payload = await gogs.pushPayload(repo, 'refs/heads/main', '0'.repeat(40), await gogs.head(repo, 'main'), alice);
    await expectBadSignaturesRefused(builds, (secret) => gogs.deliver(repo, { event: 'push', payload, secret }));
  });

  it('loses nothing when Gogs fails during a delivery: the redelivery builds once', async () => {
    const first = await expectRedeliveryBuildsOnce({
      standIn: gogs,
      provider: 'Gogs',
      contents: /\/raw\//,
      builds,
      push: () => gogs.push(repo, { 'again.txt': '1\n' }, 'while gogs is down', { sender: alice, delivery: 'delivery-503' }),
      redeliver: async (sha) => gogs.deliver(repo, { event: 'push', payload: await gogs.pushPayload(repo, 'refs/heads/main', '0'.repeat(40), sha, alice), delivery: 'delivery-503' }),
    });
    expect((await finished(first.number)).status).toBe('success');
  });

  it('answers a clear error when Gogs fails during a login, and the next login works with the same token', async () => {
    const other = new Browser();
    gogs.fail('GET', /^\/api\/v1\/users\/alice\/tokens$/, 503);
    const failed = await postForm(other, { username: 'alice', password: 'alice-secret' });
    expect(failed.status).toBe(502);
    expect(failed.body).toMatch(/Gogs did not answer properly/);
    expect(failed.setCookies.some((cookie) => cookie.startsWith('_session_='))).toBe(false);

    const retried = await postForm(other, { username: 'alice', password: 'alice-secret' });
    expect(retried.status).toBe(303);
    expect(retried.location).toBe(`${hangar.url}/`);
    expect((await sessionApi<User>(other, hangar.url, 'GET', '/api/user')).json.login).toBe('alice');
    // Gogs listed the `drone` token it made at the first login: Hangar took it rather than make another.
    expect(aliceTokens().map((token) => token.name)).toEqual(['drone']);
  });

  it('logs in on a Gogs 0.13 that lists token digests: a new working token is made and used', async () => {
    gogs.listDigests = true;
    const other = new Browser();
    const hop = await postForm(other, { username: 'alice', password: 'alice-secret' });
    expect(hop.status).toBe(303);
    expect(aliceTokens().map((token) => token.name)).toEqual(['drone', 'drone-2']);
    const fresh = aliceTokens()[1].sha1;
    const synced = await sessionApi<Repo[]>(other, hangar.url, 'POST', '/api/user/repos');
    expect(synced.status).toBe(200);
    expect(synced.json.map((r) => r.slug)).toEqual([SLUG]);
    expect(gogs.requestsTo('GET', /^\/api\/v1\/user\/repos$/).at(-1)?.headers.authorization).toBe(`token ${fresh}`);
  });

  it('disabling removes the webhook from Gogs; no status call was ever made', async () => {
    const { status, json } = await sessionApi<Repo>(browser, hangar.url, 'DELETE', `/api/repos/${SLUG}`);
    expect(status).toBe(200);
    expect(json.active).toBe(false);
    expect(repo.hooks).toHaveLength(0);
    expect(statusCalls()).toEqual([]);
  });
});
