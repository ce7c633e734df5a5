// The Gogs provider against Gogs' recorded webhook payloads and API answers (shared/conformance/scm/gogs,
// with go-scm's parsed form beside them as `.golden`): what builds and what is ignored, signatures, and the
// calls made to a small local server that answers the recorded JSON (paths, methods, Authorization).

import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, UnauthorizedError, UpstreamError } from '../../../src/core/errors.js';
import type { HookBuild, ParsedHook, RepoRef, Scm, Token, WebhookDelivery } from '../../../src/core/scm.js';
import { githubWebhooks } from '../../../src/scm/github/webhooks.js';
import { createGogs } from '../../../src/scm/gogs/index.js';

const DATA = new URL('../../../../shared/conformance/scm/gogs/', import.meta.url);

function recorded(name: string): string {
  return readFileSync(new URL(name, DATA), 'utf8');
}

/** A recorded file as loose JSON; fields are read through `at`. */
function json(name: string): unknown {
  return JSON.parse(recorded(name)) as unknown;
}

function at(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) current = (current as Record<string | number, unknown> | undefined)?.[key];
  return current;
}

function str(value: unknown, ...path: Array<string | number>): string {
  const found = at(value, ...path);
  if (typeof found !== 'string') throw new Error(`no string at ${path.join('.')}`);
  return found;
}

const gogs = (): Scm => createGogs({ server: 'http://gogs.invalid', skipVerify: false, timeoutMs: 2000 });

function delivery(event: string, body: string, extra: Record<string, string> = {}): WebhookDelivery {
  return {
    headers: { 'content-type': 'application/json', 'x-gogs-event': event, 'x-gogs-delivery': 'f6266f16-1bf3-46a5-9ea4-602e06ead473', 'x-github-event': event, ...extra },
    body,
  };
}

function parse(event: string, file: string): ParsedHook {
  return gogs().hooks.parse(delivery(event, recorded(`webhooks/${file}`)));
}

function built(hook: ParsedHook): HookBuild {
  if (hook.kind !== 'build') throw new Error(`expected a build, got: ${hook.reason}`);
  return hook.build;
}

/** The repository every recorded webhook names, as go-scm parsed it. */
function expectGoldenRepo(hook: ParsedHook, golden: unknown): void {
  expect(hook.repo).toEqual({ uid: str(golden, 'Repo', 'ID'), namespace: str(golden, 'Repo', 'Namespace'), name: str(golden, 'Repo', 'Name'), slug: 'gogits/hello-world' });
}

describe('Gogs webhooks: what builds', () => {
  it('builds a branch push with the head commit, the compare link and the sender avatar', () => {
    const golden = json('webhooks/push.json.golden');
    const hook = parse('push', 'push.json');
    expect(hook.delivery).toBe('f6266f16-1bf3-46a5-9ea4-602e06ead473');
    expectGoldenRepo(hook, golden);
    expect(built(hook)).toEqual({
      event: 'push',
      action: '',
      ref: str(golden, 'Ref'),
      before: '9836a96a253cce25d17988fcf41b8c4205cf779f',
      after: str(golden, 'Commit', 'Sha'),
      source: 'master',
      target: 'master',
      pullRequest: 0,
      sourceRepo: '',
      title: '',
      message: str(golden, 'Commit', 'Message'),
      link: str(golden, 'Commit', 'Link'),
      author: {
        login: str(golden, 'Commit', 'Author', 'Login'),
        name: str(golden, 'Commit', 'Author', 'Name'),
        email: str(golden, 'Commit', 'Author', 'Email'),
        avatar: str(golden, 'Sender', 'Avatar'),
      },
      sender: str(golden, 'Sender', 'Login'),
    });
  });

  it('takes the message and author from the commit the push ends at, whatever the order of `commits`', () => {
    const payload = json('webhooks/push.json') as Record<string, unknown>;
    const head = at(payload, 'commits', 0) as Record<string, unknown>;
    const older = { ...head, id: '9836a96a253cce25d17988fcf41b8c4205cf779f', message: 'older commit\n', author: { name: 'Someone', email: 's@example.com', username: 'someone' } };
    const body = JSON.stringify({ ...payload, commits: [older, head] });
    const build = built(gogs().hooks.parse(delivery('push', body)));
    expect(build.message).toBe('Updated readme\n');
    expect(build.author.login).toBe('unknwon');
  });

  it('links a new branch push (no compare page) to its head commit', () => {
    const payload = json('webhooks/push.json') as Record<string, unknown>;
    const body = JSON.stringify({ ...payload, before: '0'.repeat(40), compare_url: '' });
    expect(built(gogs().hooks.parse(delivery('push', body))).link).toBe(str(payload, 'commits', 0, 'url'));
  });

  it('builds a tag from the create event, named refs/tags/<name>, at the payload sha, by the sender', () => {
    const golden = json('webhooks/tag_create.json.golden');
    const hook = parse('create', 'tag_create.json');
    expectGoldenRepo(hook, golden);
    const name = str(golden, 'Ref', 'Name');
    expect(built(hook)).toEqual({
      event: 'tag',
      action: 'create',
      ref: `refs/tags/${name}`,
      before: '',
      after: str(golden, 'Ref', 'Sha'),
      source: name,
      target: name,
      pullRequest: 0,
      sourceRepo: '',
      title: '',
      message: '',
      link: '',
      author: { login: str(golden, 'Sender', 'Login'), name: str(golden, 'Sender', 'Name'), email: str(golden, 'Sender', 'Email'), avatar: str(golden, 'Sender', 'Avatar') },
      sender: str(golden, 'Sender', 'Login'),
    });
  });

  it.each([
    ['pull_request_opened.json', 'opened'],
    ['pull_request_synchronized.json', 'synchronized'],
    ['pull_request_closed.json', 'closed'],
  ])('builds %s as a pull request, action %s', (file, action) => {
    const golden = json(`webhooks/${file}.golden`);
    const hook = parse('pull_request', file);
    expectGoldenRepo(hook, golden);
    const pr = at(golden, 'PullRequest');
    const title = str(pr, 'Title');
    expect(built(hook)).toEqual({
      event: 'pull_request',
      action,
      ref: str(pr, 'Ref'),
      // Gogs' pull request payload names no commit (go-scm's Sha is empty too).
      before: '',
      after: '',
      source: str(pr, 'Source'),
      target: str(pr, 'Target'),
      pullRequest: at(pr, 'Number'),
      sourceRepo: str(pr, 'Fork'),
      title,
      message: str(pr, 'Body') || title,
      link: str(pr, 'Link'),
      author: { login: str(pr, 'Author', 'Login'), name: str(pr, 'Author', 'Name'), email: str(pr, 'Author', 'Email'), avatar: str(pr, 'Author', 'Avatar') },
      sender: str(golden, 'Sender', 'Login'),
    });
  });

  it('uses the pull request body as the message when it has one, and builds a reopened pull request', () => {
    const payload = json('webhooks/pull_request_opened.json') as Record<string, unknown>;
    const pr = { ...(at(payload, 'pull_request') as Record<string, unknown>), body: 'the details' };
    const build = built(gogs().hooks.parse(delivery('pull_request', JSON.stringify({ ...payload, action: 'reopened', pull_request: pr }))));
    expect(build.action).toBe('reopened');
    expect(build.message).toBe('the details');
    expect(build.title).toBe('huge improvements');
  });

  it('names a fork pull request by the head repository', () => {
    const payload = json('webhooks/pull_request_opened.json') as Record<string, unknown>;
    const pr = at(payload, 'pull_request') as Record<string, unknown>;
    const headRepo = { ...(pr.head_repo as Record<string, unknown>), full_name: 'someone/hello-world' };
    const build = built(gogs().hooks.parse(delivery('pull_request', JSON.stringify({ ...payload, pull_request: { ...pr, head_repo: headRepo } }))));
    expect(build.sourceRepo).toBe('someone/hello-world');
  });
});

describe('Gogs webhooks: what Drone ignores', () => {
  it.each([
    ['create', 'branch_create.json'],
    ['delete', 'branch_delete.json'],
    ['delete', 'tag_delete.json'],
    ['pull_request', 'pull_request_edited.json'],
    ['issues', 'issues_opened.json'],
    ['issues', 'issues_closed.json'],
    ['issue_comment', 'issue_comment_created.json'],
    ['issue_comment', 'issue_comment_edited.json'],
    ['issue_comment', 'issue_comment_deleted.json'],
    ['issue_comment', 'pull_request_comment_created.json'],
    ['issue_comment', 'pull_request_comment_edited.json'],
    ['issue_comment', 'pull_request_comment_deleted.json'],
  ])('%s %s builds nothing but names its repository (so its signature is still checked)', (event, file) => {
    const hook = parse(event, file);
    expect(hook.kind).toBe('ignored');
    expect(hook.repo?.slug).toBe('gogits/hello-world');
    expect(hook.repo?.uid).toBe('61');
  });

  it('covers every recorded payload in one of the tables above', () => {
    const covered = new Set([
      'push.json', 'tag_create.json', 'pull_request_opened.json', 'pull_request_synchronized.json', 'pull_request_closed.json',
      'branch_create.json', 'branch_delete.json', 'tag_delete.json', 'pull_request_edited.json', 'issues_opened.json', 'issues_closed.json',
      'issue_comment_created.json', 'issue_comment_edited.json', 'issue_comment_deleted.json',
      'pull_request_comment_created.json', 'pull_request_comment_edited.json', 'pull_request_comment_deleted.json',
    ]);
    const files = readdirSync(new URL('webhooks/', DATA)).filter((file) => file.endsWith('.json'));
    expect(files.filter((file) => !covered.has(file))).toEqual([]);
  });

  it('ignores a push that deletes its branch', () => {
    const payload = json('webhooks/push.json') as Record<string, unknown>;
    const hook = gogs().hooks.parse(delivery('push', JSON.stringify({ ...payload, after: '0'.repeat(40), commits: [] })));
    expect(hook.kind).toBe('ignored');
  });

  it('ignores a push to refs/tags, so a tag builds once (from its create event)', () => {
    const payload = json('webhooks/push.json') as Record<string, unknown>;
    const hook = gogs().hooks.parse(delivery('push', JSON.stringify({ ...payload, ref: 'refs/tags/v1.0.0' })));
    expect(hook.kind).toBe('ignored');
  });

  it('ignores pull request actions other than opened, synchronized, reopened and closed', () => {
    const payload = json('webhooks/pull_request_opened.json') as Record<string, unknown>;
    for (const action of ['label_updated', 'assigned', 'milestoned']) {
      expect(gogs().hooks.parse(delivery('pull_request', JSON.stringify({ ...payload, action }))).kind).toBe('ignored');
    }
  });

  it('rejects a body that is not JSON', () => {
    expect(() => gogs().hooks.parse(delivery('push', 'not json'))).toThrow(BadRequestError);
  });
});

describe('Gogs webhooks: which deliveries are Gogs', () => {
  const body = recorded('webhooks/push.json');
  const senders: Record<string, Record<string, string>> = {
    gogs: { 'x-gogs-event': 'push', 'x-gogs-delivery': 'd', 'x-gogs-signature': 'ab', 'x-github-event': 'push', 'x-github-delivery': 'd' },
    gitea: { 'x-gitea-event': 'push', 'x-gitea-delivery': 'd', 'x-gogs-event': 'push', 'x-gogs-delivery': 'd', 'x-github-event': 'push', 'x-github-delivery': 'd', 'x-gitea-signature': 'ab', 'x-gogs-signature': 'ab' },
    forgejo: { 'x-forgejo-event': 'push', 'x-gitea-event': 'push', 'x-gogs-event': 'push', 'x-github-event': 'push' },
    github: { 'x-github-event': 'push', 'x-github-delivery': 'd', 'x-hub-signature-256': 'sha256=ab' },
    gitlab: { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'secret' },
    none: {},
  };

  it.each(Object.keys(senders))('a %s delivery', (sender) => {
    expect(gogs().hooks.accepts({ headers: senders[sender], body })).toBe(sender === 'gogs');
  });

  it('is not taken for GitHub, though Gogs sends X-GitHub-Event too', () => {
    expect(githubWebhooks.accepts({ headers: senders.gogs, body })).toBe(false);
  });
});

describe('Gogs webhook signatures', () => {
  const body = recorded('webhooks/push.json');
  const sign = (secret: string, text: string): string => createHmac('sha256', secret).update(text).digest('hex');

  it('accepts the bare hex HMAC-SHA256 of the body made with the repository secret', async () => {
    expect(await gogs().hooks.verify(delivery('push', body, { 'x-gogs-signature': sign('s3cret', body) }), 's3cret')).toBe(true);
    expect(await gogs().hooks.verify(delivery('push', body, { 'x-gogs-signature': sign('s3cret', body).toUpperCase() }), 's3cret')).toBe(true);
  });

  it('refuses a signature made with another secret', async () => {
    expect(await gogs().hooks.verify(delivery('push', body, { 'x-gogs-signature': sign('other', body) }), 's3cret')).toBe(false);
  });

  it('refuses a body changed after signing', async () => {
    const tampered = body.replace('Updated readme', 'Updated README');
    expect(await gogs().hooks.verify(delivery('push', tampered, { 'x-gogs-signature': sign('s3cret', body) }), 's3cret')).toBe(false);
  });

  it('refuses a delivery without a signature, or with a malformed one', async () => {
    expect(await gogs().hooks.verify(delivery('push', body), 's3cret')).toBe(false);
    expect(await gogs().hooks.verify(delivery('push', body, { 'x-gogs-signature': `sha256=${sign('s3cret', body)}` }), 's3cret')).toBe(false);
    expect(await gogs().hooks.verify(delivery('push', body, { 'x-gogs-signature': sign('s3cret', body).slice(0, 40) }), 's3cret')).toBe(false);
  });
});

// ----- the API, against a local server answering the recorded JSON -----

interface Seen {
  method: string;
  path: string;
  query: string;
  authorization: string | undefined;
  body: string;
}

interface Answer {
  status?: number;
  body?: string;
  type?: string;
}

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A Gogs answering `METHOD /path` from `routes` (404 otherwise); the Scm is connected to it. */
async function fakeGogs(routes: Record<string, Answer | ((seen: Seen) => Answer)>): Promise<{ scm: Scm; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const entry: Seen = { method: request.method ?? '', path: url.pathname, query: url.search, authorization: request.headers.authorization, body };
      seen.push(entry);
      const route = routes[`${entry.method} ${entry.path}`];
      const answer = typeof route === 'function' ? route(entry) : (route ?? { status: 404, body: '{"message":"Not Found"}' });
      response.statusCode = answer.status ?? 200;
      response.setHeader('content-type', answer.type ?? 'application/json; charset=UTF-8');
      response.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { scm: createGogs({ server: `http://127.0.0.1:${port}/`, skipVerify: false, timeoutMs: 2000 }), seen };
}

const token: Token = { access: 'a1b2c3d4e5', refresh: '', expiry: 0 };
const repoRef: RepoRef = { uid: '61', namespace: 'gogits', name: 'hello-world', slug: 'gogits/hello-world', git_http_url: 'http://try.gogs.io/gogits/hello-world.git' };
const COMMIT = '2c3e2b701e012294d457937e6bfbffd63dd8ae4f';

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function remoteRepoOf(golden: unknown, slug: string) {
  return {
    uid: str(golden, 'ID'),
    namespace: str(golden, 'Namespace'),
    name: str(golden, 'Name'),
    slug,
    git_http_url: str(golden, 'Clone'),
    git_ssh_url: str(golden, 'CloneSSH'),
    link: str(golden, 'Link'),
    default_branch: str(golden, 'Branch'),
    private: at(golden, 'Private'),
    visibility: at(golden, 'Private') ? 'private' : 'public',
    archived: false,
    permissions: { read: at(golden, 'Perm', 'Pull'), write: at(golden, 'Perm', 'Push'), admin: at(golden, 'Perm', 'Admin') },
  };
}

describe('Gogs repositories', () => {
  it('lists the user repositories in one request, with permissions and visibility, sending `token <access>`', async () => {
    const { scm, seen } = await fakeGogs({ 'GET /api/v1/user/repos': { body: recorded('repos.json') } });
    const repos = await scm.repos?.list(token);
    expect(repos).toEqual([remoteRepoOf(at(json('repos.json.golden'), 0), 'gogits/gogs')]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/api/v1/user/repos', query: '', authorization: 'token a1b2c3d4e5' });
  });

  it('finds one repository; a public one is public', async () => {
    const publicRepo = JSON.stringify({ ...(json('repo.json') as Record<string, unknown>), private: false, permissions: { admin: false, push: false, pull: true } });
    const { scm, seen } = await fakeGogs({ 'GET /api/v1/repos/gogits/gogs': { body: recorded('repo.json') }, 'GET /api/v1/repos/gogits/public': { body: publicRepo } });
    expect(await scm.repos?.find(token, 'gogits/gogs')).toEqual(remoteRepoOf(json('repo.json.golden'), 'gogits/gogs'));
    const open = await scm.repos?.find(token, 'gogits/public');
    expect(open).toMatchObject({ private: false, visibility: 'public', permissions: { read: true, write: false, admin: false } });
    expect(seen.map((s) => `${s.method} ${s.path} ${s.authorization}`)).toEqual(['GET /api/v1/repos/gogits/gogs token a1b2c3d4e5', 'GET /api/v1/repos/gogits/public token a1b2c3d4e5']);
  });

  it('reports an unknown repository as not found and a failing server as upstream', async () => {
    const { scm } = await fakeGogs({ 'GET /api/v1/repos/gogits/broken': { status: 500, body: '{"message":"oops"}' } });
    await expect(scm.repos?.find(token, 'gogits/missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(scm.repos?.find(token, 'gogits/broken')).rejects.toBeInstanceOf(UpstreamError);
  });

  it('replaces the hooks aimed at this server with one Gogs hook signed by the secret', async () => {
    const hooks = JSON.stringify([
      ...(json('hooks.json') as unknown[]),
      { id: 21, type: 'gogs', config: { content_type: 'json', url: 'https://ci.example.com/other' }, events: ['push'], active: true },
    ]);
    const { scm, seen } = await fakeGogs({
      'GET /api/v1/repos/gogits/hello-world/hooks': { body: hooks },
      'DELETE /api/v1/repos/gogits/hello-world/hooks/20': { status: 204 },
      'POST /api/v1/repos/gogits/hello-world/hooks': { status: 201, body: recorded('hook.json') },
    });
    await scm.repos?.createHook(token, repoRef, { url: 'http://gogs.io/hook', secret: 'signer', events: ['push', 'pull_request', 'tag', 'branch', 'deployment'] });
    expect(seen.map((s) => `${s.method} ${s.path}${s.query}`)).toEqual([
      'GET /api/v1/repos/gogits/hello-world/hooks',
      'DELETE /api/v1/repos/gogits/hello-world/hooks/20',
      'POST /api/v1/repos/gogits/hello-world/hooks',
      // Listed again: of two hooks created by two enables at once, only the newest stays.
      'GET /api/v1/repos/gogits/hello-world/hooks',
    ]);
    expect(seen.every((s) => s.authorization === 'token a1b2c3d4e5')).toBe(true);
    expect(JSON.parse(seen[2].body)).toEqual({
      type: 'gogs',
      active: true,
      events: ['push', 'pull_request', 'create', 'delete'],
      config: { url: 'http://gogs.io/hook', content_type: 'json', secret: 'signer' },
    });
  });

  it('removes only the hooks aimed at this server when a repository is disabled', async () => {
    const { scm, seen } = await fakeGogs({
      'GET /api/v1/repos/gogits/hello-world/hooks': { body: recorded('hooks.json') },
      'DELETE /api/v1/repos/gogits/hello-world/hooks/20': { status: 204 },
    });
    await scm.repos?.deleteHook(token, repoRef, 'https://ci.example.com/hook');
    expect(seen.map((s) => s.method)).toEqual(['GET']);
    await scm.repos?.deleteHook(token, repoRef, 'http://gogs.io/hook');
    expect(seen.map((s) => `${s.method} ${s.path}`).slice(1)).toEqual(['GET /api/v1/repos/gogits/hello-world/hooks', 'DELETE /api/v1/repos/gogits/hello-world/hooks/20']);
  });
});

describe('Gogs commits and files', () => {
  const repo: RepoRef = { ...repoRef, slug: 'gogs/gogs', namespace: 'gogs', name: 'gogs' };

  it('reads a commit: sha, message, git author, its Gogs account where there is one, the web link', async () => {
    const golden = json('commits.json.golden');
    const { scm, seen } = await fakeGogs({ [`GET /api/v1/repos/gogs/gogs/commits/${COMMIT}`]: { body: recorded('commits.json') } });
    expect(await scm.contents.commit(token, repo, COMMIT)).toEqual({
      sha: str(golden, 'sha'),
      message: str(golden, 'message'),
      link: `https://try.gogs.io/gogs/gogs/commits/${COMMIT}`,
      // The author's email has no Gogs account (`author: null`): no login, no avatar.
      author: { login: '', name: str(golden, 'author', 'name'), email: str(golden, 'author', 'email'), avatar: '' },
    });
    expect(seen[0]).toMatchObject({ method: 'GET', authorization: 'token a1b2c3d4e5' });
  });

  it('takes the login and avatar from the Gogs account of the author', async () => {
    const withAuthor = { ...(json('commits.json') as Record<string, unknown>), author: at(json('commits.json'), 'committer') };
    const { scm } = await fakeGogs({ [`GET /api/v1/repos/gogs/gogs/commits/${COMMIT}`]: { body: JSON.stringify(withAuthor) } });
    const commit = await scm.contents.commit(token, repo, COMMIT);
    expect(commit.author).toMatchObject({ login: 'unknwon', avatar: str(withAuthor, 'author', 'avatar_url') });
  });

  it('resolves a branch through its head commit', async () => {
    const branchSha = str(json('branch.json'), 'commit', 'id');
    const { scm, seen } = await fakeGogs({
      'GET /api/v1/repos/gogs/gogs/branches/master': { body: recorded('branch.json') },
      [`GET /api/v1/repos/gogs/gogs/commits/${branchSha}`]: { body: recorded('commits.json') },
    });
    const commit = await scm.contents.findCommit(token, repo, 'refs/heads/master');
    expect(commit.message).toBe('conf/gitignore: add Unreal Engine (#5623)');
    expect(seen.map((s) => s.path)).toEqual(['/api/v1/repos/gogs/gogs/branches/master', `/api/v1/repos/gogs/gogs/commits/${branchSha}`]);
  });

  it('resolves a branch with a slash in its name, and a tag through the commit it points at', async () => {
    const { scm, seen } = await fakeGogs({
      'GET /api/v1/repos/gogs/gogs/branches/feature/x': { body: recorded('branch.json') },
      'GET /api/v1/repos/gogs/gogs/commits/refs/tags/v1.0.0': { body: COMMIT, type: 'text/plain; charset=UTF-8' },
      [`GET /api/v1/repos/gogs/gogs/commits/${COMMIT}`]: { body: recorded('commits.json') },
      'GET /api/v1/repos/gogs/gogs/commits/f05f642b892d59a0a9ef6a31f6c905a24b5db13a': { body: recorded('commits.json') },
    });
    await scm.contents.findCommit(token, repo, 'feature/x');
    expect((await scm.contents.findCommit(token, repo, 'refs/tags/v1.0.0')).sha).toBe(COMMIT);
    expect(seen.map((s) => s.path)).toEqual([
      '/api/v1/repos/gogs/gogs/branches/feature/x',
      '/api/v1/repos/gogs/gogs/commits/f05f642b892d59a0a9ef6a31f6c905a24b5db13a',
      '/api/v1/repos/gogs/gogs/commits/refs/tags/v1.0.0',
      `/api/v1/repos/gogs/gogs/commits/${COMMIT}`,
    ]);
  });

  it('says plainly that a pull request ref cannot be resolved, and that an unknown branch is not found', async () => {
    const { scm, seen } = await fakeGogs({});
    await expect(scm.contents.findCommit(token, repo, 'refs/pull/2/head')).rejects.toThrow(/cannot resolve refs\/pull\/2\/head/);
    expect(seen).toHaveLength(0);
    await expect(scm.contents.findCommit(token, repo, 'refs/heads/gone')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reads a file raw at a commit', async () => {
    const yaml = 'kind: pipeline\nname: default\nsteps:\n- name: test\n  image: golang\n';
    const { scm, seen } = await fakeGogs({ [`GET /api/v1/repos/gogits/hello-world/raw/${COMMIT}/ci/.drone.yml`]: { body: yaml, type: 'text/plain; charset=utf-8' } });
    expect(await scm.contents.readFile(token, repoRef, COMMIT, 'ci/.drone.yml')).toBe(yaml);
    expect(seen[0]).toMatchObject({ method: 'GET', query: '', authorization: 'token a1b2c3d4e5' });
  });

  it('answers undefined for a file that does not exist, and fails upstream when Gogs does', async () => {
    const { scm } = await fakeGogs({ [`GET /api/v1/repos/gogits/hello-world/raw/${COMMIT}/broken.yml`]: { status: 502, body: 'Bad Gateway', type: 'text/plain' } });
    expect(await scm.contents.readFile(token, repoRef, COMMIT, '.drone.yml')).toBeUndefined();
    await expect(scm.contents.readFile(token, repoRef, COMMIT, 'broken.yml')).rejects.toBeInstanceOf(UpstreamError);
  });

  it('refuses to read a file at no commit (Gogs pull request webhooks name none)', async () => {
    const { scm, seen } = await fakeGogs({});
    await expect(scm.contents.readFile(token, repoRef, '', '.drone.yml')).rejects.toBeInstanceOf(BadRequestError);
    expect(seen).toHaveLength(0);
  });
});

describe('Gogs accounts', () => {
  const tokensPath = '/api/v1/users/jcitizen/tokens';

  it('signs in with a password form, has no refresh, reports no statuses and clones with the token', () => {
    const scm = gogs();
    expect(scm.name).toBe('gogs');
    expect(scm.login?.kind).toBe('password');
    expect(scm.login?.refresh).toBeUndefined();
    expect(scm.statuses).toBeUndefined();
    expect(scm.cloneLogin?.(token)).toEqual({ login: 'a1b2c3d4e5', password: 'x-oauth-basic' });
  });

  it('reuses the working token named drone', async () => {
    const { scm, seen } = await fakeGogs({
      [`GET ${tokensPath}`]: { body: JSON.stringify([{ name: 'laptop', sha1: 'ffff' }, { name: 'drone', sha1: 'd1d2d3' }]) },
      'GET /api/v1/user': (s) => (s.authorization === 'token d1d2d3' ? { body: recorded('user.json') } : { status: 401 }),
    });
    const login = scm.login;
    if (login?.kind !== 'password') throw new Error('expected a password login');
    expect(await login.authenticate('jcitizen', 'pa:ss')).toEqual({ access: 'd1d2d3', refresh: '', expiry: 0 });
    expect(seen.map((s) => `${s.method} ${s.path} ${s.authorization}`)).toEqual([`GET ${tokensPath} ${basic('jcitizen', 'pa:ss')}`, 'GET /api/v1/user token d1d2d3']);
  });

  it('creates the token named drone when there is none', async () => {
    const { scm, seen } = await fakeGogs({
      [`GET ${tokensPath}`]: { body: '[]' },
      [`POST ${tokensPath}`]: { status: 201, body: JSON.stringify({ name: 'drone', sha1: 'n3wt0k3n' }) },
    });
    const login = scm.login;
    if (login?.kind !== 'password') throw new Error('expected a password login');
    expect(await login.authenticate('jcitizen', 'secret')).toEqual({ access: 'n3wt0k3n', refresh: '', expiry: 0 });
    expect(seen[1]).toMatchObject({ method: 'POST', path: tokensPath, authorization: basic('jcitizen', 'secret') });
    expect(JSON.parse(seen[1].body)).toEqual({ name: 'drone' });
  });

  it('creates a new token when the listed one does not work (Gogs 0.13+ lists digests, not tokens)', async () => {
    const { scm, seen } = await fakeGogs({
      [`GET ${tokensPath}`]: { body: JSON.stringify([{ name: 'drone', sha1: 'digest' }, { name: 'drone-2', sha1: 'digest2' }]) },
      'GET /api/v1/user': { status: 401 },
      [`POST ${tokensPath}`]: { status: 201, body: JSON.stringify({ name: 'drone-3', sha1: 'fr3sh' }) },
    });
    const login = scm.login;
    if (login?.kind !== 'password') throw new Error('expected a password login');
    expect((await login.authenticate('jcitizen', 'secret')).access).toBe('fr3sh');
    expect(JSON.parse(seen[2].body)).toEqual({ name: 'drone-3' });
  });

  it('refuses wrong credentials with a message the sign-in form can show', async () => {
    const { scm } = await fakeGogs({ [`GET ${tokensPath}`]: { status: 401 } });
    const login = scm.login;
    if (login?.kind !== 'password') throw new Error('expected a password login');
    const failure = login.authenticate('jcitizen', 'wrong');
    await expect(failure).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(failure).rejects.toThrow('Gogs did not accept this user name and password.');
  });

  it('reads the account and its organisations with the token', async () => {
    const golden = json('user.json.golden');
    const { scm, seen } = await fakeGogs({ 'GET /api/v1/user': { body: recorded('user.json') }, 'GET /api/v1/user/orgs': { body: recorded('organizations.json') } });
    expect(await scm.login?.user(token)).toEqual({ login: str(golden, 'Login'), email: str(golden, 'Email'), avatar: str(golden, 'Avatar'), created: 0 });
    expect(await scm.login?.orgs(token)).toEqual([str(json('organizations.json.golden'), 0, 'Name')]);
    expect(seen.map((s) => `${s.method} ${s.path}${s.query} ${s.authorization}`)).toEqual(['GET /api/v1/user token a1b2c3d4e5', 'GET /api/v1/user/orgs token a1b2c3d4e5']);
  });
});
