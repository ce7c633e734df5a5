// A GitLab (self-managed) stand-in for end-to-end tests: GitLab's OAuth2 provider at /oauth/authorize and
// /oauth/token (the redirect URI checked against the application's, access tokens that expire, refresh
// tokens that ROTATE: a used one is refused afterwards), the REST API under /api/v4 with projects addressed
// by id or URL-encoded path and the Authorization: Bearer header (PRIVATE-TOKEN too), project hooks with a
// secret token, repository files and commits, commit statuses with GitLab's state machine (400 "Cannot
// transition status" when a status would not change), clones as `oauth2` with the token as the password,
// and deliveries with GitLab's headers: X-Gitlab-Event, X-Gitlab-Token (the hook's secret, not an HMAC),
// X-Gitlab-Event-UUID (shared by the events one request causes), X-Gitlab-Webhook-UUID (one per request) and
// Idempotency-Key (kept by a "Resend request" of the hook's log). Answers and payloads are GitLab's recorded
// ones (../shared/conformance/scm/gitlab/), their fields set to the stand-in's users, projects and commits.

import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { type Call, type Delivery, type Route, StandIn, type StandInHook, type StandInRepo, type StandInUser, post } from './standin.js';

const run = promisify(execFile);
const IDENTITY = ['-c', 'user.name=Test Author', '-c', 'user.email=author@example.com'];
const ZERO = '0'.repeat(40);

/** GitLab's access levels. */
const REPORTER = 20;
const DEVELOPER = 30;
const MAINTAINER = 40;
const OWNER = 50;

export interface GitLabStandInOptions {
  clientId: string;
  clientSecret: string;
  /** The application's registered redirect URI: the only one /oauth/authorize and /oauth/token accept. */
  redirectUri: string;
  /** Lifetime of the access tokens issued (seconds); GitLab's is 7200. */
  expiresIn?: number;
}

/** One access token with its refresh token, as GitLab's Doorkeeper stores them. */
export interface GitLabGrant {
  login: string;
  access: string;
  refresh: string;
  /** How it was obtained: the login's code exchange, or the refresh grant. */
  via: 'authorization_code' | 'refresh_token';
  issuedAt: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** Set once the refresh token was exchanged: it is refused afterwards. */
  refreshUsed: boolean;
}

export interface RawDelivery {
  /** X-Gitlab-Event: 'Push Hook', 'Tag Push Hook', 'Merge Request Hook', … */
  event: string;
  payload: Record<string, unknown>;
  /** Idempotency-Key: fresh by default; repeat one to resend the delivery, as the hook log's "Resend request" does. */
  delivery?: string;
  /** X-Gitlab-Event-UUID: fresh by default (a resend gets a new one); the events one request causes share it. */
  eventUuid?: string;
  /** X-Gitlab-Token: the hook's secret by default; null sends none. */
  token?: string | null;
}

/** Which hook switch a delivery needs. */
const HOOK_SWITCH: Record<string, string> = { 'Push Hook': 'push_events', 'Tag Push Hook': 'tag_push_events', 'Merge Request Hook': 'merge_requests_events' };
const HOOK_SWITCHES = ['push_events', 'tag_push_events', 'merge_requests_events', 'issues_events', 'confidential_issues_events', 'note_events', 'job_events', 'pipeline_events', 'wiki_page_events', 'deployment_events', 'releases_events'];

/** The state machine event GitLab names when a status change is refused. */
const STATUS_EVENT: Record<string, string> = { pending: 'enqueue', running: 'run', success: 'success', failed: 'drop', canceled: 'cancel' };
const FINISHED = new Set(['success', 'failed', 'canceled']);
/** The states each state may go to (a finished status starts a new one, as a retried job does). */
const TRANSITIONS: Record<string, string[]> = { pending: ['running', 'success', 'failed', 'canceled'], running: ['success', 'failed', 'canceled'] };

export class GitLabStandIn extends StandIn {
  /** Who the authorization page logs in (a real GitLab asks the person to sign in and authorize). */
  loginAs = '';
  readonly grants: GitLabGrant[] = [];
  /** Refresh grants refused because their refresh token had been used already. */
  reusedRefreshTokens = 0;
  /** Access tokens refused because they had expired or were unknown (API calls and clones). */
  readonly refusedTokens: string[] = [];
  /** Status changes refused with "Cannot transition status". */
  readonly refusedStatuses: Array<{ sha: string; body: Record<string, unknown>; message: string }> = [];
  private readonly codes = new Map<string, { login: string; redirectUri: string; scope: string }>();

  constructor(
    dir: string,
    private readonly options: GitLabStandInOptions,
  ) {
    super(dir);
  }

  /** The server URL Hangar is given as DRONE_GITLAB_SERVER. */
  get server(): string {
    return this.url;
  }

  /** The grant an access token belongs to. */
  grantOf(access: string): GitLabGrant | undefined {
    return this.grants.find((grant) => grant.access === access);
  }

  /** The access token a logged request carried (Bearer or PRIVATE-TOKEN), '' for none. */
  static tokenOf(headers: Record<string, string | string[] | undefined>): string {
    const bearer = /^Bearer\s+(.+)$/i.exec(String(headers.authorization ?? ''))?.[1];
    return bearer ?? String(headers['private-token'] ?? '');
  }

  protected authenticate(request: IncomingMessage): StandInUser | undefined {
    const grant = this.validGrant(GitLabStandIn.tokenOf(request.headers));
    return grant ? this.users.get(grant.login) : undefined;
  }

  protected gitUser(login: string, password: string): StandInUser | undefined {
    // An OAuth token clones as the user `oauth2` with the token as the password.
    if (login !== 'oauth2') return undefined;
    const grant = this.validGrant(password);
    if (!grant) this.refusedTokens.push(password);
    return grant ? this.users.get(grant.login) : undefined;
  }

  private validGrant(access: string): GitLabGrant | undefined {
    const grant = access ? this.grantOf(access) : undefined;
    return grant && grant.expiresAt > Date.now() ? grant : undefined;
  }

  protected routes(): Route[] {
    const api = (method: string, path: string, handle: (call: Call) => Promise<void> | void): Route => ({
      method,
      path: new RegExp(`^/api/v4${path}$`),
      handle: (call) => {
        // A token that is sent must be valid: GitLab does not fall back to anonymous.
        const token = GitLabStandIn.tokenOf(call.request.headers);
        if (token && !call.user) {
          this.refusedTokens.push(token);
          const grant = this.grantOf(token);
          if (grant) return call.json(401, { error: 'invalid_token', error_description: 'Token is expired. You can either do re-authorization or token refresh.' });
          return call.json(401, { message: '401 Unauthorized' });
        }
        return handle(call);
      },
    });
    const project = '/projects/([^/]+)';
    return [
      { method: 'GET', path: /^\/oauth\/authorize$/, handle: (call) => this.authorize(call) },
      { method: 'POST', path: /^\/oauth\/token$/, handle: (call) => this.token(call) },
      api('GET', '/user', (call) => this.whoami(call)),
      api('GET', '/groups', (call) => this.groups(call)),
      api('GET', '/projects', (call) => this.projects(call)),
      api('GET', project, (call) => this.withProject(call, 'read', async (repo) => call.json(200, await this.projectJson(repo, call.user)))),
      api('GET', `${project}/hooks`, (call) => this.withProject(call, 'admin', async (repo) => this.paged(call, await Promise.all(repo.hooks.map((hook) => this.hookJson(repo, hook)))))),
      api('POST', `${project}/hooks`, (call) => this.withProject(call, 'admin', (repo) => this.createHook(call, repo))),
      api('DELETE', `${project}/hooks/(\\d+)`, (call) => this.withProject(call, 'admin', (repo) => this.deleteHook(call, repo))),
      api('GET', `${project}/repository/files/([^/]+)`, (call) => this.withProject(call, 'read', (repo) => this.file(call, repo))),
      api('GET', `${project}/repository/commits/([^/]+)`, (call) => this.withProject(call, 'read', (repo) => this.commitJson(call, repo))),
      api('POST', `${project}/statuses/([^/]+)`, (call) => this.withProject(call, 'write', (repo) => this.status(call, repo))),
    ];
  }

  // ---- OAuth -------------------------------------------------------------------------------------------

  private authorize(call: Call): void {
    const page = (status: number, text: string): void => {
      call.response.writeHead(status, { 'content-type': 'text/html' });
      call.response.end(`<html><body><h3>An error has occurred</h3><p>${text}</p></body></html>`);
    };
    if (call.query.get('client_id') !== this.options.clientId) return page(401, 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.');
    if (call.query.get('redirect_uri') !== this.options.redirectUri) return page(400, 'The redirect URI included is not valid.');
    if (call.query.get('response_type') !== 'code') return page(400, 'The authorization server does not support this response type.');
    const code = randomBytes(32).toString('hex');
    // Without a scope GitLab grants the application's default scopes (Drone's application: api).
    this.codes.set(code, { login: this.loginAs, redirectUri: this.options.redirectUri, scope: call.query.get('scope') || 'api' });
    const target = new URL(this.options.redirectUri);
    target.searchParams.set('code', code);
    const state = call.query.get('state');
    if (state !== null) target.searchParams.set('state', state);
    call.response.writeHead(302, { location: target.toString() });
    call.response.end();
  }

  private token(call: Call): void {
    const form = formOf(call);
    const invalidGrant = {
      error: 'invalid_grant',
      error_description: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
    };
    if (form.get('client_id') !== this.options.clientId || form.get('client_secret') !== this.options.clientSecret) {
      return call.json(401, { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' });
    }
    switch (form.get('grant_type')) {
      case 'authorization_code': {
        const code = form.get('code') ?? '';
        const granted = this.codes.get(code);
        this.codes.delete(code);
        const user = granted && this.users.get(granted.login);
        if (!granted || !user || form.get('redirect_uri') !== granted.redirectUri) return call.json(400, invalidGrant);
        return call.json(200, this.issue(user, 'authorization_code', granted.scope));
      }
      case 'refresh_token': {
        const grant = this.grants.find((g) => g.refresh === form.get('refresh_token'));
        const user = grant && this.users.get(grant.login);
        if (!grant || !user) return call.json(400, invalidGrant);
        if (grant.refreshUsed) {
          this.reusedRefreshTokens++;
          return call.json(400, invalidGrant);
        }
        grant.refreshUsed = true;
        return call.json(200, this.issue(user, 'refresh_token', 'api'));
      }
      default:
        return call.json(400, { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' });
    }
  }

  /**
   * A new access token and refresh token. The previous access token is not revoked, only left to expire:
   * GitLab may revoke it earlier, but a netrc handed to a runner a moment before a renewal must not make
   * the tests depend on timing.
   */
  private issue(user: StandInUser, via: GitLabGrant['via'], scope: string): Record<string, unknown> {
    const expiresIn = this.options.expiresIn ?? 7200;
    const now = Date.now();
    const grant: GitLabGrant = { login: user.login, access: randomBytes(32).toString('hex'), refresh: randomBytes(32).toString('hex'), via, issuedAt: now, expiresAt: now + expiresIn * 1000, refreshUsed: false };
    this.grants.push(grant);
    user.token = grant.access;
    user.refresh = grant.refresh;
    return { access_token: grant.access, token_type: 'Bearer', expires_in: expiresIn, refresh_token: grant.refresh, scope, created_at: Math.floor(now / 1000) };
  }

  // ---- API ---------------------------------------------------------------------------------------------

  private async whoami(call: Call): Promise<void> {
    if (!call.user) return call.json(401, { message: '401 Unauthorized' });
    const template = await this.conformance('gitlab', 'user.json');
    const { login, id, email } = call.user;
    call.json(200, { ...template, id, username: login, name: login, email, avatar_url: `${this.url}/uploads/-/system/user/avatar/${id}/avatar.png`, web_url: `${this.url}/${login}` });
  }

  private async groups(call: Call): Promise<void> {
    if (!call.user) return call.json(401, { message: '401 Unauthorized' });
    const [template] = (await this.conformance('gitlab', 'groups.json')) as unknown as Array<Record<string, unknown>>;
    this.paged(
      call,
      call.user.orgs.map((path) => ({ ...template, id: this.id(), name: path, path, full_name: path, full_path: path, web_url: `${this.url}/groups/${path}`, avatar_url: null })),
    );
  }

  private async projects(call: Call): Promise<void> {
    const user = call.user;
    if (!user) return call.json(401, { message: '401 Unauthorized' });
    const membership = call.query.get('membership') === 'true';
    const visible = [...this.repos.values()].filter((repo) => (membership ? repo.collaborators.has(user.login) : this.level(repo, user) > 0 || !repo.private));
    this.paged(call, await Promise.all(visible.map((repo) => this.projectJson(repo, user))));
  }

  /** A list page as GitLab answers it: `page`/`per_page` (20 by default, at most 100) and the Link header. */
  private paged(call: Call, items: unknown[]): void {
    const perPage = Math.min(Math.max(Number(call.query.get('per_page')) || 20, 1), 100);
    const page = Math.max(Number(call.query.get('page')) || 1, 1);
    const totalPages = Math.max(Math.ceil(items.length / perPage), 1);
    const link = (to: number): string => {
      const url = new URL(call.request.url ?? '/', this.url);
      url.searchParams.set('page', String(to));
      url.searchParams.set('per_page', String(perPage));
      return `<${url.toString()}>`;
    };
    const links = [...(page < totalPages ? [`${link(page + 1)}; rel="next"`] : []), ...(page > 1 ? [`${link(page - 1)}; rel="prev"`] : []), `${link(1)}; rel="first"`, `${link(totalPages)}; rel="last"`];
    call.json(200, items.slice((page - 1) * perPage, page * perPage), {
      link: links.join(', '),
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-total': String(items.length),
      'x-total-pages': String(totalPages),
      'x-next-page': page < totalPages ? String(page + 1) : '',
      'x-prev-page': page > 1 ? String(page - 1) : '',
    });
  }

  /** The user's access level on a project (0: not a member). */
  private level(repo: StandInRepo, user: StandInUser | undefined): number {
    const perms = user && repo.collaborators.get(user.login);
    if (!perms) return 0;
    if (perms.admin) return repo.owner === user.login ? OWNER : MAINTAINER;
    if (perms.write) return DEVELOPER;
    return perms.read ? REPORTER : 0;
  }

  /** A project by id or by URL-encoded path; GitLab hides what the user may not see (404) and refuses the rest (403). */
  private async withProject(call: Call, need: 'read' | 'write' | 'admin', then: (repo: StandInRepo) => Promise<void> | void): Promise<void> {
    const key = call.params[0];
    const repo = /^\d+$/.test(key) ? [...this.repos.values()].find((r) => r.id === Number(key)) : this.repos.get(key);
    const level = repo ? this.level(repo, call.user) : 0;
    if (!repo || (repo.private && level === 0)) return call.json(404, { message: '404 Project Not Found' });
    const needed = { read: 0, write: DEVELOPER, admin: MAINTAINER }[need];
    if (level < needed) return call.json(call.user ? 403 : 401, { message: call.user ? '403 Forbidden' : '401 Unauthorized' });
    await then(repo);
  }

  async projectJson(repo: StandInRepo, user: StandInUser | undefined): Promise<Record<string, unknown>> {
    const template = await this.conformance('gitlab', 'repo.json');
    const level = this.level(repo, user);
    const self = `${this.url}/api/v4/projects/${repo.id}`;
    const ownerIsUser = this.users.has(repo.owner);
    return {
      ...template,
      id: repo.id,
      description: '',
      default_branch: repo.defaultBranch,
      ssh_url_to_repo: `git@127.0.0.1:${repo.slug}.git`,
      http_url_to_repo: `${this.url}/${repo.slug}.git`,
      web_url: `${this.url}/${repo.slug}`,
      name: repo.name,
      name_with_namespace: `${repo.owner} / ${repo.name}`,
      path: repo.name,
      path_with_namespace: repo.slug,
      visibility: repo.private ? 'private' : 'public',
      archived: false,
      _links: {
        self,
        issues: `${self}/issues`,
        merge_requests: `${self}/merge_requests`,
        repo_branches: `${self}/repository/branches`,
        labels: `${self}/labels`,
        events: `${self}/events`,
        members: `${self}/members`,
      },
      namespace: { ...(template.namespace as object), name: repo.owner, path: repo.owner, kind: ownerIsUser ? 'user' : 'group', full_path: repo.owner },
      permissions: { project_access: level > 0 ? { access_level: level, notification_level: 3 } : null, group_access: null },
    };
  }

  private async hookJson(repo: StandInRepo, hook: StandInHook): Promise<Record<string, unknown>> {
    const template = await this.conformance('gitlab', 'hook.json');
    const request = (hook.request ?? {}) as Record<string, unknown>;
    const switches = Object.fromEntries(HOOK_SWITCHES.map((name) => [name, hook.events.includes(name)]));
    return { ...template, ...switches, id: hook.id, url: hook.url, project_id: repo.id, enable_ssl_verification: request.enable_ssl_verification !== false };
  }

  private async createHook(call: Call, repo: StandInRepo): Promise<void> {
    const body = bodyOf(call);
    const url = typeof body.url === 'string' ? body.url : '';
    if (!url) return call.json(400, { error: 'url is missing' });
    // push_events is on unless turned off; every other switch is off unless turned on.
    const on = (name: string): boolean => (name === 'push_events' ? body[name] !== false && body[name] !== 'false' : body[name] === true || body[name] === 'true');
    const hook: StandInHook = { id: this.id(), url, secret: typeof body.token === 'string' ? body.token : '', events: HOOK_SWITCHES.filter(on), request: body };
    repo.hooks.push(hook);
    call.json(201, await this.hookJson(repo, hook));
  }

  private deleteHook(call: Call, repo: StandInRepo): void {
    const id = Number(call.params[1]);
    const before = repo.hooks.length;
    repo.hooks = repo.hooks.filter((hook) => hook.id !== id);
    if (repo.hooks.length === before) return call.json(404, { message: '404 Not found' });
    call.json(204, undefined);
  }

  private async file(call: Call, repo: StandInRepo): Promise<void> {
    const ref = call.query.get('ref');
    if (!ref) return call.json(400, { error: 'ref is missing' });
    const path = call.params[1];
    const sha = await this.head(repo, ref);
    const content = sha === ZERO ? undefined : await this.show(repo, sha, path);
    if (content === undefined) return call.json(404, { message: '404 File Not Found' });
    const blob = (await run('git', ['-C', repo.bare, 'rev-parse', `${sha}:${path}`])).stdout.trim();
    const template = await this.conformance('gitlab', 'content.json');
    call.json(200, {
      ...template,
      file_name: path.split('/').pop(),
      file_path: path,
      size: Buffer.byteLength(content),
      encoding: 'base64',
      content: Buffer.from(content).toString('base64'),
      ref,
      blob_id: blob,
      commit_id: sha,
      last_commit_id: sha,
    });
  }

  private async commitJson(call: Call, repo: StandInRepo): Promise<void> {
    const sha = await this.head(repo, call.params[1]);
    const info = sha === ZERO ? undefined : await this.commitInfo(repo, sha);
    if (!info) return call.json(404, { message: '404 Commit Not Found' });
    const template = await this.conformance('gitlab', 'commit.json');
    call.json(200, {
      ...template,
      id: info.sha,
      short_id: info.sha.slice(0, 8),
      title: info.message.split('\n')[0],
      message: `${info.message}\n`,
      author_name: info.name,
      author_email: info.email,
      authored_date: info.date,
      committer_name: info.name,
      committer_email: info.email,
      committed_date: info.date,
      created_at: info.date,
      web_url: `${this.url}/${repo.slug}/-/commit/${info.sha}`,
    });
  }

  private async status(call: Call, repo: StandInRepo): Promise<void> {
    const sha = call.params[1];
    if (!/^[0-9a-f]{40}$/.test(sha) || (await this.head(repo, sha)) === ZERO) return call.json(404, { message: '404 References for commit Not Found' });
    const body = bodyOf(call);
    const state = String(body.state ?? '');
    if (!(state in STATUS_EVENT)) return call.json(400, { error: 'state does not have a valid value' });
    const name = String(body.name ?? body.context ?? 'default');
    const current = repo.statuses.filter((s) => s.sha === sha && s.body.name === name).at(-1)?.body.state as string | undefined;
    if (current !== undefined && !FINISHED.has(current) && !TRANSITIONS[current]?.includes(state)) {
      const message = `Cannot transition status via :${STATUS_EVENT[state]} from :${current} (Reason(s): Status cannot transition via "${STATUS_EVENT[state]}")`;
      this.refusedStatuses.push({ sha, body, message });
      return call.json(400, { message });
    }
    const recorded = { ...body, state, name };
    repo.statuses.push({ sha, body: recorded });
    const template = await this.conformance('gitlab', 'status.json');
    const user = call.user;
    call.json(201, {
      ...template,
      id: this.id(),
      sha,
      ref: body.ref ?? repo.defaultBranch,
      status: state,
      name,
      target_url: body.target_url ?? null,
      description: body.description ?? null,
      author: { ...(template.author as object), id: user?.id, username: user?.login, name: user?.login, web_url: `${this.url}/${user?.login}` },
    });
  }

  // ---- Webhooks ----------------------------------------------------------------------------------------

  /** Delivers one event to every hook of the project whose switch for it is on, as GitLab's WebHookService does. */
  async deliver(repo: StandInRepo, delivery: RawDelivery): Promise<Delivery[]> {
    const idempotencyKey = delivery.delivery ?? randomUUID();
    const eventUuid = delivery.eventUuid ?? randomUUID();
    const body = JSON.stringify(delivery.payload);
    const wanted = HOOK_SWITCH[delivery.event];
    const out: Delivery[] = [];
    for (const hook of repo.hooks) {
      if (wanted && !hook.events.includes(wanted)) continue;
      const token = delivery.token === undefined ? hook.secret : delivery.token;
      const headers: Record<string, string> = {
        'user-agent': 'GitLab/17.6.0',
        'idempotency-key': idempotencyKey,
        'x-gitlab-event': delivery.event,
        'x-gitlab-webhook-uuid': randomUUID(),
        'x-gitlab-instance': this.url,
        'x-gitlab-event-uuid': eventUuid,
      };
      if (token !== null && token !== '') headers['x-gitlab-token'] = token;
      out.push(await post(hook.url, headers, body));
    }
    return out;
  }

  /** The `project` of a payload (GitLab's hook attributes of a project). */
  private async hookProject(repo: StandInRepo): Promise<Record<string, unknown>> {
    const template = (await this.conformance('gitlab', 'webhooks/push.json')).project as Record<string, unknown>;
    const web = `${this.url}/${repo.slug}`;
    const ssh = `git@127.0.0.1:${repo.slug}.git`;
    const http = `${web}.git`;
    return {
      ...template,
      id: repo.id,
      name: repo.name,
      description: '',
      web_url: web,
      git_ssh_url: ssh,
      git_http_url: http,
      namespace: repo.owner,
      visibility_level: repo.private ? 0 : 20,
      path_with_namespace: repo.slug,
      default_branch: repo.defaultBranch,
      homepage: web,
      url: ssh,
      ssh_url: ssh,
      http_url: http,
    };
  }

  private hookRepository(project: Record<string, unknown>): Record<string, unknown> {
    return {
      name: project.name,
      url: project.url,
      description: project.description,
      homepage: project.homepage,
      git_http_url: project.git_http_url,
      git_ssh_url: project.git_ssh_url,
      visibility_level: project.visibility_level,
    };
  }

  private async hookCommit(repo: StandInRepo, sha: string): Promise<Record<string, unknown> | undefined> {
    const info = await this.commitInfo(repo, sha);
    if (!info) return undefined;
    return {
      id: info.sha,
      message: `${info.message}\n`,
      title: info.message.split('\n')[0],
      timestamp: info.date,
      url: `${this.url}/${repo.slug}/-/commit/${info.sha}`,
      author: { name: info.name, email: info.email },
      added: [],
      modified: [],
      removed: [],
    };
  }

  /**
   * A push payload (GitLab's recorded push or tag push, its fields set to this push). `after` is what the
   * ref now names (an annotated tag's object), `checkout` the commit.
   */
  async pushPayload(repo: StandInRepo, ref: string, before: string, after: string, sender: StandInUser, options: { checkout?: string; message?: string | null } = {}): Promise<Record<string, unknown>> {
    const tag = ref.startsWith('refs/tags/');
    const template = await this.conformance('gitlab', tag ? 'webhooks/tag_create.json' : 'webhooks/push.json');
    const checkout = options.checkout ?? after;
    const head = /^0+$/.test(checkout) ? undefined : await this.hookCommit(repo, checkout);
    const project = await this.hookProject(repo);
    return {
      ...template,
      object_kind: tag ? 'tag_push' : 'push',
      event_name: tag ? 'tag_push' : 'push',
      before,
      after,
      ref,
      checkout_sha: head ? checkout : null,
      message: options.message ?? null,
      user_id: sender.id,
      user_name: sender.login,
      user_username: sender.login,
      user_email: '',
      user_avatar: `${this.url}/uploads/-/system/user/avatar/${sender.id}/avatar.png`,
      project_id: repo.id,
      project,
      commits: head ? [head] : [],
      total_commits_count: head ? 1 : 0,
      repository: this.hookRepository(project),
    };
  }

  /** Commits to a branch and delivers the push. */
  async push(
    repo: StandInRepo,
    files: Record<string, string>,
    message: string,
    options: { branch?: string; sender: StandInUser; delivery?: string; eventUuid?: string },
  ): Promise<{ sha: string; deliveries: Delivery[] }> {
    const { before, after } = await this.commit(repo, files, message, options.branch);
    const payload = await this.pushPayload(repo, `refs/heads/${options.branch ?? repo.defaultBranch}`, before, after, options.sender);
    return { sha: after, deliveries: await this.deliver(repo, { event: 'Push Hook', payload, delivery: options.delivery, eventUuid: options.eventUuid }) };
  }

  /**
   * One `git push` of several new branches: GitLab delivers a Push Hook for each, all carrying the
   * X-Gitlab-Event-UUID of the request that received the push.
   */
  async pushBranches(repo: StandInRepo, branches: Array<{ branch: string; files: Record<string, string>; message: string }>, sender: StandInUser): Promise<Array<{ sha: string; deliveries: Delivery[] }>> {
    const eventUuid = randomUUID();
    const commits: Array<{ branch: string; before: string; after: string }> = [];
    for (const { branch, files, message } of branches) {
      await run('git', ['-C', repo.work, 'checkout', '--quiet', repo.defaultBranch]);
      commits.push({ branch, ...(await this.commit(repo, files, message, branch)) });
    }
    await run('git', ['-C', repo.work, 'checkout', '--quiet', repo.defaultBranch]);
    const out: Array<{ sha: string; deliveries: Delivery[] }> = [];
    for (const { branch, before, after } of commits) {
      const payload = await this.pushPayload(repo, `refs/heads/${branch}`, before, after, sender);
      out.push({ sha: after, deliveries: await this.deliver(repo, { event: 'Push Hook', payload, eventUuid }) });
    }
    return out;
  }

  /** Tags the default branch's head with an annotated tag and delivers the Tag Push Hook. */
  async pushTag(repo: StandInRepo, tag: string, sender: StandInUser, message = `Release ${tag}`): Promise<{ sha: string; object: string; deliveries: Delivery[] }> {
    const sha = await this.head(repo, repo.defaultBranch);
    await run('git', ['-C', repo.bare, ...IDENTITY, 'tag', '-a', '-m', message, tag, sha]);
    const object = (await run('git', ['-C', repo.bare, 'rev-parse', `refs/tags/${tag}`])).stdout.trim();
    const payload = await this.pushPayload(repo, `refs/tags/${tag}`, ZERO, object, sender, { checkout: sha, message: `${message}\n` });
    return { sha, object, deliveries: await this.deliver(repo, { event: 'Tag Push Hook', payload }) };
  }

  /** Commits to a new branch, publishes `refs/merge-requests/IID/head` and delivers the Merge Request Hook (open). */
  async openPullRequest(
    repo: StandInRepo,
    options: { number: number; branch: string; files: Record<string, string>; title: string; body?: string; sender: StandInUser },
  ): Promise<{ sha: string; deliveries: Delivery[] }> {
    await run('git', ['-C', repo.work, 'checkout', '--quiet', repo.defaultBranch]);
    const { after } = await this.commit(repo, options.files, options.title, options.branch);
    await run('git', ['-C', repo.bare, 'update-ref', `refs/merge-requests/${options.number}/head`, after]);
    await run('git', ['-C', repo.work, 'checkout', '--quiet', repo.defaultBranch]);
    const template = await this.conformance('gitlab', 'webhooks/pull_request_create.json');
    const attributes = template.object_attributes as Record<string, unknown>;
    const project = await this.hookProject(repo);
    const head = await this.hookCommit(repo, after);
    const now = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
    const { sender } = options;
    const payload = {
      ...template,
      object_kind: 'merge_request',
      event_type: 'merge_request',
      user: { id: sender.id, name: sender.login, username: sender.login, avatar_url: `${this.url}/uploads/-/system/user/avatar/${sender.id}/avatar.png`, email: '[REDACTED]' },
      project,
      object_attributes: {
        ...attributes,
        id: this.id(),
        iid: options.number,
        title: options.title,
        description: options.body ?? '',
        author_id: sender.id,
        created_at: now,
        updated_at: now,
        source_branch: options.branch,
        source_project_id: repo.id,
        target_branch: repo.defaultBranch,
        target_project_id: repo.id,
        state: 'opened',
        merge_status: 'unchecked',
        url: `${this.url}/${repo.slug}/-/merge_requests/${options.number}`,
        source: project,
        target: project,
        last_commit: head && { id: head.id, message: head.message, title: head.title, timestamp: head.timestamp, url: head.url, author: head.author },
        action: 'open',
      },
      repository: { name: repo.name, url: project.url, description: '', homepage: project.homepage },
    };
    return { sha: after, deliveries: await this.deliver(repo, { event: 'Merge Request Hook', payload }) };
  }
}

/** A request body as GitLab's API reads it: JSON or a form. */
function bodyOf(call: Call): Record<string, unknown> {
  if (String(call.request.headers['content-type'] ?? '').startsWith('application/json')) {
    try {
      const parsed: unknown = JSON.parse(call.body);
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(call.body));
}

/** The token endpoint's parameters: a form, JSON, or the query. */
function formOf(call: Call): URLSearchParams {
  const form = new URLSearchParams(call.query);
  for (const [key, value] of Object.entries(bodyOf(call))) if (value !== undefined && value !== null) form.set(key, String(value));
  return form;
}
