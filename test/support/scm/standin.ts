// The common part of the stand-in SCM servers (GitHub, Gitea, GitLab, Gogs cannot run here): a real HTTP
// server on a free port with real bare git repositories behind it (cloned through `git http-backend`, private
// ones only with credentials), users with OAuth tokens, webhooks registered by Hangar and delivered with the
// provider's headers and signature, commit statuses recorded, every request logged, and failures injected on
// demand (an answer of 5xx, or no answer at all). Each provider's stand-in adds its routes and payloads,
// which it takes from ../shared/conformance/scm/<provider>/.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serveGit } from './git-http.js';

const run = promisify(execFile);
const IDENTITY = ['-c', 'user.name=Test Author', '-c', 'user.email=author@example.com'];

export interface StandInUser {
  id: number;
  login: string;
  email: string;
  password: string;
  /** The OAuth access token the stand-in issued (one per user, rotated on refresh). */
  token: string;
  refresh: string;
  orgs: string[];
  /** Of `orgs`, the ones the user administers. */
  adminOrgs: string[];
}

export interface Permission {
  read: boolean;
  write: boolean;
  admin: boolean;
}

export interface StandInHook {
  id: number;
  url: string;
  secret: string;
  events: string[];
  /** The body Hangar posted to create it. */
  request: unknown;
}

export interface StandInRepo {
  id: number;
  owner: string;
  name: string;
  slug: string;
  private: boolean;
  defaultBranch: string;
  bare: string;
  work: string;
  collaborators: Map<string, Permission>;
  hooks: StandInHook[];
  /** Commit statuses as Hangar sent them, oldest first. */
  statuses: Array<{ sha: string; body: Record<string, unknown> }>;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One route: `match` receives the path; a truthy result calls `handle` with it. */
export interface Route {
  method: string;
  path: RegExp;
  handle(call: Call): Promise<void> | void;
}

export interface Call {
  request: IncomingMessage;
  response: ServerResponse;
  params: string[];
  query: URLSearchParams;
  body: string;
  /** The user whose token authorised the call, if any. */
  user?: StandInUser;
  json(status: number, value: unknown, headers?: Record<string, string>): void;
}

export interface Failure {
  method: string;
  path: RegExp;
  /** An HTTP status to answer, or 'hang' to never answer (a timeout on Hangar's side). */
  answer: number | 'hang';
  times: number;
}

export interface Delivery {
  status: number;
  body: string;
}

export abstract class StandIn {
  readonly users = new Map<string, StandInUser>();
  readonly repos = new Map<string, StandInRepo>();
  readonly requests: LoggedRequest[] = [];
  private readonly failures: Failure[] = [];
  private readonly hung = new Set<ServerResponse>();
  private httpServer?: Server;
  private nextId = 1000;
  url = '';

  constructor(readonly dir: string) {}

  /** The provider's routes (API, OAuth, web). */
  protected abstract routes(): Route[];
  /** The user a request's credentials name (the provider's way of sending a token). */
  protected abstract authenticate(request: IncomingMessage): StandInUser | undefined;

  async start(): Promise<void> {
    const routes = this.routes();
    this.httpServer = createServer((request, response) => {
      this.handle(routes, request, response).catch((err: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(err));
      });
    });
    await new Promise<void>((resolve) => this.httpServer?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.httpServer.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const response of this.hung) response.destroy();
    await new Promise<void>((resolve) => this.httpServer?.close(() => resolve()));
    this.httpServer?.closeAllConnections();
  }

  id(): number {
    return this.nextId++;
  }

  addUser(login: string, options: { email?: string; password?: string; orgs?: string[]; adminOrgs?: string[] } = {}): StandInUser {
    const user: StandInUser = {
      id: this.id(),
      login,
      email: options.email ?? `${login}@example.com`,
      password: options.password ?? `${login}-password`,
      token: randomBytes(20).toString('hex'),
      refresh: randomBytes(20).toString('hex'),
      orgs: [...(options.orgs ?? []), ...(options.adminOrgs ?? [])],
      adminOrgs: options.adminOrgs ?? [],
    };
    this.users.set(login, user);
    return user;
  }

  userOfToken(token: string): StandInUser | undefined {
    for (const user of this.users.values()) if (user.token === token) return user;
    return undefined;
  }

  /** A repository with one commit on its default branch holding `files`. */
  async addRepo(slug: string, options: { private?: boolean; files: Record<string, string>; collaborators?: Record<string, Permission>; defaultBranch?: string }): Promise<StandInRepo> {
    const [owner, name] = slug.split('/');
    const bare = join(this.dir, 'git', owner, `${name}.git`);
    const work = join(this.dir, 'work', owner, name);
    const defaultBranch = options.defaultBranch ?? 'main';
    await mkdir(join(this.dir, 'git', owner), { recursive: true });
    await run('git', ['init', '--quiet', '--bare', '-b', defaultBranch, bare]);
    await run('git', ['init', '--quiet', '-b', defaultBranch, work]);
    await run('git', ['-C', work, 'remote', 'add', 'origin', bare]);
    const repo: StandInRepo = {
      id: this.id(),
      owner,
      name,
      slug,
      private: options.private ?? false,
      defaultBranch,
      bare,
      work,
      collaborators: new Map(Object.entries(options.collaborators ?? {})),
      hooks: [],
      statuses: [],
    };
    this.repos.set(slug, repo);
    await this.commit(repo, options.files, 'first commit');
    return repo;
  }

  /** Commits files on `branch` (created from the current commit when new) and pushes; answers the shas. */
  async commit(repo: StandInRepo, files: Record<string, string>, message: string, branch = repo.defaultBranch): Promise<{ before: string; after: string }> {
    const before = await this.head(repo, branch);
    await run('git', ['-C', repo.work, 'checkout', '--quiet', '-B', branch]);
    for (const [file, content] of Object.entries(files)) {
      await mkdir(join(repo.work, file, '..'), { recursive: true });
      await writeFile(join(repo.work, file), content);
    }
    await run('git', ['-C', repo.work, 'add', '-A']);
    await run('git', ['-C', repo.work, ...IDENTITY, 'commit', '--quiet', '--allow-empty', '-m', message]);
    await run('git', ['-C', repo.work, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`]);
    return { before, after: await this.head(repo, branch) };
  }

  /** Creates a tag at the head of a branch and pushes it; answers its commit. */
  async tag(repo: StandInRepo, tag: string, branch = repo.defaultBranch): Promise<string> {
    const sha = await this.head(repo, branch);
    await run('git', ['-C', repo.bare, 'tag', tag, sha]);
    return sha;
  }

  /** The sha a branch or tag points at in the bare repository ('0'×40 when it does not exist). */
  async head(repo: StandInRepo, ref: string): Promise<string> {
    try {
      return (await run('git', ['-C', repo.bare, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).stdout.trim();
    } catch {
      return '0'.repeat(40);
    }
  }

  /** A file at a commit, undefined when it does not exist there. */
  async show(repo: StandInRepo, sha: string, path: string): Promise<string | undefined> {
    try {
      return (await run('git', ['-C', repo.bare, 'show', `${sha}:${path.replace(/^\.?\//, '')}`], { maxBuffer: 32 * 1024 * 1024 })).stdout;
    } catch {
      return undefined;
    }
  }

  /** A commit's metadata from the bare repository. */
  async commitInfo(repo: StandInRepo, sha: string): Promise<{ sha: string; message: string; name: string; email: string; date: string } | undefined> {
    try {
      const { stdout } = await run('git', ['-C', repo.bare, 'log', '-1', '--format=%H%x00%an%x00%ae%x00%aI%x00%B', sha, '--']);
      const [full, name, email, date, message] = stdout.split('\0');
      return { sha: full, name, email, date, message: message.replace(/\n+$/, '') };
    } catch {
      return undefined;
    }
  }

  /** The next `times` requests matching method and path get `answer` instead of being served. */
  fail(method: string, path: RegExp, answer: number | 'hang', times = 1): void {
    this.failures.push({ method, path, answer, times });
  }

  /** Requests Hangar made, filtered. */
  requestsTo(method: string, path: RegExp): LoggedRequest[] {
    return this.requests.filter((request) => request.method === method && path.test(request.path));
  }

  /** Posts a webhook to every hook of the repository, as the provider's deliverer does; answers Hangar's replies. */
  async deliverToHooks(repo: StandInRepo, deliver: (hook: StandInHook) => { headers: Record<string, string>; body: string }): Promise<Delivery[]> {
    const out: Delivery[] = [];
    for (const hook of repo.hooks) {
      const { headers, body } = deliver(hook);
      out.push(await post(hook.url, headers, body));
    }
    return out;
  }

  /** Reads a recorded answer or payload of the conformance data. */
  protected async conformance(provider: string, file: string): Promise<Record<string, unknown>> {
    const url = new URL(`../../../../shared/conformance/scm/${provider}/${file}`, import.meta.url);
    return JSON.parse(await readFile(url, 'utf8')) as Record<string, unknown>;
  }

  async cleanup(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Basic credentials of a git request as the provider checks them; undefined refuses (401). */
  protected abstract gitUser(login: string, password: string): StandInUser | undefined;

  private async handle(routes: Route[], request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const path = url.pathname;
    if (/\.git(\/|$)/.test(path)) return this.handleGit(request, response, path);
    const body = await readBody(request);
    this.requests.push({ method: request.method ?? 'GET', path, query: url.searchParams, headers: request.headers, body });
    const failure = this.failures.find((f) => f.times > 0 && f.method === request.method && f.path.test(path));
    if (failure) {
      failure.times--;
      if (failure.answer === 'hang') {
        this.hung.add(response);
        return;
      }
      response.writeHead(failure.answer, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'injected failure' }));
      return;
    }
    for (const route of routes) {
      if (route.method !== request.method) continue;
      const match = route.path.exec(path);
      if (!match) continue;
      await route.handle({
        request,
        response,
        params: match.slice(1).map((part) => decodeURIComponent(part ?? '')),
        query: url.searchParams,
        body,
        user: this.authenticate(request),
        json(status, value, headers = {}) {
          response.writeHead(status, { 'content-type': 'application/json', ...headers });
          response.end(value === undefined ? '' : JSON.stringify(value));
        },
      });
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: 'Not Found' }));
  }

  /** Clones and fetches: public repositories for anyone, private ones only with valid Basic credentials. */
  private handleGit(request: IncomingMessage, response: ServerResponse, path: string): void {
    const slug = /^\/([^/]+\/[^/]+?)\.git/.exec(path)?.[1] ?? '';
    const repo = this.repos.get(slug);
    this.requests.push({ method: request.method ?? 'GET', path, query: new URL(request.url ?? '/', this.url).searchParams, headers: request.headers, body: '' });
    if (!repo) {
      response.writeHead(404);
      response.end();
      return;
    }
    let remoteUser = '';
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '');
    if (basic) {
      const [login, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      const user = this.gitUser(login, rest.join(':'));
      if (!user) return unauthorized(response);
      remoteUser = user.login;
      const perms = repo.collaborators.get(user.login);
      if (repo.private && !perms?.read) return unauthorized(response);
    } else if (repo.private) {
      return unauthorized(response);
    }
    serveGit(request, response, { projectRoot: join(this.dir, 'git'), pathInfo: path, remoteUser });
  }
}

function unauthorized(response: ServerResponse): void {
  response.writeHead(401, { 'www-authenticate': 'Basic realm="stand-in"' });
  response.end();
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function post(url: string, headers: Record<string, string>, body: string): Promise<Delivery> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: await response.text() };
}
