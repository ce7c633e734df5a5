// The Gitea provider against the recorded data of shared/conformance/scm/gitea: webhook payloads parsed as
// go-scm parsed them (the `.golden` files) and normalised as Drone does, signatures, and the REST calls made
// to a small local server that answers the recorded API answers and records what it was asked.

import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, UnauthorizedError, UpstreamError } from '../../../src/core/errors.js';
import type { HookBuild, ParsedHook, RepoRef, Scm, Token, WebhookDelivery, WebhookParser } from '../../../src/core/scm.js';
import { createGitea } from '../../../src/scm/gitea/index.js';
import { createGitHub } from '../../../src/scm/github/index.js';
import { createGitLab } from '../../../src/scm/gitlab/index.js';
import { createGogs } from '../../../src/scm/gogs/index.js';

const DATA = new URL('../../../../shared/conformance/scm/gitea/', import.meta.url);
const recorded = (name: string): string => readFileSync(new URL(name, DATA), 'utf8');
const recordedJson = (name: string): unknown => JSON.parse(recorded(name));

/** The parts of go-scm's parsed hooks the tests compare. */
interface Person {
  Login: string;
  Name: string;
  Email: string;
  Avatar: string;
}
interface GoldenRepo {
  ID: string;
  Namespace: string;
  Name: string;
}
interface GoldenPush {
  Ref: string;
  Before: string;
  Repo: GoldenRepo;
  Commit: { Sha: string; Message: string; Link: string; Author: Person };
  Sender: Person;
}
interface GoldenPullRequest {
  Action: string;
  Repo: GoldenRepo;
  PullRequest: { Number: number; Title: string; Body: string; Sha: string; Ref: string; Source: string; Target: string; Fork: string; Link: string; Author: Person };
  Sender: Person;
}
interface RawPullRequest {
  pull_request: { base: { sha: string } };
}

const golden = <T>(name: string): T => recordedJson(`webhooks/${name}.json.golden`) as T;

/** A delivery with every header a current Gitea sends: its own, and Gogs' and GitHub's copies. */
function giteaDelivery(event: string, body: string, extra: Record<string, string> = {}): WebhookDelivery {
  const id = 'ee8d97b4-1479-43f1-9cac-fbbd1b80da55';
  return {
    headers: {
      'content-type': 'application/json',
      'x-gitea-event': event,
      'x-gogs-event': event,
      'x-github-event': event,
      'x-gitea-delivery': id,
      'x-gogs-delivery': id,
      'x-github-delivery': id,
      ...extra,
    },
    body,
  };
}

const hookFile = (name: string): string => recorded(`webhooks/${name}.json`);

function build(parsed: ParsedHook): HookBuild {
  if (parsed.kind !== 'build') throw new Error(`expected a build, got ignored: ${parsed.reason}`);
  return parsed.build;
}

const settings = (server: string) => ({
  server,
  clientId: 'hangar-client',
  clientSecret: 'hangar-secret',
  redirectUrl: 'https://ci.example.com/login',
  scope: ['repo', 'repo:status', 'user:email', 'read:org'],
  skipVerify: false,
  timeoutMs: 5_000,
});

const hooks = createGitea(settings('https://gitea.example.com')).hooks;

describe('Gitea webhooks: pushes', () => {
  it('builds a branch push as go-scm parsed it, the author avatar falling back to the sender’s', () => {
    const expected = golden<GoldenPush>('push');
    const parsed = hooks.parse(giteaDelivery('push', hookFile('push')));
    expect(parsed.kind).toBe('build');
    expect(parsed.delivery).toBe('ee8d97b4-1479-43f1-9cac-fbbd1b80da55');
    if (parsed.kind !== 'build') return;
    expect(parsed.repo).toEqual({ uid: expected.Repo.ID, namespace: expected.Repo.Namespace, name: expected.Repo.Name, slug: `${expected.Repo.Namespace}/${expected.Repo.Name}` });
    expect(parsed.build).toEqual({
      event: 'push',
      action: '',
      ref: expected.Ref,
      before: expected.Before,
      after: expected.Commit.Sha,
      source: 'master',
      target: 'master',
      pullRequest: 0,
      sourceRepo: '',
      title: '',
      message: expected.Commit.Message,
      link: expected.Commit.Link,
      author: { login: expected.Commit.Author.Login, name: expected.Commit.Author.Name, email: expected.Commit.Author.Email, avatar: expected.Sender.Avatar },
      sender: expected.Sender.Login,
    });
  });

  it('builds a push of a tag as `tag`/`create` with no source or target branch', () => {
    const payload = { ...(recordedJson('webhooks/push.json') as object), ref: 'refs/tags/v1.0.0' };
    const result = build(hooks.parse(giteaDelivery('push', JSON.stringify(payload))));
    expect(result).toMatchObject({ event: 'tag', action: 'create', ref: 'refs/tags/v1.0.0', source: '', target: '', after: '4522cbcefc20728a5b72b3a86af35e608622c514' });
  });

  it('ignores a push that deletes its branch or tag (an all-zero `after`)', () => {
    for (const ref of ['refs/heads/feature', 'refs/tags/v1.0.0']) {
      const payload = { ...(recordedJson('webhooks/push.json') as object), ref, after: '0'.repeat(40), commits: [] };
      const parsed = hooks.parse(giteaDelivery('push', JSON.stringify(payload)));
      expect(parsed).toMatchObject({ kind: 'ignored', repo: { slug: 'gogits/hello-world' } });
    }
  });

  it('takes the message and author from the head commit, not the first one listed', () => {
    const payload = recordedJson('webhooks/push.json') as { after: string; commits: Array<Record<string, unknown>> };
    const older = { ...payload.commits[0], id: '1111111111111111111111111111111111111111', message: 'older\n', author: { name: 'Old', email: 'old@example.com', username: 'old' } };
    const listed = { ...payload, commits: [older, payload.commits[0]] };
    expect(build(hooks.parse(giteaDelivery('push', JSON.stringify(listed))))).toMatchObject({ message: 'Updated readme\n', author: { login: 'unknwon', name: 'Unknwon' } });

    const withHead = { ...payload, commits: [older], head_commit: { ...payload.commits[0], id: payload.after, message: 'from head_commit\n' } };
    expect(build(hooks.parse(giteaDelivery('push', JSON.stringify(withHead))))).toMatchObject({ message: 'from head_commit\n' });
  });

  it('credits a push of no new commits to the pusher', () => {
    const payload = { ...(recordedJson('webhooks/push.json') as object), commits: [] };
    expect(build(hooks.parse(giteaDelivery('push', JSON.stringify(payload))))).toMatchObject({
      message: '',
      author: { login: 'unknwon', email: 'noreply@gogs.io', avatar: 'https://secure.gravatar.com/avatar/8c58a0be77ee441bb8f8595b7f1b4e87' },
      sender: 'unknwon',
    });
  });

  it('reads a form-encoded delivery (`payload=`) as Gitea can send it', () => {
    const body = new URLSearchParams({ payload: hookFile('push') }).toString();
    const parsed = hooks.parse(giteaDelivery('push', body, { 'content-type': 'application/x-www-form-urlencoded' }));
    expect(build(parsed).after).toBe('4522cbcefc20728a5b72b3a86af35e608622c514');
  });
});

describe('Gitea webhooks: pull requests', () => {
  for (const name of ['pull_request_opened', 'pull_request_synchronized', 'pull_request_reopened', 'pull_request_closed', 'pull_request_merged']) {
    it(`builds ${name} as go-scm parsed it`, () => {
      const expected = golden<GoldenPullRequest>(name);
      const raw = recordedJson(`webhooks/${name}.json`) as RawPullRequest;
      const parsed = hooks.parse(giteaDelivery('pull_request', hookFile(name)));
      expect(parsed.kind).toBe('build');
      if (parsed.kind !== 'build') return;
      expect(parsed.repo).toEqual({ uid: expected.Repo.ID, namespace: expected.Repo.Namespace, name: expected.Repo.Name, slug: `${expected.Repo.Namespace}/${expected.Repo.Name}` });
      const pr = expected.PullRequest;
      expect(parsed.build).toEqual({
        event: 'pull_request',
        action: expected.Action,
        ref: pr.Ref,
        before: raw.pull_request.base.sha,
        after: pr.Sha,
        source: pr.Source,
        target: pr.Target,
        pullRequest: pr.Number,
        sourceRepo: pr.Fork,
        title: pr.Title,
        message: pr.Body,
        link: pr.Link,
        author: { login: pr.Author.Login, name: pr.Author.Name, email: pr.Author.Email, avatar: pr.Author.Avatar },
        sender: expected.Sender.Login,
      });
    });
  }

  it('names the actions as Drone does: a merged pull request is `closed`, Gitea’s `synchronized` is kept', () => {
    expect(build(hooks.parse(giteaDelivery('pull_request', hookFile('pull_request_merged')))).action).toBe('closed');
    expect(build(hooks.parse(giteaDelivery('pull_request', hookFile('pull_request_synchronized')))).action).toBe('synchronized');
  });

  it('ignores other pull request actions (edited, label changes)', () => {
    expect(hooks.parse(giteaDelivery('pull_request', hookFile('pull_request_edited')))).toMatchObject({ kind: 'ignored', repo: { slug: 'jcitizen/my-repo' } });
    const labelled = { ...(recordedJson('webhooks/pull_request_opened.json') as object), action: 'label_updated' };
    expect(hooks.parse(giteaDelivery('pull_request', JSON.stringify(labelled))).kind).toBe('ignored');
  });

  it('uses the title as the message when the body is empty', () => {
    const payload = recordedJson('webhooks/pull_request_opened.json') as { pull_request: Record<string, unknown> };
    const empty = { ...payload, pull_request: { ...payload.pull_request, body: '' } };
    expect(build(hooks.parse(giteaDelivery('pull_request', JSON.stringify(empty)))).message).toBe('Add License File');
  });
});

describe('Gitea webhooks: events Drone builds nothing from', () => {
  const cases: Array<[string, string]> = [
    ['create', 'branch_create'],
    ['create', 'tag_create'],
    ['delete', 'branch_delete'],
    ['delete', 'tag_delete'],
    ['issues', 'issues_opened'],
    ['issues', 'issues_closed'],
    ['issue_comment', 'issue_comment_created'],
    ['issue_comment', 'issue_comment_edited'],
    ['issue_comment', 'issue_comment_deleted'],
    ['issue_comment', 'pull_request_comment_created'],
    ['issue_comment', 'pull_request_comment_edited'],
    ['issue_comment', 'pull_request_comment_deleted'],
  ];
  for (const [event, name] of cases) {
    it(`ignores ${name} (${event}) and still names its repository`, () => {
      const parsed = hooks.parse(giteaDelivery(event, hookFile(name)));
      expect(parsed.kind).toBe('ignored');
      expect(parsed.repo?.slug).toMatch(/^[\w-]+\/[\w-]+$/);
    });
  }

  it('ignores events it does not know, and refuses a body that is not JSON', () => {
    expect(hooks.parse(giteaDelivery('release', hookFile('push'))).kind).toBe('ignored');
    expect(() => hooks.parse(giteaDelivery('push', '{not json'))).toThrow(BadRequestError);
  });
});

describe('Gitea webhooks: signatures', () => {
  // go-scm's known-good vector (scm/driver/gitea/webhook_test.go).
  const secret = '71295b197fa25f4356d2fb9965df3f2379d903d7';
  const body = hookFile('pull_request_edited');
  const signed = 'a31111f057bafe895837f4a93c0f1f528919c199a20438b1fc8e23485780a33a';
  const hmac = (key: string, text: string): string => createHmac('sha256', key).update(text).digest('hex');

  it('accepts the bare hex X-Gitea-Signature made with the repository secret', async () => {
    expect(hmac(secret, body)).toBe(signed);
    expect(await hooks.verify(giteaDelivery('pull_request', body, { 'x-gitea-signature': signed }), secret)).toBe(true);
  });

  it('refuses a wrong secret, a tampered body, and a delivery with no signature', async () => {
    expect(await hooks.verify(giteaDelivery('pull_request', body, { 'x-gitea-signature': signed }), 'not-the-secret')).toBe(false);
    expect(await hooks.verify(giteaDelivery('pull_request', body.replace('Add License', 'Add Licence'), { 'x-gitea-signature': signed }), secret)).toBe(false);
    expect(await hooks.verify(giteaDelivery('pull_request', body), secret)).toBe(false);
    expect(await hooks.verify(giteaDelivery('pull_request', body, { 'x-gitea-signature': 'failfailfailfail' }), secret)).toBe(false);
    expect(await hooks.verify(giteaDelivery('pull_request', body, { 'x-gitea-signature': signed }), '')).toBe(false);
  });

  it('accepts X-Hub-Signature-256 alone, but X-Gitea-Signature decides when both are sent', async () => {
    expect(await hooks.verify(giteaDelivery('pull_request', body, { 'x-hub-signature-256': `sha256=${signed}` }), secret)).toBe(true);
    const disagreeing = giteaDelivery('pull_request', body, { 'x-gitea-signature': hmac('other', body), 'x-hub-signature-256': `sha256=${signed}` });
    expect(await hooks.verify(disagreeing, secret)).toBe(false);
  });
});

describe('which parser accepts a delivery', () => {
  const deliveries: Record<string, WebhookDelivery> = {
    gitea: giteaDelivery('push', '{}', { 'x-gitea-signature': 'ab', 'x-gogs-signature': 'ab', 'x-hub-signature-256': 'sha256=ab' }),
    gogs: { headers: { 'x-gogs-event': 'push', 'x-gogs-delivery': 'd', 'x-gogs-signature': 'ab' }, body: '{}' },
    github: { headers: { 'x-github-event': 'push', 'x-github-delivery': 'd', 'x-hub-signature-256': 'sha256=ab' }, body: '{}' },
    gitlab: { headers: { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 't' }, body: '{}' },
  };

  it('the Gitea parser accepts Gitea’s deliveries and no other server’s', () => {
    expect(hooks.accepts(deliveries.gitea)).toBe(true);
    for (const other of ['gogs', 'github', 'gitlab']) expect(hooks.accepts(deliveries[other]), other).toBe(false);
  });

  // The other providers as far as they are built (a placeholder throws on creation).
  const others: Record<string, () => Scm> = {
    github: () => createGitHub({ server: 'https://github.com', apiServer: 'https://api.github.com', clientId: 'c', clientSecret: 's', scope: [], skipVerify: false, timeoutMs: 1000 }),
    gogs: () => createGogs({ server: 'https://gogs.example.com', skipVerify: false, timeoutMs: 1000 }),
    gitlab: () => createGitLab({ server: 'https://gitlab.com', clientId: 'c', clientSecret: 's', redirectUrl: 'https://ci.example.com/login', skipVerify: false, timeoutMs: 1000 }),
  };
  for (const [name, create] of Object.entries(others)) {
    let parser: WebhookParser | undefined;
    try {
      parser = create().hooks;
    } catch {
      parser = undefined;
    }
    it.skipIf(parser === undefined)(`the ${name} parser leaves a Gitea delivery alone and accepts its own`, () => {
      expect(parser?.accepts(deliveries.gitea)).toBe(false);
      expect(parser?.accepts(deliveries[name])).toBe(true);
    });
  }
});

// ---- REST calls against a local server answering the recorded API answers ----

interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string;
  contentType: string;
  body: string;
}

interface Answer {
  status: number;
  body?: unknown;
  text?: string;
}

const routes = new Map<string, Answer>();
const seen: Seen[] = [];
let server: http.Server;
let base = '';
let scm: Scm;

const token: Token = { access: 'gitea-access-token', refresh: 'gitea-refresh-token', expiry: 0 };
const repo: RepoRef = { uid: '1', namespace: 'go-gitea', name: 'gitea', slug: 'go-gitea/gitea', git_http_url: 'https://try.gitea.io/go-gitea/gitea.git' };
const API = '/api/v1/repos/go-gitea/gitea';

function route(method: string, path: string, answer: Answer): void {
  routes.set(`${method} ${path}`, answer);
}

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      seen.push({
        method: request.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        authorization: request.headers.authorization ?? '',
        contentType: request.headers['content-type'] ?? '',
        body,
      });
      const answer = routes.get(`${request.method} ${url.pathname}`) ?? { status: 404, body: { message: 'not found' } };
      response.statusCode = answer.status;
      response.setHeader('content-type', answer.text === undefined ? 'application/json' : 'text/plain');
      response.end(answer.text ?? (answer.body === undefined ? '' : JSON.stringify(answer.body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  scm = createGitea(settings(`${base}/`));
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  routes.clear();
  seen.length = 0;
});

/** The API calls the server saw, as `METHOD path`. */
const calls = (): string[] => seen.map((call) => `${call.method} ${call.path}`);

describe('Gitea API: repositories', () => {
  it('finds a repository with the user’s permissions (repo.json)', async () => {
    route('GET', API, { status: 200, body: recordedJson('repo.json') });
    const found = await scm.repos?.find(token, 'go-gitea/gitea');
    expect(found).toEqual({
      uid: '1',
      namespace: 'go-gitea',
      name: 'gitea',
      slug: 'go-gitea/gitea',
      git_http_url: 'https://try.gitea.io/go-gitea/gitea.git',
      git_ssh_url: 'git@try.gitea.io:go-gitea/gitea.git',
      link: 'https://try.gitea.io/go-gitea/gitea',
      default_branch: 'master',
      private: true,
      visibility: 'private',
      archived: false,
      permissions: { read: true, write: true, admin: true },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', path: API, authorization: 'Bearer gitea-access-token' });
  });

  it('lists the user’s repositories page by page with `page` and `limit`, and reads visibility', async () => {
    const [recordedRepo] = recordedJson('repos.json') as Array<Record<string, unknown>>;
    const internal = { ...recordedRepo, id: 2, full_name: 'go-gitea/internal', name: 'internal', internal: true, permissions: { admin: false, push: true, pull: true } };
    const open = { ...recordedRepo, id: 3, full_name: 'go-gitea/open', name: 'open', private: false, archived: true, permissions: { admin: false, push: false, pull: true } };
    route('GET', '/api/v1/user/repos', { status: 200, body: [recordedRepo, internal, open] });
    const list = (await scm.repos?.list(token)) ?? [];
    expect(list.map((entry) => [entry.slug, entry.uid, entry.visibility, entry.private, entry.archived])).toEqual([
      ['go-gitea/gitea', '1', 'private', true, false],
      ['go-gitea/internal', '2', 'internal', true, false],
      ['go-gitea/open', '3', 'public', false, true],
    ]);
    expect(list.map((entry) => entry.permissions)).toEqual([
      { read: true, write: true, admin: true },
      { read: true, write: true, admin: false },
      { read: true, write: false, admin: false },
    ]);
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/api/v1/user/repos', query: { page: '1', limit: '50' }, authorization: 'Bearer gitea-access-token' });
  });

  it('gives NotFoundError for a repository the user cannot see, UpstreamError for a failing server', async () => {
    await expect(scm.repos?.find(token, 'go-gitea/hidden')).rejects.toBeInstanceOf(NotFoundError);
    route('GET', API, { status: 502, body: { message: 'bad gateway' } });
    await expect(scm.repos?.find(token, 'go-gitea/gitea')).rejects.toBeInstanceOf(UpstreamError);
  });

  it('replaces the hooks aimed at this server’s host with one carrying the secret and Gitea’s events', async () => {
    const recordedHook = recordedJson('hook.json') as Record<string, unknown>;
    const ours = { ...recordedHook, id: 7, config: { content_type: 'json', url: 'https://ci.example.com/hook?secret=old' } };
    route('GET', `${API}/hooks`, { status: 200, body: [recordedHook, ours] });
    route('DELETE', `${API}/hooks/7`, { status: 204 });
    route('POST', `${API}/hooks`, { status: 201, body: { ...recordedHook, id: 8 } });
    await scm.repos?.createHook(token, repo, { url: 'https://ci.example.com/hook', secret: 'signer-secret', events: ['push', 'pull_request', 'tag', 'branch', 'deployment'] });
    expect(calls()).toEqual([`GET ${API}/hooks`, `DELETE ${API}/hooks/7`, `POST ${API}/hooks`, `GET ${API}/hooks`]);
    const post = seen[2];
    expect(post.authorization).toBe('Bearer gitea-access-token');
    expect(post.contentType).toBe('application/json');
    const sent = JSON.parse(post.body) as { type: string; active: boolean; events: string[]; config: Record<string, string> };
    expect(sent).toMatchObject({ type: 'gitea', active: true, config: { url: 'https://ci.example.com/hook', content_type: 'json', secret: 'signer-secret' } });
    expect([...sent.events].sort()).toEqual(['create', 'delete', 'pull_request', 'push']);
  });

  it('disables by deleting only the hooks aimed at this server’s host', async () => {
    const recordedHook = recordedJson('hook.json') as Record<string, unknown>;
    route('GET', `${API}/hooks`, { status: 200, body: [recordedHook] });
    await scm.repos?.deleteHook(token, repo, 'https://ci.example.com/hook');
    expect(calls()).toEqual([`GET ${API}/hooks`]);
  });
});

describe('Gitea API: commits and files', () => {
  const sha = 'c43399cad8766ee521b873a32c1652407c5a4630';

  it('reads a commit (commit.json), linking to its web page', async () => {
    route('GET', `${API}/git/commits/${sha}`, { status: 200, body: recordedJson('commit.json') });
    expect(await scm.contents.commit(token, repo, sha)).toEqual({
      sha,
      message: 'Fixes repo branch endpoint summary (#4893)',
      link: 'https://try.gitea.io/gitea/gitea/commits/c43399cad8766ee521b873a32c1652407c5a4630',
      // The recorded commit matched no Gitea account (`author: null`): name and email come from git.
      author: { login: '', name: 'Lewis Cowles', email: 'lewiscowles@me.com', avatar: '' },
    });
    expect(seen[0]).toMatchObject({ method: 'GET', authorization: 'Bearer gitea-access-token' });
  });

  it('resolves a branch to its head commit (branch.json)', async () => {
    const head = 'f05f642b892d59a0a9ef6a31f6c905a24b5db13a';
    route('GET', `${API}/branches/master`, { status: 200, body: recordedJson('branch.json') });
    route('GET', `${API}/git/commits/${head}`, { status: 200, body: { ...(recordedJson('commit.json') as object), sha: head } });
    expect((await scm.contents.findCommit(token, repo, 'refs/heads/master')).sha).toBe(head);
    expect((await scm.contents.findCommit(token, repo, 'master')).sha).toBe(head);
    expect(calls()).toEqual([`GET ${API}/branches/master`, `GET ${API}/git/commits/${head}`, `GET ${API}/branches/master`, `GET ${API}/git/commits/${head}`]);
  });

  it('resolves a tag through its ref (tag.json), and a missing branch is NotFoundError', async () => {
    const tagged = '4b736a01b6291e21c663ae9aab494850e7a50723';
    route('GET', `${API}/git/refs/tags/v1.0.0`, { status: 200, body: recordedJson('tag.json') });
    route('GET', `${API}/git/commits/${tagged}`, { status: 200, body: { ...(recordedJson('commit.json') as object), sha: tagged } });
    expect((await scm.contents.findCommit(token, repo, 'refs/tags/v1.0.0')).sha).toBe(tagged);
    expect(calls()).toEqual([`GET ${API}/git/refs/tags/v1.0.0`, `GET ${API}/git/commits/${tagged}`]);
    await expect(scm.contents.findCommit(token, repo, 'refs/heads/gone')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('asks the commits endpoint for any other full ref, as one path segment', async () => {
    route('GET', `${API}/git/commits/refs%2Fpull%2F1%2Fhead`, { status: 200, body: recordedJson('commit.json') });
    expect((await scm.contents.findCommit(token, repo, 'refs/pull/1/head')).sha).toBe(sha);
  });

  it('reads a file at a commit from the contents API', async () => {
    const [listed] = recordedJson('content_list.json') as Array<Record<string, unknown>>;
    const yaml = 'kind: pipeline\nname: default\n';
    route('GET', `${API}/contents/.drone.yml`, { status: 200, body: { ...listed, name: '.drone.yml', path: '.drone.yml', encoding: 'base64', content: Buffer.from(yaml).toString('base64') } });
    expect(await scm.contents.readFile(token, repo, sha, '.drone.yml')).toBe(yaml);
    expect(seen[0]).toMatchObject({ method: 'GET', path: `${API}/contents/.drone.yml`, query: { ref: sha }, authorization: 'Bearer gitea-access-token' });
  });

  it('reads a file the contents API leaves empty (above its size limit) from the raw endpoint', async () => {
    route('GET', `${API}/contents/ci/big.yml`, { status: 200, body: { type: 'file', encoding: 'base64', content: '', size: 20_000_000 } });
    route('GET', `${API}/raw/ci/big.yml`, { status: 200, text: 'kind: pipeline\n' });
    expect(await scm.contents.readFile(token, repo, sha, 'ci/big.yml')).toBe('kind: pipeline\n');
    expect(seen[1]).toMatchObject({ path: `${API}/raw/ci/big.yml`, query: { ref: sha } });
  });

  it('gives undefined for a missing file or a directory, UpstreamError when Gitea fails', async () => {
    expect(await scm.contents.readFile(token, repo, sha, '.drone.yml')).toBeUndefined();
    route('GET', `${API}/contents/docs`, { status: 200, body: recordedJson('content_list.json') });
    expect(await scm.contents.readFile(token, repo, sha, 'docs')).toBeUndefined();
    route('GET', `${API}/contents/.drone.yml`, { status: 500, body: { message: 'internal error' } });
    await expect(scm.contents.readFile(token, repo, sha, '.drone.yml')).rejects.toBeInstanceOf(UpstreamError);
  });
});

describe('Gitea API: commit statuses', () => {
  const status = { sha: 'f026eb4eb1d83a7149e52058bf2134f4360d9bc4', context: 'continuous-integration/drone/push', title: 'Build #12', description: 'Build is passing', target: 'https://ci.example.com/go-gitea/gitea/12' };
  const path = `${API}/statuses/${status.sha}`;

  it('posts the state, context, description and target URL', async () => {
    route('POST', path, { status: 201, body: recordedJson('status.json') });
    await scm.statuses?.setStatus(token, repo, { ...status, state: 'success' });
    expect(seen[0]).toMatchObject({ method: 'POST', path, authorization: 'Bearer gitea-access-token', contentType: 'application/json' });
    expect(JSON.parse(seen[0].body)).toEqual({ state: 'success', context: status.context, description: status.description, target_url: status.target });
  });

  it('maps Drone’s states to Gitea’s as go-scm does', async () => {
    route('POST', path, { status: 201, body: recordedJson('status.json') });
    const states = ['pending', 'running', 'success', 'failure', 'error', 'canceled', 'skipped', 'unknown'] as const;
    for (const state of states) await scm.statuses?.setStatus(token, repo, { ...status, state });
    expect(seen.map((call) => (JSON.parse(call.body) as { state: string }).state)).toEqual(['pending', 'pending', 'success', 'failure', 'error', 'error', 'error', 'error']);
  });
});

describe('Gitea login', () => {
  const tokenAnswer = { access_token: 'new-access', refresh_token: 'new-refresh', token_type: 'bearer', expires_in: 3600 };

  it('sends the browser to Gitea’s authorize page with the registered redirect URL', () => {
    const login = scm.login;
    if (login?.kind !== 'oauth2') throw new Error('Gitea logs in with OAuth2');
    const url = new URL(login.authorizeUrl('the-state', 'http://elsewhere.example.com/login'));
    expect(`${url.origin}${url.pathname}`).toBe(`${base}/login/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ client_id: 'hangar-client', response_type: 'code', state: 'the-state', redirect_uri: 'https://ci.example.com/login' });
  });

  it('exchanges a code for an expiring token', async () => {
    route('POST', '/login/oauth/access_token', { status: 200, body: tokenAnswer });
    const login = scm.login;
    if (login?.kind !== 'oauth2') throw new Error('Gitea logs in with OAuth2');
    const before = Math.floor(Date.now() / 1000);
    const issued = await login.exchange('the-code', 'http://elsewhere.example.com/login');
    expect(issued.access).toBe('new-access');
    expect(issued.refresh).toBe('new-refresh');
    expect(issued.expiry).toBeGreaterThanOrEqual(before + 3600);
    expect(issued.expiry).toBeLessThanOrEqual(before + 3602);
    const form = Object.fromEntries(new URLSearchParams(seen[0].body));
    expect(form).toEqual({ grant_type: 'authorization_code', code: 'the-code', client_id: 'hangar-client', client_secret: 'hangar-secret', redirect_uri: 'https://ci.example.com/login' });
  });

  it('refreshes a token with its refresh token, and a refused code is UnauthorizedError', async () => {
    route('POST', '/login/oauth/access_token', { status: 200, body: tokenAnswer });
    const fresh = await scm.login?.refresh?.(token);
    expect(fresh?.access).toBe('new-access');
    expect(Object.fromEntries(new URLSearchParams(seen[0].body))).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'gitea-refresh-token', client_id: 'hangar-client' });
    route('POST', '/login/oauth/access_token', { status: 400, body: { error: 'unauthorized_client', error_description: 'invalid grant' } });
    const login = scm.login;
    if (login?.kind !== 'oauth2') throw new Error('Gitea logs in with OAuth2');
    await expect(login.exchange('bad-code', '')).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('reads the account (user.json) and its organisations (organizations.json)', async () => {
    route('GET', '/api/v1/user', { status: 200, body: { ...(recordedJson('user.json') as object), created: '2018-07-06T00:08:02Z' } });
    route('GET', '/api/v1/user/orgs', { status: 200, body: recordedJson('organizations.json') });
    expect(await scm.login?.user(token)).toEqual({ login: 'jcitizen', email: 'jane@example.com', avatar: 'https://secure.gravatar.com/avatar/8c58a0be77ee441bb8f8595b7f1b4e87', created: Date.parse('2018-07-06T00:08:02Z') / 1000 });
    expect(await scm.login?.orgs(token)).toEqual(['gogits']);
    expect(seen.map((call) => call.authorization)).toEqual(['Bearer gitea-access-token', 'Bearer gitea-access-token']);
    expect(seen[1]).toMatchObject({ path: '/api/v1/user/orgs', query: { page: '1', limit: '50' } });
  });

  it('clones with the token as the login and x-oauth-basic as the password', () => {
    expect(scm.name).toBe('gitea');
    expect(scm.cloneLogin?.(token)).toEqual({ login: 'gitea-access-token', password: 'x-oauth-basic' });
  });
});
