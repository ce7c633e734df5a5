// A small HTTP server that answers the runner protocol as a Drone 2.x server does (research/drone-runner.md
// §1.2–1.5): it offers queued stages to long polls, grants or refuses accepts, serves details, gives
// reported steps ids, holds watches until a build is cancelled, and records every call so tests can
// assert what the runner sent. Every request must carry the token and no Content-Type, like runner-go's.

import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Build, Line, Repo, Stage, StageDetails, Step } from '../../../src/core/types.js';

export const RPC_SECRET = 'fake-drone-secret';

export interface Call {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeDroneOptions {
  /** How long an empty stage poll or a watch is held before 204 (Drone: 30 s). */
  holdMs?: number;
  /** What GET /version answers (Drone's own source URL by default). */
  versionSource?: string;
  /** Answer accepts with 409, as when another runner won. */
  refuseAccept?: boolean;
  /** Answer pings with 503 this many times first. */
  failPings?: number;
}

export class FakeDrone {
  readonly calls: Call[] = [];
  /** Problems with what the runner sent (a missing token, a Content-Type): must stay empty. */
  readonly protocolErrors: string[] = [];
  readonly steps = new Map<number, Step>();
  readonly batches = new Map<number, Line[][]>();
  readonly uploads = new Map<number, Line[]>();
  /** Every stage body the runner PUT, in order. */
  readonly stageUpdates: Stage[] = [];
  private readonly events = new EventEmitter();
  private readonly queue: StageDetails[] = [];
  private readonly details = new Map<number, StageDetails>();
  private readonly cancelled = new Set<number>();
  private server?: http.Server;
  private nextStepId = 100;
  private failPings: number;

  constructor(private readonly options: FakeDroneOptions = {}) {
    this.failPings = options.failPings ?? 0;
  }

  async listen(): Promise<string> {
    this.server = http.createServer((request, response) => this.handle(request, response));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Queues a stage for the next poll; its details are served on GET. */
  offer(details: StageDetails): void {
    this.details.set(details.stage.id, details);
    this.queue.push(details);
    this.events.emit('offer');
  }

  /** Cancels a build: its held watches answer 200. */
  cancel(buildId: number): void {
    this.cancelled.add(buildId);
    this.events.emit('cancel');
  }

  /** Resolves with the stage's final PUT (status neither pending nor running). */
  finalStage(stageId: number): Promise<Stage> {
    return this.waitFor('stage', () => this.stageUpdates.find((s) => s.id === stageId && s.status !== 'pending' && s.status !== 'running'));
  }

  /** Resolves once a step of that name has been reported with that status. */
  stepReported(name: string, status: Step['status']): Promise<Step> {
    return this.waitFor('step', () => [...this.steps.values()].find((s) => s.name === name && s.status === status));
  }

  stepNamed(name: string): Step | undefined {
    return [...this.steps.values()].find((s) => s.name === name);
  }

  private waitFor<T>(event: string, find: () => T | undefined): Promise<T> {
    return new Promise((resolve) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        this.events.off(event, check);
        resolve(found);
      };
      this.events.on(event, check);
      check();
    });
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      const body: unknown = text.trim() === '' ? undefined : JSON.parse(text);
      this.calls.push({ method: request.method ?? '', path: url.pathname + url.search, body });
      if (url.pathname.startsWith('/rpc/')) {
        if (request.headers['x-drone-token'] !== RPC_SECRET) return reply(response, 401, 'Unauthorized');
        if (request.headers['content-type'] !== undefined) this.protocolErrors.push(`Content-Type sent on ${url.pathname}`);
      }
      this.route(request.method ?? '', url, body, response, request);
    });
  }

  private route(method: string, url: URL, body: unknown, response: http.ServerResponse, request: http.IncomingMessage): void {
    const path = url.pathname;
    let match: RegExpMatchArray | null;
    if (method === 'GET' && path === '/version') return json(response, 200, { source: this.options.versionSource ?? 'https://github.com/drone/drone.git', version: '2.25.0' });
    if (method === 'POST' && path === '/rpc/v2/ping') {
      if (this.failPings > 0) {
        this.failPings -= 1;
        return reply(response, 503, 'starting');
      }
      return reply(response, 200, '');
    }
    if (method === 'POST' && path === '/rpc/v2/stage') return this.poll(response, request);
    if ((match = path.match(/^\/rpc\/v2\/stage\/(\d+)$/))) {
      const details = this.details.get(Number(match[1]));
      if (!details) return reply(response, 404, 'sql: no rows in result set');
      if (method === 'POST') return this.accept(details, url.searchParams.get('machine') ?? '', response);
      if (method === 'GET') return json(response, 200, details);
      if (method === 'PUT') return this.updateStage(body as Stage, response);
    }
    if (method === 'PUT' && (match = path.match(/^\/rpc\/v2\/step\/(\d+)$/))) return this.updateStep(Number(match[1]), body as Step, response);
    if (method === 'POST' && (match = path.match(/^\/rpc\/v2\/step\/(\d+)\/logs\/batch$/))) {
      const id = Number(match[1]);
      this.batches.set(id, [...(this.batches.get(id) ?? []), body as Line[]]);
      this.events.emit('batch');
      return reply(response, 200, '');
    }
    if (method === 'POST' && (match = path.match(/^\/rpc\/v2\/step\/(\d+)\/logs\/upload$/))) {
      this.uploads.set(Number(match[1]), body as Line[]);
      return reply(response, 200, '');
    }
    if (method === 'POST' && (match = path.match(/^\/rpc\/v2\/build\/(\d+)\/watch$/))) return this.watch(Number(match[1]), response, request);
    reply(response, 404, 'not found');
  }

  private poll(response: http.ServerResponse, request: http.IncomingMessage): void {
    const give = () => {
      const next = this.queue.shift();
      if (!next) return false;
      json(response, 200, next.stage);
      return true;
    };
    if (give()) return;
    const onOffer = () => {
      if (give()) done();
    };
    const timer = setTimeout(() => {
      done();
      reply(response, 204, '');
    }, this.options.holdMs ?? 200);
    const done = () => {
      clearTimeout(timer);
      this.events.off('offer', onOffer);
    };
    this.events.on('offer', onOffer);
    request.socket.once('close', done);
  }

  private accept(details: StageDetails, machine: string, response: http.ServerResponse): void {
    if (this.options.refuseAccept || details.stage.machine) return reply(response, 409, 'optimistic lock error');
    details.stage = { ...details.stage, machine, version: details.stage.version + 1 };
    json(response, 200, details.stage);
  }

  private updateStage(stage: Stage, response: http.ServerResponse): void {
    this.stageUpdates.push(structuredClone(stage));
    const steps = (stage.steps ?? []).map((step) => {
      if (stage.status === 'pending' || stage.status === 'running') {
        const created = { ...step, id: this.nextStepId++, version: 1 };
        this.steps.set(created.id, created);
        return created;
      }
      const stored = this.steps.get(step.id);
      const updated = { ...step, version: (stored?.version ?? 0) + 1 };
      this.steps.set(step.id, updated);
      return updated;
    });
    this.events.emit('step');
    this.events.emit('stage');
    json(response, 200, { ...stage, version: stage.version + 1, steps });
  }

  private updateStep(id: number, step: Step, response: http.ServerResponse): void {
    const stored = this.steps.get(id);
    if (!stored) return reply(response, 404, 'sql: no rows in result set');
    if (stored.version !== step.version) return reply(response, 409, 'optimistic lock error');
    const updated = { ...step, version: step.version + 1 };
    this.steps.set(id, updated);
    this.events.emit('step');
    json(response, 200, updated);
  }

  private watch(buildId: number, response: http.ServerResponse, request: http.IncomingMessage): void {
    if (this.cancelled.has(buildId)) return reply(response, 200, '');
    const onCancel = () => {
      if (!this.cancelled.has(buildId)) return;
      done();
      reply(response, 200, '');
    };
    const timer = setTimeout(() => {
      done();
      reply(response, 204, '');
    }, this.options.holdMs ?? 200);
    const done = () => {
      clearTimeout(timer);
      this.events.off('cancel', onCancel);
    };
    this.events.on('cancel', onCancel);
    request.socket.once('close', done);
  }
}

function reply(response: http.ServerResponse, status: number, text: string): void {
  if (response.writableEnded) return;
  response.statusCode = status;
  response.end(text);
}

function json(response: http.ServerResponse, status: number, value: unknown): void {
  if (response.writableEnded) return;
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json');
  response.end(JSON.stringify(value));
}

let nextId = 1;

/** Stage details as a Drone server sends them for a push to `main`, with `yaml` as the stored configuration. */
export function stageDetails(yaml: string, overrides: { repo?: Partial<Repo>; build?: Partial<Build>; stage?: Partial<Stage>; secrets?: StageDetails['secrets'] } = {}): StageDetails {
  const id = nextId++;
  const now = Math.floor(Date.now() / 1000);
  const repository = {
    id: 1,
    uid: '1',
    user_id: 1,
    namespace: 'octo',
    name: 'hello',
    slug: 'octo/hello',
    scm: '',
    git_http_url: 'https://git.example.com/octo/hello.git',
    git_ssh_url: '',
    link: 'https://git.example.com/octo/hello',
    default_branch: 'main',
    private: false,
    visibility: 'public',
    active: true,
    config_path: '.drone.yml',
    trusted: false,
    protected: false,
    ignore_forks: false,
    ignore_pull_requests: false,
    auto_cancel_pull_requests: false,
    auto_cancel_pushes: false,
    auto_cancel_running: false,
    timeout: 60,
    counter: 1,
    synced: 0,
    created: now,
    updated: now,
    version: 1,
    archived: false,
    secret: 'repo-secret-key',
    ...overrides.repo,
  };
  const stage: Stage = {
    id: 1000 + id,
    repo_id: 1,
    build_id: id,
    number: 1,
    name: 'default',
    kind: 'pipeline',
    type: 'exec',
    status: 'pending',
    errignore: false,
    exit_code: 0,
    os: 'linux',
    arch: 'amd64',
    started: 0,
    stopped: 0,
    created: now,
    updated: now,
    version: 1,
    on_success: true,
    on_failure: false,
    ...overrides.stage,
  };
  const build: Build = {
    id,
    repo_id: 1,
    trigger: '@hook',
    number: id,
    status: 'pending',
    event: 'push',
    action: '',
    link: '',
    timestamp: now,
    message: 'a commit',
    before: '0000000000000000000000000000000000000000',
    after: '1111111111111111111111111111111111111111',
    ref: 'refs/heads/main',
    source_repo: '',
    source: 'main',
    target: 'main',
    author_login: 'octocat',
    author_name: 'The Octocat',
    author_email: 'octocat@example.com',
    author_avatar: '',
    sender: 'octocat',
    started: 0,
    finished: 0,
    created: now,
    updated: now,
    version: 1,
    ...overrides.build,
    stages: [stage],
  };
  return {
    repository,
    build,
    stage,
    config: { Data: Buffer.from(yaml).toString('base64'), Hash: null },
    secrets: overrides.secrets ?? [],
    system: { proto: 'http', host: 'drone.example.com', link: 'http://drone.example.com', version: '2.25.0' },
    netrc: null,
  };
}
