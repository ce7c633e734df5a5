// A Gogs stand-in: no OAuth (a user name and password become an access token through
// `/api/v1/users/{name}/tokens` with HTTP Basic auth), the REST API under /api/v1 taking `Authorization: token
// <sha1>` and answering with the recorded answers of ../shared/conformance/scm/gogs/ (their fields set to this
// stand-in's users, repositories and commits), no commit status API, git over smart HTTP (a token as the login
// or as the password, or the user's password), and webhooks delivered as Gogs delivers them: the recorded
// payloads, `X-Gogs-Event`, `X-Gogs-Delivery` and `X-Gogs-Signature` (bare hex HMAC-SHA256 of the body with
// the hook's secret). Tags arrive as a `create` event; a pull request's payload names no commit.

import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { type Call, type Delivery, type LoggedRequest, type Route, StandIn, type StandInHook, type StandInRepo, type StandInUser } from './standin.js';

const run = promisify(execFile);

export interface GogsRawDelivery {
  /** `push`, `create`, `pull_request`… (X-Gogs-Event). */
  event: string;
  payload: Record<string, unknown>;
  /** Defaults to a fresh UUID; repeat one to redeliver. */
  delivery?: string;
  /** Sign with this secret instead of the hook's; null sends no signature. */
  secret?: string | null;
}

/** An access token as Gogs keeps it: a name per user, the token itself shown once on creation. */
export interface GogsToken {
  login: string;
  name: string;
  sha1: string;
}

const EMPTY_SHA = '0'.repeat(40);
/** Gogs' webhook types (`type` of a created hook); anything else is refused with 422. */
const HOOK_TYPES = new Set(['gogs', 'slack', 'discord', 'dingtalk']);

export class GogsStandIn extends StandIn {
  /** Every access token created through the API, oldest first. */
  readonly tokens: GogsToken[] = [];
  /**
   * Gogs 0.13 and later list a digest of each token instead of the token (gogs/gogs#7172): only creation
   * answers the real value. Off: the older servers Drone was written against, which list the token itself.
   */
  listDigests = false;

  /** DRONE_GOGS_SERVER. */
  get server(): string {
    return this.url;
  }

  /** Requests that matched no route of a real Gogs (e.g. a commit status call, which Gogs has no API for). */
  unrouted(): LoggedRequest[] {
    return this.requests.filter((request) => this.strays.has(request));
  }

  private readonly strays = new Set<LoggedRequest>();

  protected authenticate(request: IncomingMessage): StandInUser | undefined {
    const header = request.headers.authorization ?? '';
    const token = /^token\s+(\S+)$/i.exec(header)?.[1];
    if (token) return this.userOfGogsToken(token);
    const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
    if (!basic) return undefined;
    const [login, ...rest] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    const user = this.users.get(login);
    return user && user.password === rest.join(':') ? user : undefined;
  }

  protected gitUser(login: string, password: string): StandInUser | undefined {
    // Gogs tries the user name and password, then the user name as a token, then the password as a token.
    const user = this.users.get(login);
    if (user && user.password === password) return user;
    return this.userOfGogsToken(login) ?? this.userOfGogsToken(password);
  }

  private userOfGogsToken(sha1: string): StandInUser | undefined {
    const token = this.tokens.find((entry) => entry.sha1 === sha1);
    return token ? this.users.get(token.login) : undefined;
  }

  protected routes(): Route[] {
    const api = (method: string, path: string, handle: (call: Call) => Promise<void> | void): Route => ({ method, path: new RegExp(`^/api/v1${path}$`), handle });
    const repo = '/repos/([^/]+/[^/]+)';
    return [
      api('GET', '/users/([^/]+)/tokens', (call) => this.withBasic(call, (user) => this.listTokens(call, user))),
      api('POST', '/users/([^/]+)/tokens', (call) => this.withBasic(call, (user) => this.createToken(call, user))),
      api('GET', '/user', (call) => this.withToken(call, (user) => this.whoami(call, user))),
      api('GET', '/user/orgs', (call) => this.withToken(call, (user) => this.orgs(call, user))),
      api('GET', '/user/repos', (call) => this.withToken(call, (user) => this.userRepos(call, user))),
      api('GET', repo, (call) => this.withRepo(call, 'read', async (r) => call.json(200, await this.repoJson(r, call.user)))),
      api('GET', `${repo}/hooks`, (call) => this.withRepo(call, 'admin', async (r) => call.json(200, await Promise.all(r.hooks.map((hook) => this.hookJson(hook)))))),
      api('POST', `${repo}/hooks`, (call) => this.withRepo(call, 'admin', (r) => this.createHook(call, r))),
      api('DELETE', `${repo}/hooks/(\\d+)`, (call) => this.withRepo(call, 'admin', (r) => this.deleteHook(call, r))),
      api('GET', `${repo}/branches/(.+)`, (call) => this.withRepo(call, 'read', (r) => this.branch(call, r))),
      // `/commits/:sha` is one commit; `/commits/*` (a ref with slashes) answers the commit id as plain text.
      api('GET', `${repo}/commits/([^/]+)`, (call) => this.withRepo(call, 'read', (r) => this.commitJson(call, r))),
      api('GET', `${repo}/commits/(.+)`, (call) => this.withRepo(call, 'read', (r) => this.referenceSha(call, r, call.params[1]))),
      api('GET', `${repo}/raw/([^/]+)/(.+)`, (call) => this.withRepo(call, 'read', (r) => this.raw(call, r))),
      // What a real Gogs answers for any other path; recorded so a test can say Hangar called no such API.
      ...['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((method): Route => ({ method, path: /^\//, handle: (call) => this.stray(call) })),
    ];
  }

  // ---- Tokens (the login) --------------------------------------------------------------------------------

  /** Gogs' `reqBasicAuth`: only a user name and password open these; the tokens are the signed-in user's. */
  private withBasic(call: Call, then: (user: StandInUser) => void): void {
    const basic = /^Basic\s/i.test(call.request.headers.authorization ?? '');
    if (!basic || !call.user) return call.json(401, { message: 'Unauthorized' });
    then(call.user);
  }

  private listTokens(call: Call, user: StandInUser): void {
    const mine = this.tokens.filter((token) => token.login === user.login);
    call.json(200, mine.map((token) => ({ name: token.name, sha1: this.listDigests ? createHash('sha256').update(token.sha1).digest('hex') : token.sha1 })));
  }

  private createToken(call: Call, user: StandInUser): void {
    const body = parseJson(call.body);
    const name = typeof body.name === 'string' ? body.name : '';
    if (!name) return call.json(422, [{ fieldNames: ['Name'], classification: 'RequiredError', message: 'Required' }]);
    if (this.tokens.some((token) => token.login === user.login && token.name === name)) return call.json(422, { message: 'access token name already exists' });
    const token: GogsToken = { login: user.login, name, sha1: randomBytes(20).toString('hex') };
    this.tokens.push(token);
    user.token = token.sha1;
    call.json(201, { name, sha1: token.sha1 });
  }

  // ---- API ---------------------------------------------------------------------------------------------

  private withToken(call: Call, then: (user: StandInUser) => Promise<void> | void): Promise<void> | void {
    if (!call.user) return call.json(401, { message: 'Unauthorized' });
    return then(call.user);
  }

  async userJson(user: StandInUser): Promise<Record<string, unknown>> {
    const template = await this.conformance('gogs', 'user.json');
    return { ...template, id: user.id, login: user.login, username: user.login, full_name: user.login, email: user.email, avatar_url: `${this.url}/avatars/${user.id}` };
  }

  private async whoami(call: Call, user: StandInUser): Promise<void> {
    call.json(200, await this.userJson(user));
  }

  private async orgs(call: Call, user: StandInUser): Promise<void> {
    const [template] = (await this.conformance('gogs', 'organizations.json')) as unknown as Array<Record<string, unknown>>;
    call.json(200, user.orgs.map((login) => ({ ...template, id: this.id(), username: login, full_name: login, avatar_url: `${this.url}/avatars/${login}` })));
  }

  private async userRepos(call: Call, user: StandInUser): Promise<void> {
    const visible = [...this.repos.values()].filter((repo) => repo.collaborators.has(user.login));
    call.json(200, await Promise.all(visible.map((repo) => this.repoJson(repo, user))));
  }

  private async withRepo(call: Call, need: 'read' | 'write' | 'admin', then: (repo: StandInRepo) => Promise<void> | void): Promise<void> {
    const repo = this.repos.get(call.params[0]);
    const perms = repo && call.user ? repo.collaborators.get(call.user.login) : undefined;
    const allowed = repo && (perms?.[need] || (need === 'read' && !repo.private));
    if (!repo || !allowed) return call.json(404, { message: 'Not Found' });
    await then(repo);
  }

  /** The repository as the API answers it; `user` adds the permissions (a webhook's copy has none). */
  async repoJson(repo: StandInRepo, user: StandInUser | undefined): Promise<Record<string, unknown>> {
    const template = await this.conformance('gogs', 'repo.json');
    const owner = this.users.get(repo.owner);
    const { permissions: _permissions, ...rest } = template;
    const json: Record<string, unknown> = {
      ...rest,
      id: repo.id,
      owner: { ...(template.owner as object), id: owner?.id ?? repo.id, login: repo.owner, username: repo.owner, full_name: repo.owner, avatar_url: `${this.url}/avatars/${repo.owner}` },
      name: repo.name,
      full_name: repo.slug,
      private: repo.private,
      html_url: `${this.url}/${repo.slug}`,
      ssh_url: `git@127.0.0.1:${repo.slug}.git`,
      clone_url: `${this.url}/${repo.slug}.git`,
      default_branch: repo.defaultBranch,
    };
    if (user) {
      const perms = repo.collaborators.get(user.login) ?? { read: !repo.private, write: false, admin: false };
      json.permissions = { admin: perms.admin, push: perms.write, pull: perms.read };
    }
    return json;
  }

  private async hookJson(hook: StandInHook): Promise<Record<string, unknown>> {
    const template = await this.conformance('gogs', 'hook.json');
    // Gogs never answers a hook's secret.
    return { ...template, id: hook.id, events: hook.events, config: { content_type: 'json', url: hook.url } };
  }

  private async createHook(call: Call, repo: StandInRepo): Promise<void> {
    const body = parseJson(call.body) as { type?: unknown; events?: unknown; active?: unknown; config?: { url?: unknown; content_type?: unknown; secret?: unknown } };
    if (typeof body.type !== 'string' || !HOOK_TYPES.has(body.type)) return call.json(422, { message: 'Invalid hook type.' });
    if (typeof body.config?.url !== 'string' || typeof body.config.content_type !== 'string') return call.json(422, { message: 'Missing config option: url, content_type' });
    if (body.config.content_type !== 'json' && body.config.content_type !== 'form') return call.json(422, { message: 'Invalid content type' });
    const events = Array.isArray(body.events) ? body.events.filter((event): event is string => typeof event === 'string') : ['push'];
    const hook: StandInHook = { id: this.id(), url: body.config.url, secret: typeof body.config.secret === 'string' ? body.config.secret : '', events, request: body };
    repo.hooks.push(hook);
    call.json(201, await this.hookJson(hook));
  }

  private deleteHook(call: Call, repo: StandInRepo): void {
    const id = Number(call.params[1]);
    const before = repo.hooks.length;
    repo.hooks = repo.hooks.filter((hook) => hook.id !== id);
    call.json(repo.hooks.length < before ? 204 : 404, repo.hooks.length < before ? undefined : { message: 'Not Found' });
  }

  /** A commit as a webhook or a branch names it (Gogs' PayloadCommit). */
  private async payloadCommit(repo: StandInRepo, sha: string): Promise<Record<string, unknown> | undefined> {
    const info = await this.commitInfo(repo, sha);
    if (!info) return undefined;
    const person = { name: info.name, email: info.email, username: '' };
    return {
      id: info.sha,
      // Gogs keeps the message's final newline.
      message: `${info.message}\n`,
      url: `${this.url}/${repo.slug}/commit/${info.sha}`,
      author: person,
      committer: person,
      added: [],
      removed: [],
      modified: [],
      timestamp: info.date,
    };
  }

  private async branch(call: Call, repo: StandInRepo): Promise<void> {
    const name = call.params[1];
    const sha = await this.head(repo, `refs/heads/${name}`);
    if (sha === EMPTY_SHA) return call.json(404, { message: 'Not Found' });
    const template = await this.conformance('gogs', 'branch.json');
    call.json(200, { ...template, name, commit: await this.payloadCommit(repo, sha) });
  }

  private async commitJson(call: Call, repo: StandInRepo): Promise<void> {
    // Gogs answers the bare commit id to `Accept: application/vnd.gogs.sha`.
    if (String(call.request.headers.accept ?? '').includes('application/vnd.gogs.sha')) return this.referenceSha(call, repo, call.params[1]);
    const info = await this.commitInfo(repo, call.params[1]);
    if (!info) return call.json(404, { message: 'Not Found' });
    const template = await this.conformance('gogs', 'commits.json');
    const api = `${this.url}/api/v1/repos/${repo.slug}`;
    const templateCommit = template.commit as Record<string, unknown>;
    const person = { name: info.name, email: info.email, date: info.date };
    call.json(200, {
      ...template,
      url: `${api}/commits/${info.sha}`,
      sha: info.sha,
      html_url: `${this.url}/${repo.slug}/commits/${info.sha}`,
      commit: { ...templateCommit, url: `${api}/commits/${info.sha}`, author: person, committer: person, message: `${info.message}\n`, tree: { url: `${api}/tree/${info.sha}`, sha: info.sha } },
      // No Gogs account has the stand-in author's email.
      author: null,
      committer: null,
      parents: [],
    });
  }

  /** GetReferenceSHA: `refs/heads/x`, `refs/tags/x` or a bare branch or tag name → the commit id as text. */
  private async referenceSha(call: Call, repo: StandInRepo, ref: string): Promise<void> {
    let sha = EMPTY_SHA;
    if (ref.startsWith('refs/heads/') || ref.startsWith('refs/tags/')) sha = await this.head(repo, ref);
    else if (/^[0-9a-f]{40}$/.test(ref)) sha = (await this.commitInfo(repo, ref))?.sha ?? EMPTY_SHA;
    else {
      sha = await this.head(repo, `refs/heads/${ref}`);
      if (sha === EMPTY_SHA) sha = await this.head(repo, `refs/tags/${ref}`);
    }
    if (sha === EMPTY_SHA) return call.json(404, { message: 'Not Found' });
    call.response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    call.response.end(sha);
  }

  private async raw(call: Call, repo: StandInRepo): Promise<void> {
    const content = await this.show(repo, call.params[1], call.params[2]);
    if (content === undefined) return call.json(404, { message: 'Not Found' });
    call.response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    call.response.end(content);
  }

  private stray(call: Call): void {
    const logged = this.requests.at(-1);
    if (logged) this.strays.add(logged);
    call.json(404, { message: 'Not Found' });
  }

  // ---- Webhooks ----------------------------------------------------------------------------------------

  /** Delivers one event to every hook of the repository, as Gogs' webhook queue does. */
  async deliver(repo: StandInRepo, delivery: GogsRawDelivery): Promise<Delivery[]> {
    const id = delivery.delivery ?? randomUUID();
    return this.deliverToHooks(repo, (hook) => {
      const body = JSON.stringify(delivery.payload, null, 2);
      const secret = delivery.secret === undefined ? hook.secret : delivery.secret;
      const headers: Record<string, string> = { 'user-agent': 'GogsServer', 'x-gogs-delivery': id, 'x-gogs-event': delivery.event };
      if (secret !== null) headers['x-gogs-signature'] = createHmac('sha256', secret).update(body).digest('hex');
      return { headers, body };
    });
  }

  private async userPayload(user: StandInUser): Promise<Record<string, unknown>> {
    return { ...(await this.userJson(user)), full_name: '' };
  }

  /** A push payload (Gogs' recorded push, its fields set to this push). */
  async pushPayload(repo: StandInRepo, ref: string, before: string, after: string, sender: StandInUser): Promise<Record<string, unknown>> {
    const template = await this.conformance('gogs', 'webhooks/push.json');
    const head = await this.payloadCommit(repo, after);
    const user = await this.userPayload(sender);
    return {
      ...template,
      ref,
      before,
      after,
      // Gogs sends no compare page for a new branch.
      compare_url: before === EMPTY_SHA ? '' : `${this.url}/${repo.slug}/compare/${before}...${after}`,
      commits: head ? [head] : [],
      repository: await this.repoJson(repo, undefined),
      pusher: user,
      sender: user,
    };
  }

  /** Commits to a branch and delivers the push. */
  async push(repo: StandInRepo, files: Record<string, string>, message: string, options: { branch?: string; sender: StandInUser; delivery?: string }): Promise<{ sha: string; deliveries: Delivery[] }> {
    const { before, after } = await this.commit(repo, files, message, options.branch);
    const payload = await this.pushPayload(repo, `refs/heads/${options.branch ?? repo.defaultBranch}`, before, after, options.sender);
    return { sha: after, deliveries: await this.deliver(repo, { event: 'push', payload, delivery: options.delivery }) };
  }

  /** The `create` payload of a tag (short name, `ref_type: tag`, its commit). */
  async tagPayload(repo: StandInRepo, tag: string, sha: string, sender: StandInUser): Promise<Record<string, unknown>> {
    const template = await this.conformance('gogs', 'webhooks/tag_create.json');
    return { ...template, ref: tag, ref_type: 'tag', sha, default_branch: repo.defaultBranch, repository: await this.repoJson(repo, undefined), sender: await this.userPayload(sender) };
  }

  /** Tags the default branch's head and delivers Gogs' `create` event (Gogs sends no push for a tag). */
  async pushTag(repo: StandInRepo, tag: string, sender: StandInUser): Promise<{ sha: string; deliveries: Delivery[] }> {
    const sha = await this.tag(repo, tag);
    return { sha, deliveries: await this.deliver(repo, { event: 'create', payload: await this.tagPayload(repo, tag, sha, sender) }) };
  }

  /** The `pull_request` payload: branches and repositories, no commit (Gogs sends none). */
  async pullRequestPayload(repo: StandInRepo, options: { action: string; number: number; branch: string; title: string; body?: string; sender: StandInUser }): Promise<Record<string, unknown>> {
    const template = await this.conformance('gogs', 'webhooks/pull_request_opened.json');
    const pr = template.pull_request as Record<string, unknown>;
    const repository = await this.repoJson(repo, undefined);
    const user = await this.userPayload(options.sender);
    return {
      ...template,
      action: options.action,
      number: options.number,
      pull_request: {
        ...pr,
        id: this.id(),
        number: options.number,
        user,
        title: options.title,
        body: options.body ?? '',
        head_branch: options.branch,
        head_repo: repository,
        base_branch: repo.defaultBranch,
        base_repo: repository,
        html_url: `${this.url}/${repo.slug}/pulls/${options.number}`,
      },
      repository,
      sender: user,
    };
  }

  /** Commits to a new branch, publishes `refs/pull/N/head` (as Gogs does) and delivers `pull_request` opened. */
  async openPullRequest(repo: StandInRepo, options: { number: number; branch: string; files: Record<string, string>; title: string; body?: string; sender: StandInUser; delivery?: string }): Promise<{ sha: string; deliveries: Delivery[] }> {
    await run('git', ['-C', repo.work, 'checkout', '--quiet', repo.defaultBranch]);
    const { after } = await this.commit(repo, options.files, options.title, options.branch);
    await run('git', ['-C', repo.bare, 'update-ref', `refs/pull/${options.number}/head`, after]);
    await run('git', ['-C', repo.work, 'checkout', '--quiet', repo.defaultBranch]);
    const payload = await this.pullRequestPayload(repo, { ...options, action: 'opened' });
    return { sha: after, deliveries: await this.deliver(repo, { event: 'pull_request', payload, delivery: options.delivery }) };
  }

  /** Commits to a pull request's branch, moves `refs/pull/N/head` along (as Gogs does); answers the new head. */
  async pushToPullRequest(repo: StandInRepo, options: { number: number; branch: string; files: Record<string, string>; message: string }): Promise<string> {
    await run('git', ['-C', repo.work, 'checkout', '--quiet', options.branch]);
    const { after } = await this.commit(repo, options.files, options.message, options.branch);
    await run('git', ['-C', repo.bare, 'update-ref', `refs/pull/${options.number}/head`, after]);
    await run('git', ['-C', repo.work, 'checkout', '--quiet', repo.defaultBranch]);
    return after;
  }
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
