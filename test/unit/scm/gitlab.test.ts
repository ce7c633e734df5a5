// The GitLab provider against GitLab's recorded answers and webhook payloads (shared/conformance/scm/gitlab,
// with go-scm's parsed form beside each as `.golden`): webhooks become the builds Drone would create, API
// answers become the core's shapes, and every call goes to the path, with the token, GitLab expects.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, UpstreamError } from '../../../src/core/errors.js';
import type { CommitState, HookBuild, ParsedHook, RepoRef, Scm, Token, WebhookDelivery } from '../../../src/core/scm.js';
import { createGitLab } from '../../../src/scm/gitlab/index.js';

const DATA = new URL('../../../../shared/conformance/scm/gitlab/', import.meta.url);

const raw = (name: string): string => readFileSync(new URL(name, DATA), 'utf8');
const fixture = (name: string): unknown => JSON.parse(raw(name)) as unknown;

/** A JSON object the tests read or edit (payloads and API answers). */
type Json = { [key: string]: unknown };
const obj = (value: unknown): Json => value as Json;
const list = (value: unknown): Json[] => value as Json[];

// go-scm's parsed forms, as far as the tests compare them.
interface GoldenSignature { Login: string; Name: string; Email: string; Avatar: string }
interface GoldenRepo { ID: string; Namespace: string; Name: string; Branch: string; Private: boolean; Clone: string; CloneSSH: string; Link: string; Perm: { Pull: boolean; Push: boolean; Admin: boolean } }
interface GoldenPush { Ref: string; Before: string; Repo: GoldenRepo; Commit: { Sha: string; Message: string; Link: string; Author: GoldenSignature }; Sender: GoldenSignature }
interface GoldenPullRequest { Repo: GoldenRepo; Sender: GoldenSignature; PullRequest: { Number: number; Title: string; Body: string; Sha: string; Ref: string; Source: string; Target: string; Fork: string; Link: string; Author: GoldenSignature } }
interface GoldenCommit { Sha: string; Message: string; Link: string; Author: GoldenSignature }
const golden = <T>(name: string): T => JSON.parse(raw(`${name}.golden`)) as T;

const SECRET = 'correct horse battery staple';

function delivery(event: string, body: string, extra: Record<string, string> = {}): WebhookDelivery {
  return { headers: { 'content-type': 'application/json', 'x-gitlab-event': event, 'x-gitlab-token': SECRET, 'x-gitlab-event-uuid': 'shared-by-the-push', 'idempotency-key': 'uuid-1', ...extra }, body };
}

const gitlab = createGitLab({ server: 'https://gitlab.example.com', clientId: 'id', clientSecret: 'secret', redirectUrl: 'https://ci.example.com/login', skipVerify: false, timeoutMs: 5000 });

function parse(event: string, file: string, edit?: (payload: Json) => void): ParsedHook {
  let body = raw(`webhooks/${file}`);
  if (edit) {
    const payload = obj(JSON.parse(body));
    edit(payload);
    body = JSON.stringify(payload);
  }
  return gitlab.hooks.parse(delivery(event, body));
}

function build(hook: ParsedHook): HookBuild {
  if (hook.kind !== 'build') throw new Error(`expected a build, got: ${hook.reason}`);
  return hook.build;
}

function repoOf(gold: { Repo: GoldenRepo }): { uid: string; namespace: string; name: string; slug: string } {
  return { uid: gold.Repo.ID, namespace: gold.Repo.Namespace, name: gold.Repo.Name, slug: `${gold.Repo.Namespace}/${gold.Repo.Name}` };
}

describe('GitLab webhooks: pushes and tags', () => {
  it.each(['push.json', 'push_subgroup.json', 'branch_create.json'])('%s builds a push of the pushed commit, as Drone does', (file) => {
    const gold = golden<GoldenPush>(`webhooks/${file}`);
    const hook = parse('Push Hook', file);
    expect(hook.kind).toBe('build');
    expect(hook.delivery).toBe('uuid-1');
    expect(hook.repo).toEqual(repoOf(gold));
    const branch = String(gold.Ref).replace('refs/heads/', '');
    expect(build(hook)).toEqual({
      event: 'push',
      action: '',
      ref: gold.Ref,
      before: gold.Before,
      after: gold.Commit.Sha,
      source: branch,
      target: branch,
      pullRequest: 0,
      sourceRepo: '',
      title: '',
      message: gold.Commit.Message,
      link: gold.Commit.Link,
      author: { login: gold.Commit.Author.Login, name: gold.Commit.Author.Name, email: gold.Commit.Author.Email, avatar: gold.Commit.Author.Avatar },
      sender: gold.Sender.Login,
    });
  });

  it('reads a subgroup project: the namespace is everything before the last slash', () => {
    expect(parse('Push Hook', 'push_subgroup.json').repo).toEqual({ uid: '4861503', namespace: 'group1/group2/group3', name: 'grp2repo', slug: 'group1/group2/group3/grp2repo' });
  });

  it('takes the message of the pushed head, not of the other commits of the push (a merge)', () => {
    const b = build(parse('Push Hook', 'push_merge.json'));
    expect(b.after).toBe('78a76ee6b4992a6baf64c59fc4c44c7323d60438');
    expect(b.message).toMatch(/^Merge branch 'feature' into 'master'/);
    expect(b.link).toBe('https://gitlab.com/gitlab-org/hello-world/commit/78a76ee6b4992a6baf64c59fc4c44c7323d60438');
    // Chosen by its id, wherever it is in the list.
    const reordered = build(parse('Push Hook', 'push_merge.json', (p) => (p.commits = [...list(p.commits)].reverse())));
    expect(reordered.message).toBe(b.message);
  });

  it('links the comparison when the head commit is not in the payload', () => {
    const b = build(parse('Push Hook', 'push.json', (p) => (p.commits = [])));
    expect(b.link).toBe('https://gitlab.com/gitlab-org/hello-world/-/compare/9217710ce8c7e1eae7a5d1c45f6e43e1c769f866...2adc9465c4edfc33834e173fe89436a7cb899a1d');
    expect(b.message).toBe('');
  });

  it('builds a tag push as tag/create at the tagged commit', () => {
    const gold = golden<GoldenPush>('webhooks/tag_create.json');
    const hook = parse('Tag Push Hook', 'tag_create.json');
    expect(hook.repo).toEqual(repoOf(gold));
    expect(build(hook)).toMatchObject({
      event: 'tag',
      action: 'create',
      ref: 'refs/tags/v1.0.0',
      before: gold.Before,
      after: gold.Commit.Sha,
      source: '',
      target: '',
      message: gold.Commit.Message,
      link: gold.Commit.Link,
      author: { login: 'sytses', avatar: gold.Commit.Author.Avatar },
      sender: 'sytses',
    });
  });

  it('builds an annotated tag at its commit (checkout_sha), not at the tag object (after)', () => {
    const b = build(parse('Tag Push Hook', 'tag_create.json', (p) => (p.after = 'a'.repeat(40))));
    expect(b.after).toBe('2adc9465c4edfc33834e173fe89436a7cb899a1d');
  });

  it.each([
    ['Push Hook', 'branch_delete.json'],
    ['Push Hook', 'branch_delete_subgroup.json'],
    ['Tag Push Hook', 'tag_delete.json'],
    ['Tag Push Hook', 'tag_delete_subgroup.json'],
  ])('%s %s (a deleted ref) builds nothing but still names its repository', (event, file) => {
    const gold = golden<{ Repo: GoldenRepo }>(`webhooks/${file}`);
    const hook = parse(event, file);
    expect(hook).toMatchObject({ kind: 'ignored', delivery: 'uuid-1', repo: repoOf(gold) });
  });
});

describe('GitLab webhooks: merge requests', () => {
  function expectMergeRequest(file: string, action: string, edit?: (payload: Json) => void): void {
    const gold = golden<GoldenPullRequest>(`webhooks/${file}`);
    const source = obj(obj(obj(fixture(`webhooks/${file}`)).object_attributes).source);
    const hook = parse('Merge Request Hook', file, edit);
    expect(hook.repo).toEqual(repoOf(gold));
    const pr = gold.PullRequest;
    expect(build(hook)).toEqual({
      event: 'pull_request',
      action,
      ref: pr.Ref,
      before: '',
      after: pr.Sha,
      source: pr.Source,
      target: pr.Target,
      pullRequest: pr.Number,
      // go-scm joins the source's namespace *name* with its project name (`sytses/hello-world`, `group3/grp2repo`);
      // the project's path is what a Drone slug is compared with (ignore_forks).
      sourceRepo: source.path_with_namespace,
      title: pr.Title,
      message: pr.Body || pr.Title,
      link: pr.Link,
      author: { login: pr.Author.Login, name: pr.Author.Name, email: '', avatar: pr.Author.Avatar },
      sender: gold.Sender.Login,
    });
  }

  it('builds an opened merge request at its last commit on refs/merge-requests/N/head', () => expectMergeRequest('pull_request_create.json', 'opened'));
  it('reads a merge request of a subgroup project', () => expectMergeRequest('merge_request_subgroup.json', 'opened'));
  it('builds a reopened merge request', () => expectMergeRequest('pull_request_reopen.json', 'reopened'));
  it('gives a closed merge request as a build with action closed', () => expectMergeRequest('pull_request_close.json', 'closed'));

  it('builds an update that brings new commits (oldrev) as synchronized', () => {
    expectMergeRequest('pull_request_create.json', 'synchronized', (p) => {
      obj(p.object_attributes).action = 'update';
      obj(p.object_attributes).oldrev = 'ae1d9fb46aa2b07ee9836d49862ec4e2c46fbbba';
    });
  });

  it('takes the title as the message when the description is empty', () => {
    const b = build(parse('Merge Request Hook', 'pull_request_create.json', (p) => (obj(p.object_attributes).description = '')));
    expect(b.message).toBe('update readme');
  });

  it.each([
    ['pull_request_merge.json', 'a merge'],
    ['pull_request_review_ready.json', 'a draft change without new commits'],
  ])('builds nothing for %s (%s)', (file) => {
    const gold = golden<{ Repo: GoldenRepo }>(`webhooks/${file}`);
    expect(parse('Merge Request Hook', file)).toMatchObject({ kind: 'ignored', repo: repoOf(gold) });
  });

  it('builds nothing for an update that only edits the title', () => {
    expect(parse('Merge Request Hook', 'pull_request_create.json', (p) => (obj(p.object_attributes).action = 'update')).kind).toBe('ignored');
  });
});

describe('GitLab webhooks: events Drone ignores', () => {
  it.each([
    ['Issue Hook', 'issue_create.json'],
    ['Issue Hook', 'issue_closed.json'],
    ['Issue Hook', 'issue_edited.json'],
    ['Issue Hook', 'issue_labeled.json'],
    ['Issue Hook', 'issue_reopen.json'],
    ['Note Hook', 'issue_comment_create.json'],
    ['Note Hook', 'merge_request_comment_create.json'],
    ['Note Hook', 'merge_request_comment_subgroup.json'],
    ['Note Hook', 'review_comment_create.json'],
    ['Pipeline Hook', 'pipeline_hook.json'],
    ['Pipeline Hook', 'pipeline_subgroup.json'],
    ['System Hook', 'push.json'],
  ])('%s (%s) builds nothing', (event, file) => {
    const hook = parse(event, file);
    expect(hook.kind).toBe('ignored');
    const project = obj(obj(fixture(`webhooks/${file}`)).project);
    expect(hook.repo?.slug).toBe(project.path_with_namespace);
  });

  it('reads the delivery id from X-Gitlab-Webhook-UUID before GitLab 17.4, never from the event UUID one push shares', () => {
    const body = raw('webhooks/push.json');
    expect(gitlab.hooks.parse({ headers: { 'x-gitlab-event': 'Push Hook', 'x-gitlab-webhook-uuid': 'hook-uuid', 'x-gitlab-event-uuid': 'shared' }, body }).delivery).toBe('hook-uuid');
    expect(gitlab.hooks.parse({ headers: { 'x-gitlab-event': 'Push Hook', 'x-gitlab-event-uuid': 'shared' }, body }).delivery).toBe('');
    expect(gitlab.hooks.parse({ headers: { 'x-gitlab-event': 'Push Hook' }, body }).delivery).toBe('');
  });

  it('refuses a body that is not JSON', () => {
    expect(() => gitlab.hooks.parse(delivery('Push Hook', 'not json'))).toThrow(BadRequestError);
  });
});

describe('GitLab webhooks: which deliveries are GitLab\'s, and their secret token', () => {
  const providers: Record<string, Record<string, string>> = {
    gitlab: { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': SECRET, 'x-gitlab-event-uuid': 'u', 'x-gitlab-instance': 'https://gitlab.com' },
    github: { 'x-github-event': 'push', 'x-github-delivery': 'd', 'x-hub-signature-256': 'sha256=00' },
    gitea: { 'x-gitea-event': 'push', 'x-gitea-delivery': 'd', 'x-gitea-signature': '00', 'x-gogs-event': 'push', 'x-gogs-delivery': 'd', 'x-gogs-signature': '00', 'x-github-event': 'push', 'x-github-delivery': 'd', 'x-hub-signature-256': 'sha256=00' },
    gogs: { 'x-gogs-event': 'push', 'x-gogs-delivery': 'd', 'x-gogs-signature': '00' },
  };
  it.each(Object.entries(providers))('a %s delivery is accepted only if it is GitLab\'s', (name, headers) => {
    expect(gitlab.hooks.accepts({ headers, body: '{}' })).toBe(name === 'gitlab');
  });

  const body = raw('webhooks/push.json');
  it('verifies the token GitLab sends back', async () => {
    expect(await gitlab.hooks.verify(delivery('Push Hook', body), SECRET)).toBe(true);
  });
  it('refuses a wrong token, a token of another length, an empty secret and a missing header', async () => {
    expect(await gitlab.hooks.verify(delivery('Push Hook', body, { 'x-gitlab-token': 'correct horse battery stapLe' }), SECRET)).toBe(false);
    expect(await gitlab.hooks.verify(delivery('Push Hook', body, { 'x-gitlab-token': 'short' }), SECRET)).toBe(false);
    expect(await gitlab.hooks.verify(delivery('Push Hook', body), '')).toBe(false);
    expect(await gitlab.hooks.verify({ headers: { 'x-gitlab-event': 'Push Hook' }, body }, SECRET)).toBe(false);
  });
  it('cannot detect a tampered body: the token is not a signature (GitLab signs nothing)', async () => {
    expect(await gitlab.hooks.verify(delivery('Push Hook', body.replace('added readme', 'tampered')), SECRET)).toBe(true);
  });
});

// ---- the REST API, against a local server answering the recorded JSON ----

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}
interface Answer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}
type Route = (seen: Seen) => Answer;

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A GitLab at a local address answering `routes` ("METHOD /path" → answer), 404 to anything else. */
async function fakeGitLab(routes: Record<string, Route>): Promise<{ scm: Scm; seen: Seen[]; base: string }> {
  const seen: Seen[] = [];
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      // The raw path: escaped slashes (%2F) must reach GitLab as they were sent.
      const path = (request.url ?? '/').split('?')[0];
      const entry: Seen = { method: request.method ?? '', path, query: url.searchParams, authorization: request.headers.authorization, contentType: request.headers['content-type'], body };
      seen.push(entry);
      const route = routes[`${entry.method} ${path}`];
      const answer = route ? route(entry) : { status: 404, body: { message: '404 Not Found' } };
      response.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
      response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const scm = createGitLab({ server: `${base}/`, clientId: 'client-id', clientSecret: 'client-secret', redirectUrl: 'https://ci.example.com/login', skipVerify: false, timeoutMs: 5000 });
  return { scm, seen, base };
}

const token: Token = { access: 'access-token', refresh: 'refresh-token', expiry: 0 };
const repoRef: RepoRef = { uid: '178504', namespace: 'diaspora', name: 'diaspora', slug: 'diaspora/diaspora', git_http_url: 'https://gitlab.com/diaspora/diaspora.git' };
const json = (name: string): Route => () => ({ body: fixture(name) });

function expectRemoteRepo(got: unknown, gold: GoldenRepo): void {
  expect(got).toMatchObject({
    uid: gold.ID,
    namespace: gold.Namespace,
    name: gold.Name,
    slug: `${gold.Namespace}/${gold.Name}`,
    git_http_url: gold.Clone,
    git_ssh_url: gold.CloneSSH,
    link: gold.Link,
    default_branch: gold.Branch,
    private: gold.Private,
    visibility: 'public',
    archived: false,
    permissions: { read: gold.Perm.Pull, write: gold.Perm.Push, admin: gold.Perm.Admin },
  });
}

describe('GitLab repositories', () => {
  it('finds a project by its escaped path, with the bearer token; a public project of a non-member is read-only', async () => {
    const { scm, seen } = await fakeGitLab({ 'GET /api/v4/projects/diaspora%2Fdiaspora': json('repo.json') });
    expectRemoteRepo(await scm.repos?.find(token, 'diaspora/diaspora'), golden<GoldenRepo>('repo.json'));
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/api/v4/projects/diaspora%2Fdiaspora', authorization: 'Bearer access-token' });
  });

  it('reads a subgroup project: the namespace is its full path', async () => {
    const gold = golden<GoldenRepo>('subgroup.json');
    const { scm, seen } = await fakeGitLab({ 'GET /api/v4/projects/gitlab-org%2Fgitter%2Fgitter-demo-app': json('subgroup.json') });
    const got = await scm.repos?.find(token, 'gitlab-org/gitter/gitter-demo-app');
    expect(seen).toHaveLength(1);
    expect(got).toMatchObject({
      uid: gold.ID,
      namespace: gold.Namespace,
      name: gold.Name,
      slug: 'gitlab-org/gitter/gitter-demo-app',
      git_http_url: gold.Clone,
      git_ssh_url: gold.CloneSSH,
      link: gold.Link,
      default_branch: gold.Branch,
      permissions: { read: gold.Perm.Pull, write: gold.Perm.Push, admin: gold.Perm.Admin },
    });
    // This answer names no visibility; go-scm then calls the project public. We do not guess in the open
    // direction: an unknown visibility is private, so clones keep their credentials.
    expect(got).toMatchObject({ private: true, visibility: 'private' });
  });

  it('lists the member projects page after page, following the Link header', async () => {
    const page2 = { ...obj(fixture('repo.json')), id: 2, path: 'api', path_with_namespace: 'group/sub/api', namespace: { full_path: 'group/sub', path: 'sub' }, visibility: 'internal', permissions: { project_access: { access_level: 30 }, group_access: null } };
    const { scm, seen, base } = await fakeGitLab({
      'GET /api/v4/projects': ({ query }) =>
        query.get('page') === '1' ? { body: fixture('repos.json'), headers: { link: `<${base}/api/v4/projects?membership=true&page=2&per_page=100>; rel="next"` } } : { body: [page2] },
    });
    const repos = (await scm.repos?.list(token)) ?? [];
    expect(repos).toHaveLength(2);
    expectRemoteRepo(repos[0], golden<GoldenRepo[]>('repos.json')[0]);
    expect(repos[1]).toMatchObject({ uid: '2', namespace: 'group/sub', name: 'api', slug: 'group/sub/api', visibility: 'internal', private: true, permissions: { read: true, write: true, admin: false } });
    expect(seen.map((s) => [s.method, s.path, s.query.get('membership'), s.query.get('page'), s.authorization])).toEqual([
      ['GET', '/api/v4/projects', 'true', '1', 'Bearer access-token'],
      ['GET', '/api/v4/projects', 'true', '2', 'Bearer access-token'],
    ]);
  });

  it.each([
    [{ project_access: { access_level: 10 }, group_access: null }, { read: true, write: false, admin: false }],
    [{ project_access: null, group_access: { access_level: 20 } }, { read: true, write: false, admin: false }],
    [{ project_access: { access_level: 30 }, group_access: null }, { read: true, write: true, admin: false }],
    [{ project_access: { access_level: 30 }, group_access: { access_level: 20 } }, { read: true, write: true, admin: false }],
    [{ project_access: { access_level: 20 }, group_access: { access_level: 40 } }, { read: true, write: true, admin: true }],
    [{ project_access: { access_level: 50 }, group_access: null }, { read: true, write: true, admin: true }],
  ])('gives the higher of the project and group access levels: %j', async (permissions, expected) => {
    const { scm } = await fakeGitLab({ 'GET /api/v4/projects/diaspora%2Fdiaspora': () => ({ body: { ...obj(fixture('repo.json')), visibility: 'private', permissions } }) });
    expect(await scm.repos?.find(token, 'diaspora/diaspora')).toMatchObject({ permissions: expected, private: true, visibility: 'private' });
  });

  it('gives NotFoundError for a project the user cannot see', async () => {
    const { scm } = await fakeGitLab({});
    await expect(scm.repos?.find(token, 'secret/project')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('enabling deletes the hooks aimed at this server\'s host and creates one with the secret and events', async () => {
    const hooks = [
      { ...list(fixture('hooks.json'))[0], id: 1, url: 'https://ci.example.com/hook' },
      { ...list(fixture('hooks.json'))[0], id: 2, url: 'http://example.com/hook' },
    ];
    const { scm, seen } = await fakeGitLab({
      'GET /api/v4/projects/178504/hooks': () => ({ body: hooks }),
      'DELETE /api/v4/projects/178504/hooks/1': () => ({ status: 204 }),
      'POST /api/v4/projects/178504/hooks': () => ({ status: 201, body: fixture('hook.json') }),
    });
    await scm.repos?.createHook(token, repoRef, { url: 'https://ci.example.com/hook', secret: 'repo-secret', events: ['push', 'pull_request', 'tag', 'branch', 'deployment'] });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /api/v4/projects/178504/hooks', 'DELETE /api/v4/projects/178504/hooks/1', 'POST /api/v4/projects/178504/hooks', 'GET /api/v4/projects/178504/hooks']);
    expect(seen.every((s) => s.authorization === 'Bearer access-token')).toBe(true);
    expect(seen[2].contentType).toBe('application/json');
    expect(JSON.parse(seen[2].body)).toEqual({ url: 'https://ci.example.com/hook', token: 'repo-secret', push_events: true, tag_push_events: true, merge_requests_events: true, enable_ssl_verification: true });
  });

  it('turns off the events Drone was not asked for (GitLab sends pushes by default)', async () => {
    const { scm, seen } = await fakeGitLab({ 'GET /api/v4/projects/178504/hooks': () => ({ body: [] }), 'POST /api/v4/projects/178504/hooks': () => ({ status: 201, body: {} }) });
    await scm.repos?.createHook(token, repoRef, { url: 'https://ci.example.com/hook', secret: 's', events: ['pull_request'] });
    expect(JSON.parse(seen[1].body)).toMatchObject({ push_events: false, tag_push_events: false, merge_requests_events: true });
  });

  it('addresses a project by its escaped path when its id is unknown', async () => {
    const { scm, seen } = await fakeGitLab({ 'GET /api/v4/projects/group%2Fsub%2Fapi/hooks': () => ({ body: [] }) });
    await scm.repos?.deleteHook(token, { ...repoRef, uid: '', slug: 'group/sub/api' }, 'https://ci.example.com/hook');
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /api/v4/projects/group%2Fsub%2Fapi/hooks']);
  });
});

describe('GitLab contents', () => {
  it('reads a file at a commit: escaped path, ref in the query, base64 decoded', async () => {
    const { scm, seen } = await fakeGitLab({ 'GET /api/v4/projects/178504/repository/files/app%2Fmodels%2Fkey%2Erb': json('content.json') });
    expect(await scm.contents.readFile(token, repoRef, 'd5a3ff139356ce33e37e73add446f16869741b50', 'app/models/key.rb')).toBe(raw('content.rb'));
    expect(seen[0]).toMatchObject({ method: 'GET', authorization: 'Bearer access-token' });
    expect(seen[0].query.get('ref')).toBe('d5a3ff139356ce33e37e73add446f16869741b50');
  });

  it('gives undefined for a file that does not exist, and UpstreamError when GitLab fails', async () => {
    const { scm } = await fakeGitLab({ 'GET /api/v4/projects/178504/repository/files/broken%2Eyml': () => ({ status: 502, body: { message: 'bad gateway' } }) });
    expect(await scm.contents.readFile(token, repoRef, 'abc', '.drone.yml')).toBeUndefined();
    await expect(scm.contents.readFile(token, repoRef, 'abc', 'broken.yml')).rejects.toBeInstanceOf(UpstreamError);
  });

  it('reads a commit', async () => {
    const gold = golden<GoldenCommit>('commit.json');
    const { scm, seen } = await fakeGitLab({ 'GET /api/v4/projects/178504/repository/commits/6104942438c14ec7bd21c6cd5bd995272b3faff6': json('commit.json') });
    expect(await scm.contents.commit(token, repoRef, '6104942438c14ec7bd21c6cd5bd995272b3faff6')).toEqual({
      sha: gold.Sha,
      message: gold.Message,
      link: gold.Link,
      author: { login: gold.Author.Login, name: gold.Author.Name, email: gold.Author.Email, avatar: gold.Author.Avatar },
    });
    expect(seen[0].authorization).toBe('Bearer access-token');
  });

  it('resolves a branch or a tag with slashes by its escaped short name', async () => {
    const { scm, seen } = await fakeGitLab({
      'GET /api/v4/projects/178504/repository/commits/feature%2Flogin': json('commit.json'),
      'GET /api/v4/projects/178504/repository/commits/v1.0': json('commit.json'),
    });
    expect((await scm.contents.findCommit(token, repoRef, 'refs/heads/feature/login')).sha).toBe('6104942438c14ec7bd21c6cd5bd995272b3faff6');
    await scm.contents.findCommit(token, repoRef, 'refs/tags/v1.0');
    expect(seen.map((s) => s.path)).toEqual(['/api/v4/projects/178504/repository/commits/feature%2Flogin', '/api/v4/projects/178504/repository/commits/v1.0']);
  });

  it('gives NotFoundError for an unknown commit, UpstreamError when GitLab fails', async () => {
    const { scm } = await fakeGitLab({ 'GET /api/v4/projects/178504/repository/commits/boom': () => ({ status: 500 }) });
    await expect(scm.contents.commit(token, repoRef, 'nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(scm.contents.commit(token, repoRef, 'boom')).rejects.toBeInstanceOf(UpstreamError);
  });
});

describe('GitLab commit statuses', () => {
  const status = { sha: '18f3e63d05582537db6d183d9d557be09e1f90c8', context: 'continuous-integration/drone/push', title: 'Build #12', description: 'Build is failing', target: 'https://ci.example.com/diaspora/diaspora/12' };

  it('posts the mapped state with the context as name, the description and the target URL', async () => {
    const { scm, seen } = await fakeGitLab({ [`POST /api/v4/projects/178504/statuses/${status.sha}`]: () => ({ status: 201, body: fixture('status.json') }) });
    await scm.statuses?.setStatus(token, repoRef, { ...status, state: 'failure' });
    expect(seen[0]).toMatchObject({ method: 'POST', authorization: 'Bearer access-token', contentType: 'application/json' });
    expect(JSON.parse(seen[0].body)).toEqual({ state: 'failed', name: status.context, target_url: status.target, description: 'Build is failing' });
  });

  it('maps Drone\'s states to GitLab\'s as go-scm does', async () => {
    const { scm, seen } = await fakeGitLab({ [`POST /api/v4/projects/178504/statuses/${status.sha}`]: () => ({ status: 201, body: {} }) });
    const states: CommitState[] = ['pending', 'running', 'success', 'failure', 'error', 'canceled', 'skipped', 'unknown'];
    for (const state of states) await scm.statuses?.setStatus(token, repoRef, { ...status, state });
    expect(seen.map((s) => (JSON.parse(s.body) as { state: string }).state)).toEqual(['pending', 'running', 'success', 'failed', 'failed', 'canceled', 'failed', 'failed']);
  });

  it('takes GitLab\'s refusal to set the state it already has as done; other refusals fail', async () => {
    let message = 'Cannot transition status via :run from :running (Reason(s): Status cannot transition via "run")';
    const { scm } = await fakeGitLab({ [`POST /api/v4/projects/178504/statuses/${status.sha}`]: () => ({ status: 400, body: { message } }) });
    await expect(scm.statuses?.setStatus(token, repoRef, { ...status, state: 'running' })).resolves.toBeUndefined();
    message = 'state is missing';
    await expect(scm.statuses?.setStatus(token, repoRef, { ...status, state: 'running' })).rejects.toBeInstanceOf(UpstreamError);
  });
});

describe('GitLab login', () => {
  it('sends the browser to /oauth/authorize with the configured redirect URL and no scope, as Drone does', async () => {
    const { scm, base } = await fakeGitLab({});
    if (scm.login?.kind !== 'oauth2') throw new Error('GitLab logs in with OAuth2');
    const url = new URL(scm.login.authorizeUrl('state-1', 'https://ignored.example.com/login'));
    expect(`${url.origin}${url.pathname}`).toBe(`${base}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'client-id', response_type: 'code', state: 'state-1', redirect_uri: 'https://ci.example.com/login' });
  });

  it('exchanges a code and refreshes an expiring token at /oauth/token, keeping the rotated refresh token', async () => {
    const { scm, seen } = await fakeGitLab({
      'POST /oauth/token': ({ body }) => {
        const form = new URLSearchParams(body);
        return form.get('grant_type') === 'authorization_code'
          ? { body: { access_token: 'first', refresh_token: 'r1', expires_in: 7200, token_type: 'Bearer' } }
          : { body: { access_token: 'second', refresh_token: 'r2', expires_in: 7200, token_type: 'Bearer' } };
      },
    });
    if (scm.login?.kind !== 'oauth2') throw new Error('GitLab logs in with OAuth2');
    const now = Math.floor(Date.now() / 1000);
    const first = await scm.login.exchange('code-1', 'https://ignored.example.com/login');
    expect(first).toMatchObject({ access: 'first', refresh: 'r1' });
    expect(first.expiry).toBeGreaterThanOrEqual(now + 7200);
    expect(Object.fromEntries(new URLSearchParams(seen[0].body))).toEqual({ grant_type: 'authorization_code', code: 'code-1', client_id: 'client-id', client_secret: 'client-secret', redirect_uri: 'https://ci.example.com/login' });
    const second = await scm.login.refresh?.(first);
    expect(second).toMatchObject({ access: 'second', refresh: 'r2' });
    expect(Object.fromEntries(new URLSearchParams(seen[1].body))).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'r1' });
  });

  it('reads the account from /user', async () => {
    const gold = golden<GoldenSignature>('user.json');
    const { scm, seen } = await fakeGitLab({ 'GET /api/v4/user': json('user.json') });
    expect(await scm.login?.user(token)).toEqual({ login: gold.Login, email: gold.Email, avatar: gold.Avatar, created: Date.parse('2012-05-23T08:00:58Z') / 1000 });
    expect(seen[0].authorization).toBe('Bearer access-token');
  });

  it('lists the groups the user is a member of by their full path', async () => {
    const { scm, seen } = await fakeGitLab({ 'GET /api/v4/groups': () => ({ body: [...list(fixture('groups.json')), { ...list(fixture('groups.json'))[0], path: 'infra', full_path: 'twitter/infra' }] }) });
    expect(await scm.login?.orgs(token)).toEqual([golden<Array<{ Name: string }>>('groups.json')[0].Name, 'twitter/infra']);
    expect(seen[0].query.get('min_access_level')).toBe('10');
  });
});

describe('GitLab provider', () => {
  it('is named gitlab and clones with oauth2 and the token, as Drone\'s netrc does for GitLab', () => {
    expect(gitlab.name).toBe('gitlab');
    expect(gitlab.cloneLogin?.({ access: 'tok', refresh: '', expiry: 0 })).toEqual({ login: 'oauth2', password: 'tok' });
  });
});
