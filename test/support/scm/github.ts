// A GitHub (Enterprise) stand-in: OAuth at /login/oauth/*, the REST API under /api/v3 answering with the
// recorded answers of ../shared/conformance/scm/github/ (their fields set to this stand-in's users, repositories
// and commits), git over smart HTTP, and webhooks delivered as GitHub delivers them: the recorded payloads,
// `X-GitHub-Event`, `X-GitHub-Delivery` and `X-Hub-Signature-256` made with the hook's secret.

import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type Call, type Delivery, type Route, StandIn, type StandInHook, type StandInRepo, type StandInUser } from './standin.js';

const run = promisify(execFile);

export interface GitHubStandInOptions {
  clientId: string;
  clientSecret: string;
  /** The OAuth app's registered callback (GitHub sends the browser there; Hangar sends no redirect_uri). */
  callbackUrl: string;
}

export interface RawDelivery {
  event: string;
  payload: Record<string, unknown>;
  /** Defaults to a fresh UUID; repeat one to redeliver. */
  delivery?: string;
  /** Sign with this secret instead of the hook's; null sends no signature. */
  secret?: string | null;
}

export class GitHubStandIn extends StandIn {
  /** Who the authorization page logs in (a real GitHub asks the person). */
  loginAs = '';
  private readonly codes = new Map<string, string>();

  constructor(
    dir: string,
    readonly options: GitHubStandInOptions,
  ) {
    super(dir);
  }

  /** The Enterprise-style server URL Hangar is given as DRONE_GITHUB_SERVER. */
  get server(): string {
    return this.url;
  }

  protected authenticate(request: IncomingMessage): StandInUser | undefined {
    const token = /^(?:Bearer|token)\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    return token ? this.userOfToken(token) : undefined;
  }

  protected gitUser(login: string, password: string): StandInUser | undefined {
    // GitHub takes a token as the login with any password (Drone sends x-oauth-basic), or a token as the password.
    return this.userOfToken(login) ?? (this.users.get(login)?.token === password ? this.users.get(login) : undefined);
  }

  protected routes(): Route[] {
    const api = (method: string, path: string, handle: (call: Call) => Promise<void> | void): Route => ({ method, path: new RegExp(`^/api/v3${path}$`), handle });
    return [
      { method: 'GET', path: /^\/login\/oauth\/authorize$/, handle: (call) => this.authorize(call) },
      { method: 'POST', path: /^\/login\/oauth\/access_token$/, handle: (call) => this.accessToken(call) },
      api('GET', '/user', (call) => this.whoami(call)),
      api('GET', '/user/emails', async (call) => call.json(200, await this.conformance('github', 'emails.json'))),
      api('GET', '/user/orgs', (call) => (call.user ? call.json(200, call.user.orgs.map((login) => ({ login, id: this.id() }))) : call.json(401, { message: 'Bad credentials' }))),
      api('GET', '/orgs/([^/]+)/memberships/([^/]+)', (call) => this.membership(call)),
      api('GET', '/user/repos', (call) => this.userRepos(call)),
      api('GET', '/repos/([^/]+/[^/]+)', (call) => this.withRepo(call, 'read', async (repo) => call.json(200, await this.repoJson(repo, call.user)))),
      api('GET', '/repos/([^/]+/[^/]+)/hooks', (call) => this.withRepo(call, 'admin', async (repo) => call.json(200, await Promise.all(repo.hooks.map((hook) => this.hookJson(hook)))))),
      api('POST', '/repos/([^/]+/[^/]+)/hooks', (call) => this.withRepo(call, 'admin', (repo) => this.createHook(call, repo))),
      api('DELETE', '/repos/([^/]+/[^/]+)/hooks/(\\d+)', (call) => this.withRepo(call, 'admin', (repo) => this.deleteHook(call, repo))),
      api('GET', '/repos/([^/]+/[^/]+)/contents/(.+)', (call) => this.withRepo(call, 'read', (repo) => this.contents(call, repo))),
      api('GET', '/repos/([^/]+/[^/]+)/commits/([^/]+)', (call) => this.withRepo(call, 'read', (repo) => this.commitJson(call, repo))),
      api('POST', '/repos/([^/]+/[^/]+)/statuses/([0-9a-f]{40})', (call) => this.withRepo(call, 'write', (repo) => this.status(call, repo))),
    ];
  }

  // ---- OAuth -------------------------------------------------------------------------------------------

  private authorize(call: Call): void {
    if (call.query.get('client_id') !== this.options.clientId) return call.json(404, { message: 'unknown client_id' });
    const code = randomBytes(10).toString('hex');
    this.codes.set(code, this.loginAs);
    const target = new URL(this.options.callbackUrl);
    target.searchParams.set('code', code);
    target.searchParams.set('state', call.query.get('state') ?? '');
    call.response.writeHead(302, { location: target.toString() });
    call.response.end();
  }

  private accessToken(call: Call): void {
    const form = new URLSearchParams(call.body);
    if (form.get('client_id') !== this.options.clientId || form.get('client_secret') !== this.options.clientSecret) {
      return call.json(200, { error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.' });
    }
    const login = this.codes.get(form.get('code') ?? '');
    this.codes.delete(form.get('code') ?? '');
    const user = login ? this.users.get(login) : undefined;
    if (!user) return call.json(200, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
    call.json(200, { access_token: user.token, token_type: 'bearer', scope: call.query.get('scope') ?? 'repo' });
  }

  // ---- API ---------------------------------------------------------------------------------------------

  private async whoami(call: Call): Promise<void> {
    if (!call.user) return call.json(401, { message: 'Bad credentials' });
    const template = await this.conformance('github', 'user.json');
    call.json(200, { ...template, login: call.user.login, id: call.user.id, email: '', avatar_url: `${this.url}/avatars/${call.user.login}` });
  }

  /** GET /orgs/{org}/memberships/{user}: the recorded answer with the user's role, 404 for a non-member. */
  private async membership(call: Call): Promise<void> {
    if (!call.user) return call.json(401, { message: 'Bad credentials' });
    const [org, login] = call.params;
    const user = this.users.get(login);
    if (!user?.orgs.includes(org)) return call.json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    const template = await this.conformance('github', 'membership.json');
    call.json(200, { ...template, state: 'active', role: user.adminOrgs.includes(org) ? 'admin' : 'member' });
  }

  private async userRepos(call: Call): Promise<void> {
    if (!call.user) return call.json(401, { message: 'Bad credentials' });
    const user = call.user;
    const visible = [...this.repos.values()].filter((repo) => repo.collaborators.has(user.login));
    call.json(200, await Promise.all(visible.map((repo) => this.repoJson(repo, user))));
  }

  private async withRepo(call: Call, need: 'read' | 'write' | 'admin', then: (repo: StandInRepo) => Promise<void> | void): Promise<void> {
    const repo = this.repos.get(call.params[0]);
    const perms = repo && call.user ? repo.collaborators.get(call.user.login) : undefined;
    const allowed = repo && (perms?.[need] || (need === 'read' && !repo.private));
    if (!repo || !allowed) return call.json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    await then(repo);
  }

  async repoJson(repo: StandInRepo, user: StandInUser | undefined): Promise<Record<string, unknown>> {
    const template = await this.conformance('github', 'repo.json');
    const perms = (user && repo.collaborators.get(user.login)) ?? { read: !repo.private, write: false, admin: false };
    return {
      ...template,
      id: repo.id,
      name: repo.name,
      full_name: repo.slug,
      owner: { ...(template.owner as object), login: repo.owner },
      private: repo.private,
      visibility: repo.private ? 'private' : 'public',
      archived: false,
      html_url: `${this.url}/${repo.slug}`,
      clone_url: `${this.url}/${repo.slug}.git`,
      ssh_url: `git@127.0.0.1:${repo.slug}.git`,
      default_branch: repo.defaultBranch,
      permissions: { admin: perms.admin, push: perms.write, pull: perms.read },
    };
  }

  private async hookJson(hook: StandInHook): Promise<Record<string, unknown>> {
    const template = await this.conformance('github', 'hook.json');
    return { ...template, id: hook.id, events: hook.events, config: { url: hook.url, content_type: 'json', insecure_ssl: '0' } };
  }

  private async createHook(call: Call, repo: StandInRepo): Promise<void> {
    const body = JSON.parse(call.body) as { events?: string[]; config?: { url?: string; secret?: string } };
    const hook: StandInHook = { id: this.id(), url: body.config?.url ?? '', secret: body.config?.secret ?? '', events: body.events ?? ['push'], request: body };
    repo.hooks.push(hook);
    call.json(201, await this.hookJson(hook));
  }

  private deleteHook(call: Call, repo: StandInRepo): void {
    const id = Number(call.params[1]);
    const before = repo.hooks.length;
    repo.hooks = repo.hooks.filter((hook) => hook.id !== id);
    call.json(repo.hooks.length < before ? 204 : 404, undefined);
  }

  private async contents(call: Call, repo: StandInRepo): Promise<void> {
    const ref = call.query.get('ref') ?? repo.defaultBranch;
    const path = call.params[1];
    const content = await this.show(repo, ref, path);
    if (content === undefined) return call.json(404, { message: 'Not Found' });
    const template = await this.conformance('github', 'content.json');
    call.json(200, { ...template, name: path.split('/').pop(), path, size: Buffer.byteLength(content), type: 'file', encoding: 'base64', content: Buffer.from(content).toString('base64') });
  }

  private async commitJson(call: Call, repo: StandInRepo): Promise<void> {
    const info = await this.commitInfo(repo, call.params[1]);
    if (!info) return call.json(422, { message: `No commit found for SHA: ${call.params[1]}` });
    const template = await this.conformance('github', 'commit.json');
    call.json(200, {
      ...template,
      sha: info.sha,
      html_url: `${this.url}/${repo.slug}/commit/${info.sha}`,
      commit: { ...(template.commit as object), message: info.message, author: { name: info.name, email: info.email, date: info.date } },
      author: { login: 'author', id: 1, avatar_url: `${this.url}/avatars/author` },
    });
  }

  private async status(call: Call, repo: StandInRepo): Promise<void> {
    const body = JSON.parse(call.body) as Record<string, unknown>;
    repo.statuses.push({ sha: call.params[1], body });
    const template = await this.conformance('github', 'status.json');
    call.json(201, { ...template, ...body, id: this.id() });
  }

  // ---- Webhooks ----------------------------------------------------------------------------------------

  /** Delivers one event to every hook of the repository, as GitHub's hookshot does. */
  async deliver(repo: StandInRepo, delivery: RawDelivery): Promise<Delivery[]> {
    const id = delivery.delivery ?? randomUUID();
    return this.deliverToHooks(repo, (hook) => this.signed(hook, { ...delivery, delivery: id }));
  }

  /** The headers and body GitHub would post to `hook` for this delivery. */
  signed(hook: StandInHook, delivery: RawDelivery): { headers: Record<string, string>; body: string } {
    const body = JSON.stringify(delivery.payload);
    const secret = delivery.secret === undefined ? hook.secret : delivery.secret;
    const headers: Record<string, string> = {
      'user-agent': 'GitHub-Hookshot/stand-in',
      'x-github-event': delivery.event,
      'x-github-delivery': delivery.delivery ?? randomUUID(),
      'x-github-hook-id': String(hook.id),
    };
    if (secret !== null) headers['x-hub-signature-256'] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    return { headers, body };
  }

  private async repositoryPayload(repo: StandInRepo): Promise<Record<string, unknown>> {
    const json = await this.repoJson(repo, undefined);
    const { permissions: _permissions, ...rest } = json;
    return rest;
  }

  /** A push payload (GitHub's recorded push, its fields set to this push). */
  async pushPayload(repo: StandInRepo, ref: string, before: string, after: string, sender: StandInUser): Promise<Record<string, unknown>> {
    const template = await this.conformance('github', 'webhooks/push.json');
    const info = await this.commitInfo(repo, after);
    const headCommit = info && {
      ...(template.head_commit as object),
      id: info.sha,
      message: info.message,
      url: `${this.url}/${repo.slug}/commit/${info.sha}`,
      author: { name: info.name, email: info.email, username: 'author' },
    };
    return {
      ...template,
      ref,
      before,
      after,
      created: /^0+$/.test(before),
      deleted: false,
      base_ref: ref.startsWith('refs/tags/') ? `refs/heads/${repo.defaultBranch}` : null,
      compare: `${this.url}/${repo.slug}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
      commits: headCommit ? [headCommit] : [],
      head_commit: headCommit,
      repository: await this.repositoryPayload(repo),
      pusher: { name: sender.login, email: sender.email },
      sender: { ...(template.sender as object), login: sender.login, id: sender.id, avatar_url: `${this.url}/avatars/${sender.login}` },
    };
  }

  /** Commits to a branch and delivers the push. */
  async push(repo: StandInRepo, files: Record<string, string>, message: string, options: { branch?: string; sender: StandInUser; delivery?: string }): Promise<{ sha: string; deliveries: Delivery[] }> {
    const { before, after } = await this.commit(repo, files, message, options.branch);
    const payload = await this.pushPayload(repo, `refs/heads/${options.branch ?? repo.defaultBranch}`, before, after, options.sender);
    return { sha: after, deliveries: await this.deliver(repo, { event: 'push', payload, delivery: options.delivery }) };
  }

  /** Tags the default branch's head and delivers the tag push. */
  async pushTag(repo: StandInRepo, tag: string, sender: StandInUser): Promise<{ sha: string; deliveries: Delivery[] }> {
    const sha = await this.tag(repo, tag);
    const payload = await this.pushPayload(repo, `refs/tags/${tag}`, '0'.repeat(40), sha, sender);
    return { sha, deliveries: await this.deliver(repo, { event: 'push', payload }) };
  }

  /** Commits to a new branch, publishes `refs/pull/N/head` and delivers `pull_request` opened. */
  async openPullRequest(repo: StandInRepo, options: { number: number; branch: string; files: Record<string, string>; title: string; body?: string; sender: StandInUser }): Promise<{ sha: string; deliveries: Delivery[] }> {
    const base = await this.head(repo, repo.defaultBranch);
    await run('git', ['-C', repo.work, 'checkout', '--quiet', repo.defaultBranch]);
    const { after } = await this.commit(repo, options.files, options.title, options.branch);
    await run('git', ['-C', repo.bare, 'update-ref', `refs/pull/${options.number}/head`, after]);
    await run('git', ['-C', repo.work, 'checkout', '--quiet', repo.defaultBranch]);
    const template = await this.conformance('github', 'webhooks/pr_opened.json');
    const pr = template.pull_request as Record<string, unknown>;
    const repository = await this.repositoryPayload(repo);
    const user = { ...(pr.user as object), login: options.sender.login, id: options.sender.id, avatar_url: `${this.url}/avatars/${options.sender.login}` };
    const payload = {
      ...template,
      action: 'opened',
      number: options.number,
      pull_request: {
        ...pr,
        number: options.number,
        title: options.title,
        body: options.body ?? '',
        html_url: `${this.url}/${repo.slug}/pull/${options.number}`,
        user,
        head: { ...(pr.head as object), ref: options.branch, sha: after, repo: repository, user },
        base: { ...(pr.base as object), ref: repo.defaultBranch, sha: base, repo: repository },
      },
      repository,
      sender: user,
    };
    return { sha: after, deliveries: await this.deliver(repo, { event: 'pull_request', payload }) };
  }
}
