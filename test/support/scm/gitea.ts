// A Gitea stand-in: OAuth2 at /login/oauth/* as Gitea runs it (the registered redirect_uri checked on the
// authorization and again on the code exchange, tokens that expire after `expires_in` seconds and come with a
// single-use refresh token), the REST API under /api/v1 answering with the recorded answers of
// ../shared/conformance/scm/gitea/ (their fields set to this stand-in's users, repositories and commits), git
// over smart HTTP with Gitea's clone credentials, and webhooks delivered as Gitea delivers them: the recorded
// payloads, `X-Gitea-Event` / `X-Gitea-Delivery` / `X-Gitea-Signature` (bare hex HMAC-SHA256 with the hook's
// secret) and the `X-Gogs-*`, `X-GitHub-*` and `X-Hub-Signature*` copies a current Gitea sends along.

import { execFile } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { type Call, type Delivery, type Route, StandIn, type StandInHook, type StandInRepo, type StandInUser } from './standin.js';

const run = promisify(execFile);
const ZERO = '0'.repeat(40);

export interface GiteaStandInOptions {
  clientId: string;
  clientSecret: string;
  /** The OAuth2 application's registered redirect URI: Gitea refuses any other. */
  redirectUrl: string;
  /** Lifetime of the access tokens it issues, in seconds (Gitea's default is an hour). */
  tokenLifetime?: number;
}

/** One token pair the OAuth2 endpoint issued. */
export interface IssuedToken {
  grant: 'authorization_code' | 'refresh_token';
  login: string;
  access: string;
  refresh: string;
  /** The refresh token this pair was exchanged for (refresh grants only). */
  renewed?: string;
  /** ms since the epoch. */
  expiresAt: number;
}

export interface RawDelivery {
  event: string;
  payload: Record<string, unknown>;
  /** X-Gitea-Event-Type (newer Gitea): defaults to the event. */
  eventType?: string;
  /** Defaults to a fresh UUID; repeat one to redeliver. */
  delivery?: string;
  /** Sign with this secret instead of the hook's; null sends no signature at all. */
  secret?: string | null;
}

export class GiteaStandIn extends StandIn {
  /** Who the authorization page logs in (a real Gitea asks the person, then remembers the grant). */
  loginAs = '';
  /** Every token pair issued, oldest first. */
  readonly issued: IssuedToken[] = [];
  /** Tokens presented to the API or to git that were unknown or expired. */
  readonly refused: Array<{ path: string; token: string; reason: string }> = [];
  private readonly codes = new Map<string, { login: string; redirectUri: string }>();
  /** Refresh tokens not used yet → the login they renew. */
  private readonly refreshable = new Map<string, string>();

  constructor(
    dir: string,
    readonly options: GiteaStandInOptions,
  ) {
    super(dir);
  }

  /** The address Hangar is given as DRONE_GITEA_SERVER. */
  get server(): string {
    return this.url;
  }

  /** The token pair an access token belongs to. */
  issuedFor(access: string): IssuedToken | undefined {
    return this.issued.find((token) => token.access === access);
  }

  protected authenticate(request: IncomingMessage): StandInUser | undefined {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const token = /^(?:Bearer|token)\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? url.searchParams.get('access_token') ?? url.searchParams.get('token') ?? undefined;
    return token ? this.userOfAccessToken(token, url.pathname) : undefined;
  }

  /**
   * Gitea's basic authentication of git requests: a token as the login with an empty or `x-oauth-basic`
   * password, else the password tried as a token, else the account's password.
   */
  protected gitUser(login: string, password: string): StandInUser | undefined {
    if (password === '' || password === 'x-oauth-basic') return this.userOfAccessToken(login, 'git');
    const user = this.users.get(login);
    if (user && user.password === password) return user;
    return this.userOfAccessToken(password, 'git');
  }

  private userOfAccessToken(token: string, path: string): StandInUser | undefined {
    const issued = this.issuedFor(token);
    if (!issued) {
      this.refused.push({ path, token, reason: 'unknown token' });
      return undefined;
    }
    if (issued.expiresAt <= Date.now()) {
      this.refused.push({ path, token, reason: 'expired token' });
      return undefined;
    }
    return this.users.get(issued.login);
  }

  protected routes(): Route[] {
    const api = (method: string, path: string, handle: (call: Call) => Promise<void> | void): Route => ({ method, path: new RegExp(`^/api/v1${path}$`), handle });
    const repo = '/repos/([^/]+/[^/]+)';
    return [
      { method: 'GET', path: /^\/login\/oauth\/authorize$/, handle: (call) => this.authorize(call) },
      { method: 'POST', path: /^\/login\/oauth\/access_token$/, handle: (call) => this.accessToken(call) },
      api('GET', '/user', (call) => this.whoami(call)),
      api('GET', '/user/orgs', (call) => this.orgs(call)),
      api('GET', '/user/repos', (call) => this.userRepos(call)),
      api('GET', repo, (call) => this.withRepo(call, 'read', async (r) => call.json(200, await this.repoJson(r, call.user)))),
      api('GET', `${repo}/hooks`, (call) => this.withRepo(call, 'admin', async (r) => this.page(call, await Promise.all(r.hooks.map((hook) => this.hookJson(hook)))))),
      api('POST', `${repo}/hooks`, (call) => this.withRepo(call, 'admin', (r) => this.createHook(call, r))),
      api('DELETE', `${repo}/hooks/(\\d+)`, (call) => this.withRepo(call, 'admin', (r) => this.deleteHook(call, r))),
      api('GET', `${repo}/contents/(.+)`, (call) => this.withRepo(call, 'read', (r) => this.contents(call, r))),
      api('GET', `${repo}/raw/(.+)`, (call) => this.withRepo(call, 'read', (r) => this.raw(call, r))),
      api('GET', `${repo}/git/commits/([^/]+)`, (call) => this.withRepo(call, 'read', (r) => this.commitJson(call, r))),
      api('GET', `${repo}/branches/(.+)`, (call) => this.withRepo(call, 'read', (r) => this.branchJson(call, r))),
      api('GET', `${repo}/git/(refs/.+)`, (call) => this.withRepo(call, 'read', (r) => this.refsJson(call, r))),
      api('POST', `${repo}/statuses/([0-9a-f]{40})`, (call) => this.withRepo(call, 'write', (r) => this.status(call, r))),
    ];
  }

  // ---- OAuth2 ------------------------------------------------------------------------------------------

  private authorize(call: Call): void {
    const redirectUri = call.query.get('redirect_uri') ?? '';
    if (call.query.get('client_id') !== this.options.clientId) return html(call, 400, 'Client ID not registered');
    if (redirectUri !== this.options.redirectUrl) return html(call, 400, 'Unregistered Redirect URI');
    if (call.query.get('response_type') !== 'code') return html(call, 400, 'Only code response type is supported.');
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { login: this.loginAs, redirectUri });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    target.searchParams.set('state', call.query.get('state') ?? '');
    call.response.writeHead(302, { location: target.toString() });
    call.response.end();
  }

  private accessToken(call: Call): void {
    const form = new URLSearchParams(call.body);
    const basic = /^Basic (.+)$/.exec(call.request.headers.authorization ?? '');
    const [basicId, basicSecret] = basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(':') : [];
    const clientId = form.get('client_id') ?? basicId;
    const clientSecret = form.get('client_secret') ?? basicSecret;
    const refuse = (error: string, description: string) => call.json(400, { error, error_description: description });
    if (clientId !== this.options.clientId) return refuse('invalid_client', 'cannot load client');
    if (clientSecret !== this.options.clientSecret) return refuse('unauthorized_client', 'invalid client secret');
    switch (form.get('grant_type')) {
      case 'authorization_code': {
        const code = this.codes.get(form.get('code') ?? '');
        this.codes.delete(form.get('code') ?? '');
        if (!code) return refuse('unauthorized_client', 'client is not authorized');
        if (form.get('redirect_uri') !== code.redirectUri) return refuse('unauthorized_client', 'unexpected redirect URI');
        return this.issue(call, 'authorization_code', code.login);
      }
      case 'refresh_token': {
        const refresh = form.get('refresh_token') ?? '';
        const login = this.refreshable.get(refresh);
        // A refresh token is good for one renewal: Gitea counts them and refuses an old one.
        if (!login) return refuse('unauthorized_client', 'token was already used');
        this.refreshable.delete(refresh);
        return this.issue(call, 'refresh_token', login, refresh);
      }
      default:
        return refuse('unsupported_grant_type', 'Only refresh_token or authorization_code grant type is supported');
    }
  }

  private issue(call: Call, grant: IssuedToken['grant'], login: string, renewed?: string): void {
    const user = this.users.get(login);
    if (!user) return call.json(400, { error: 'invalid_request', error_description: 'cannot find user' });
    const lifetime = this.options.tokenLifetime ?? 3600;
    const token: IssuedToken = { grant, login, access: `gta_${randomBytes(20).toString('hex')}`, refresh: `gtr_${randomBytes(20).toString('hex')}`, renewed, expiresAt: Date.now() + lifetime * 1000 };
    this.issued.push(token);
    this.refreshable.set(token.refresh, login);
    user.token = token.access;
    user.refresh = token.refresh;
    call.json(200, { access_token: token.access, token_type: 'bearer', expires_in: lifetime, refresh_token: token.refresh });
  }

  // ---- API ---------------------------------------------------------------------------------------------

  private async userJson(user: StandInUser): Promise<Record<string, unknown>> {
    const template = await this.conformance('gitea', 'user.json');
    return { ...template, id: user.id, login: user.login, username: user.login, full_name: user.login, email: user.email, avatar_url: `${this.url}/avatars/${user.login}` };
  }

  private async whoami(call: Call): Promise<void> {
    if (!call.user) return unauthorized(call);
    call.json(200, await this.userJson(call.user));
  }

  private async orgs(call: Call): Promise<void> {
    if (!call.user) return unauthorized(call);
    const [template] = (await this.conformance('gitea', 'organizations.json')) as unknown as Array<Record<string, unknown>>;
    this.page(
      call,
      call.user.orgs.map((login) => ({ ...template, id: this.id(), username: login, name: login, full_name: login, avatar_url: `${this.url}/avatars/${login}` })),
    );
  }

  private async userRepos(call: Call): Promise<void> {
    if (!call.user) return unauthorized(call);
    const user = call.user;
    const visible = [...this.repos.values()].filter((repo) => repo.collaborators.has(user.login));
    this.page(call, await Promise.all(visible.map((repo) => this.repoJson(repo, user))));
  }

  /** Gitea's paging: `page` and `limit`, a `Link` header naming the next page, `X-Total-Count`. */
  private page(call: Call, items: unknown[]): void {
    const page = Math.max(1, Number(call.query.get('page') ?? 1));
    const limit = Math.min(50, Math.max(1, Number(call.query.get('limit') ?? 30)));
    const headers: Record<string, string> = { 'x-total-count': String(items.length) };
    if (page * limit < items.length) {
      const next = new URL(call.request.url ?? '/', this.url);
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    call.json(200, items.slice((page - 1) * limit, page * limit), headers);
  }

  private async withRepo(call: Call, need: 'read' | 'write' | 'admin', then: (repo: StandInRepo) => Promise<void> | void): Promise<void> {
    // Gitea answers 401 to a request whose token it does not know, whatever the repository.
    if (!call.user && presentsToken(call)) return unauthorized(call);
    const repo = this.repos.get(call.params[0]);
    const perms = repo && call.user ? repo.collaborators.get(call.user.login) : undefined;
    const allowed = repo && (perms?.[need] || (need === 'read' && !repo.private));
    if (!repo || !allowed) return call.json(404, { errors: null, message: 'not found', url: `${this.url}/api/swagger` });
    await then(repo);
  }

  async repoJson(repo: StandInRepo, user: StandInUser | undefined): Promise<Record<string, unknown>> {
    const template = await this.conformance('gitea', 'repo.json');
    const perms = (user && repo.collaborators.get(user.login)) ?? { read: !repo.private, write: false, admin: false };
    const owner = this.users.get(repo.owner);
    return {
      ...template,
      id: repo.id,
      owner: { ...(template.owner as object), id: owner?.id ?? this.id(), login: repo.owner, username: repo.owner, full_name: repo.owner, avatar_url: `${this.url}/avatars/${repo.owner}` },
      name: repo.name,
      full_name: repo.slug,
      private: repo.private,
      internal: false,
      archived: false,
      html_url: `${this.url}/${repo.slug}`,
      ssh_url: `git@127.0.0.1:${repo.slug}.git`,
      clone_url: `${this.url}/${repo.slug}.git`,
      default_branch: repo.defaultBranch,
      permissions: { admin: perms.admin, push: perms.write, pull: perms.read },
    };
  }

  private async hookJson(hook: StandInHook): Promise<Record<string, unknown>> {
    const template = await this.conformance('gitea', 'hook.json');
    // Gitea never answers a hook's secret.
    return { ...template, id: hook.id, type: 'gitea', events: hook.events, active: true, config: { url: hook.url, content_type: 'json' } };
  }

  private async createHook(call: Call, repo: StandInRepo): Promise<void> {
    const body = JSON.parse(call.body) as { type?: string; events?: string[]; active?: boolean; config?: { url?: string; secret?: string; content_type?: string } };
    if (!['gitea', 'gogs', 'slack', 'discord', 'dingtalk', 'telegram', 'msteams', 'feishu', 'matrix'].includes(body.type ?? '')) return call.json(422, { message: 'Invalid hook type' });
    if (!body.config?.url || !body.config.content_type) return call.json(422, { message: 'Missing config option: url, content_type' });
    if (!['json', 'form'].includes(body.config.content_type)) return call.json(422, { message: 'Invalid content type' });
    const hook: StandInHook = { id: this.id(), url: body.config.url, secret: body.config.secret ?? '', events: body.events ?? ['push'], request: body };
    repo.hooks.push(hook);
    call.json(201, await this.hookJson(hook));
  }

  private deleteHook(call: Call, repo: StandInRepo): void {
    const id = Number(call.params[1]);
    const before = repo.hooks.length;
    repo.hooks = repo.hooks.filter((hook) => hook.id !== id);
    call.json(repo.hooks.length < before ? 204 : 404, repo.hooks.length < before ? undefined : { message: 'not found' });
  }

  private async contents(call: Call, repo: StandInRepo): Promise<void> {
    const ref = call.query.get('ref') ?? repo.defaultBranch;
    const path = call.params[1];
    const content = await this.show(repo, ref, path);
    if (content === undefined) return call.json(404, { message: `object does not exist [id: , rel_path: ${path}]` });
    const [template] = (await this.conformance('gitea', 'content_list.json')) as unknown as Array<Record<string, unknown>>;
    const sha = (await run('git', ['-C', repo.bare, 'rev-parse', `${ref}:${path}`])).stdout.trim();
    call.json(200, {
      ...template,
      name: path.split('/').pop(),
      path,
      sha,
      type: 'file',
      size: Buffer.byteLength(content),
      encoding: 'base64',
      content: Buffer.from(content).toString('base64'),
      url: `${this.url}/api/v1/repos/${repo.slug}/contents/${path}?ref=${ref}`,
      html_url: `${this.url}/${repo.slug}/src/commit/${ref}/${path}`,
      download_url: `${this.url}/${repo.slug}/raw/commit/${ref}/${path}`,
    });
  }

  private async raw(call: Call, repo: StandInRepo): Promise<void> {
    const content = await this.show(repo, call.query.get('ref') ?? repo.defaultBranch, call.params[1]);
    if (content === undefined) return call.json(404, { message: 'not found' });
    call.response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    call.response.end(content);
  }

  /** A commit's author on Gitea: the account whose email matches, else null. */
  private async authorAccount(email: string): Promise<Record<string, unknown> | null> {
    const user = [...this.users.values()].find((candidate) => candidate.email === email);
    return user ? this.userJson(user) : null;
  }

  private async commitJson(call: Call, repo: StandInRepo): Promise<void> {
    const info = await this.commitInfo(repo, call.params[1]);
    if (!info) return call.json(404, { message: `sha not found [${call.params[1]}]` });
    const template = await this.conformance('gitea', 'commit.json');
    const api = `${this.url}/api/v1/repos/${repo.slug}/git/commits/${info.sha}`;
    const person = { name: info.name, email: info.email, date: info.date };
    const account = await this.authorAccount(info.email);
    call.json(200, {
      ...template,
      url: api,
      sha: info.sha,
      html_url: `${this.url}/${repo.slug}/commit/${info.sha}`,
      commit: { ...(template.commit as object), url: api, author: person, committer: person, message: `${info.message}\n` },
      author: account,
      committer: account,
    });
  }

  private async branchJson(call: Call, repo: StandInRepo): Promise<void> {
    const branch = call.params[1];
    const sha = await this.head(repo, `refs/heads/${branch}`);
    const info = sha === ZERO ? undefined : await this.commitInfo(repo, sha);
    if (!info) return call.json(404, { message: `branch does not exist [name: ${branch}]` });
    const template = await this.conformance('gitea', 'branch.json');
    const person = { name: info.name, email: info.email, username: '' };
    call.json(200, {
      ...template,
      name: branch,
      commit: { ...(template.commit as object), id: info.sha, message: `${info.message}\n`, url: `${this.url}/${repo.slug}/commit/${info.sha}`, author: person, committer: person, timestamp: info.date },
    });
  }

  /** `GET /repos/{slug}/git/refs/…`: every ref the path prefixes; one object when exactly that ref alone matches. */
  private async refsJson(call: Call, repo: StandInRepo): Promise<void> {
    const prefix = call.params[1];
    const { stdout } = await run('git', ['-C', repo.bare, 'for-each-ref', '--format=%(refname) %(objecttype) %(objectname)', prefix, `${prefix}*`]);
    const [template] = (await this.conformance('gitea', 'tag.json')) as unknown as Array<Record<string, unknown>>;
    const refs = [...new Set(stdout.split('\n').filter(Boolean))].map((line) => {
      const [ref, type, sha] = line.split(' ');
      return { ...template, ref, url: `${this.url}/api/v1/repos/${repo.slug}/git/${ref}`, object: { type, sha, url: `${this.url}/api/v1/repos/${repo.slug}/git/commits/${sha}` } };
    });
    if (refs.length === 0) return call.json(404, { message: 'not found' });
    call.json(200, refs.length === 1 && refs[0].ref === prefix ? refs[0] : refs);
  }

  private async status(call: Call, repo: StandInRepo): Promise<void> {
    const body = JSON.parse(call.body) as Record<string, unknown>;
    if (!['pending', 'success', 'error', 'failure', 'warning'].includes(String(body.state))) return call.json(422, { message: `invalid state ${String(body.state)}` });
    repo.statuses.push({ sha: call.params[1], body });
    const template = await this.conformance('gitea', 'status.json');
    call.json(201, {
      ...template,
      id: this.id(),
      status: body.state,
      target_url: body.target_url,
      description: body.description,
      context: body.context,
      url: `${this.url}/api/v1/repos/${repo.slug}/statuses/${call.params[1]}`,
      creator: call.user ? await this.userJson(call.user) : null,
    });
  }

  // ---- Webhooks ----------------------------------------------------------------------------------------

  /** Delivers one event to every hook of the repository, as Gitea's webhook deliverer does. */
  async deliver(repo: StandInRepo, delivery: RawDelivery): Promise<Delivery[]> {
    const id = delivery.delivery ?? randomUUID();
    return this.deliverToHooks(repo, (hook) => this.signed(hook, { ...delivery, delivery: id }));
  }

  /** The headers and body Gitea would post to `hook`: its own headers and the Gogs and GitHub copies. */
  signed(hook: StandInHook, delivery: RawDelivery): { headers: Record<string, string>; body: string } {
    const body = JSON.stringify(delivery.payload, null, 2);
    const secret = delivery.secret === undefined ? hook.secret : delivery.secret;
    const id = delivery.delivery ?? randomUUID();
    const type = delivery.eventType ?? delivery.event;
    const headers: Record<string, string> = {
      'user-agent': 'Go-http-client/1.1',
      'x-gitea-delivery': id,
      'x-gitea-event': delivery.event,
      'x-gitea-event-type': type,
      'x-gogs-delivery': id,
      'x-gogs-event': delivery.event,
      'x-gogs-event-type': type,
      'x-github-delivery': id,
      'x-github-event': delivery.event,
      'x-github-event-type': type,
      'x-gitea-hook-installation-target-type': 'repository',
    };
    if (secret !== null) {
      const sha256 = createHmac('sha256', secret).update(body).digest('hex');
      headers['x-gitea-signature'] = sha256;
      headers['x-gogs-signature'] = sha256;
      headers['x-hub-signature'] = `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
      headers['x-hub-signature-256'] = `sha256=${sha256}`;
    }
    return { headers, body };
  }

  /** The repository as a payload carries it. */
  private async repositoryPayload(repo: StandInRepo): Promise<Record<string, unknown>> {
    const { permissions: _permissions, ...rest } = await this.repoJson(repo, undefined);
    return rest;
  }

  private async senderPayload(user: StandInUser): Promise<Record<string, unknown>> {
    return this.userJson(user);
  }

  /** A push payload (Gitea's recorded push, its fields set to this push); a tag push lists no commits, as Gitea's does. */
  async pushPayload(repo: StandInRepo, ref: string, before: string, after: string, sender: StandInUser): Promise<Record<string, unknown>> {
    const template = await this.conformance('gitea', 'webhooks/push.json');
    const [commitTemplate] = template.commits as Array<Record<string, unknown>>;
    const info = ref.startsWith('refs/heads/') ? await this.commitInfo(repo, after) : undefined;
    const person = info && { name: info.name, email: info.email, username: '' };
    const commit = info && {
      ...commitTemplate,
      id: info.sha,
      message: `${info.message}\n`,
      url: `${this.url}/${repo.slug}/commit/${info.sha}`,
      author: person,
      committer: person,
      timestamp: info.date,
    };
    const { head_commit: _head, ...rest } = template;
    return {
      ...rest,
      ref,
      before,
      after,
      compare_url: /^0+$/.test(before) ? '' : `${this.url}/${repo.slug}/compare/${before}...${after}`,
      commits: commit ? [commit] : [],
      ...(commit ? { head_commit: commit, total_commits: 1 } : {}),
      repository: await this.repositoryPayload(repo),
      pusher: await this.senderPayload(sender),
      sender: await this.senderPayload(sender),
    };
  }

  /** Commits to a branch and delivers the push. */
  async push(repo: StandInRepo, files: Record<string, string>, message: string, options: { branch?: string; sender: StandInUser; delivery?: string }): Promise<{ sha: string; deliveries: Delivery[] }> {
    const { before, after } = await this.commit(repo, files, message, options.branch);
    const payload = await this.pushPayload(repo, `refs/heads/${options.branch ?? repo.defaultBranch}`, before, after, options.sender);
    return { sha: after, deliveries: await this.deliver(repo, { event: 'push', payload, delivery: options.delivery }) };
  }

  /** Tags the default branch's head and delivers what Gitea sends for a new tag: `create` (ref_type tag), then the tag's `push`. */
  async pushTag(repo: StandInRepo, tag: string, sender: StandInUser): Promise<{ sha: string; created: Delivery[]; deliveries: Delivery[] }> {
    const sha = await this.tag(repo, tag);
    const template = await this.conformance('gitea', 'webhooks/tag_create.json');
    const createPayload = { ...template, ref: tag, ref_type: 'tag', sha, default_branch: repo.defaultBranch, repository: await this.repositoryPayload(repo), sender: await this.senderPayload(sender) };
    const created = await this.deliver(repo, { event: 'create', payload: createPayload });
    const payload = await this.pushPayload(repo, `refs/tags/${tag}`, ZERO, sha, sender);
    return { sha, created, deliveries: await this.deliver(repo, { event: 'push', payload }) };
  }

  /** Commits to a new branch, publishes `refs/pull/N/head` (as Gitea does) and delivers `pull_request` opened. */
  async openPullRequest(repo: StandInRepo, options: { number: number; branch: string; files: Record<string, string>; title: string; body?: string; sender: StandInUser }): Promise<{ sha: string; deliveries: Delivery[] }> {
    const base = await this.head(repo, repo.defaultBranch);
    await run('git', ['-C', repo.work, 'checkout', '--quiet', repo.defaultBranch]);
    const { after } = await this.commit(repo, options.files, options.title, options.branch);
    await run('git', ['-C', repo.bare, 'update-ref', `refs/pull/${options.number}/head`, after]);
    await run('git', ['-C', repo.work, 'checkout', '--quiet', repo.defaultBranch]);
    const template = await this.conformance('gitea', 'webhooks/pull_request_opened.json');
    const { secret: _secret, ...rest } = template;
    const pr = template.pull_request as Record<string, unknown>;
    const repository = await this.repositoryPayload(repo);
    const user = await this.senderPayload(options.sender);
    const payload = {
      ...rest,
      action: 'opened',
      number: options.number,
      pull_request: {
        ...pr,
        id: this.id(),
        number: options.number,
        title: options.title,
        body: options.body ?? '',
        url: `${this.url}/${repo.slug}/pulls/${options.number}`,
        html_url: `${this.url}/${repo.slug}/pulls/${options.number}`,
        diff_url: `${this.url}/${repo.slug}/pulls/${options.number}.diff`,
        patch_url: `${this.url}/${repo.slug}/pulls/${options.number}.patch`,
        user,
        head: { ...(pr.head as object), label: options.branch, ref: options.branch, sha: after, repo_id: repo.id, repo: repository },
        base: { ...(pr.base as object), label: repo.defaultBranch, ref: repo.defaultBranch, sha: base, repo_id: repo.id, repo: repository },
        merge_base: base,
      },
      repository,
      sender: user,
    };
    return { sha: after, deliveries: await this.deliver(repo, { event: 'pull_request', payload }) };
  }
}

/** Whether the request carries a token (header or query), known or not. */
function presentsToken(call: Call): boolean {
  return /^(?:Bearer|token)\s+/i.test(call.request.headers.authorization ?? '') || call.query.has('access_token') || call.query.has('token');
}

function unauthorized(call: Call): void {
  call.json(401, { message: 'token is required', url: 'https://gitea.example/api/swagger' });
}

function html(call: Call, status: number, message: string): void {
  call.response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  call.response.end(`<!DOCTYPE html><title>Gitea</title><p>${message}</p>`);
}
