// The runner's side of Drone's RPC v2 (research/drone-runner.md §1): JSON bodies without Content-Type,
// `X-Drone-Token`, and runner-go's retry rules — retry on network errors and statuses above 501, never on
// 409 (another runner won), other 4xx, 500 or 501; batches and pings are sent once.
//
// How long to wait is a RetryPolicy. RUNNER_GO_RETRY is runner-go's: a fixed 10 s after every 204 and every
// error. HANGAR_RETRY is for a Hangar server, which holds polls and watches on every node: a 204 is
// followed by the next poll at once, and errors back off from 250 ms (a dead node behind a load balancer
// is replaced within a second).

import http from 'node:http';
import https from 'node:https';
import type { CardInput, Filter, Line, Stage, StageDetails, Step } from '../core/types.js';

export class OptimisticLockError extends Error {
  constructor(what: string) {
    super(`${what}: optimistic lock error (409)`);
    this.name = 'OptimisticLockError';
  }
}

export class RpcError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export interface RetryPolicy {
  /** Wait after a 204 before the next long poll or watch. */
  pollSleepMs: number;
  /** First wait after a network error or a status above 501; doubled on each repeat up to retryMaxMs. */
  retryMinMs: number;
  retryMaxMs: number;
}

/** Wait before sending a live log batch again after a connection error. */
const BATCH_RETRY_MS = 250;

export const RUNNER_GO_RETRY: RetryPolicy = { pollSleepMs: 10_000, retryMinMs: 10_000, retryMaxMs: 10_000 };
export const HANGAR_RETRY: RetryPolicy = { pollSleepMs: 0, retryMinMs: 250, retryMaxMs: 5_000 };

export interface RpcClientOptions {
  /** proto://host[:port] of the server (or its load balancer). */
  address: string;
  secret: string;
  skipVerify?: boolean;
  /** Default: RUNNER_GO_RETRY. */
  retry?: RetryPolicy;
}

/** Longer than any long-poll hold (Drone: 30 s) and HAProxy's `timeout server 120s`. */
const IDLE_TIMEOUT_MS = 150_000;

interface Response {
  status: number;
  body: Buffer;
}

export class RpcClient {
  private readonly agent: http.Agent;
  private readonly base: URL;
  private retry: RetryPolicy;

  constructor(private readonly options: RpcClientOptions) {
    this.base = new URL(options.address);
    this.retry = options.retry ?? RUNNER_GO_RETRY;
    const agentOptions = { keepAlive: true, maxSockets: 256 };
    this.agent = this.base.protocol === 'https:' ? new https.Agent({ ...agentOptions, rejectUnauthorized: !options.skipVerify }) : new http.Agent(agentOptions);
  }

  get retryPolicy(): RetryPolicy {
    return this.retry;
  }

  set retryPolicy(policy: RetryPolicy) {
    this.retry = policy;
  }

  /** POST /rpc/v2/ping, once. */
  async ping(signal?: AbortSignal): Promise<void> {
    const response = await this.send('POST', '/rpc/v2/ping', undefined, signal);
    if (response.status !== 200) throw new RpcError(response.status, `ping: ${response.status} ${response.body.toString('utf8').trim()}`);
  }

  /** GET /version, once: whether the server says it is Hangar. Any failure reads as "not Hangar". */
  async isHangarServer(signal?: AbortSignal): Promise<boolean> {
    try {
      const response = await this.send('GET', '/version', undefined, signal);
      if (response.status !== 200) return false;
      const version = decode<{ source?: unknown }>(response, 'version');
      return typeof version?.source === 'string' && /hangar/i.test(version.source);
    } catch {
      return false;
    }
  }

  /** Long-polls for a stage; undefined when `signal` aborts. Re-polls on 204 and on an empty stage. */
  async request(filter: Filter, signal: AbortSignal): Promise<Stage | undefined> {
    for (;;) {
      const response = await this.retrying('POST', '/stage', filter, signal);
      if (!response) return undefined;
      if (response.status === 204) {
        if (!(await this.pollSleep(signal))) return undefined;
        continue;
      }
      if (response.status >= 300) throw new RpcError(response.status, `request stage: ${response.status} ${response.body.toString('utf8').trim()}`);
      const stage = decode<Stage>(response, 'request stage');
      if (stage && stage.id) return stage;
    }
  }

  /** Claims a stage; throws OptimisticLockError when another runner won. */
  async accept(stageId: number, machine: string, signal?: AbortSignal): Promise<Stage> {
    return this.json<Stage>('POST', `/stage/${stageId}?machine=${encodeURIComponent(machine)}`, undefined, 'accept', signal);
  }

  async details(stageId: number, signal?: AbortSignal): Promise<StageDetails> {
    const details = await this.json<StageDetails & { config: { Data?: string; data?: string } }>('GET', `/stage/${stageId}`, undefined, 'details', signal);
    // Go decodes keys case-insensitively; accept both spellings of the untagged config struct.
    const data = details.config?.Data ?? details.config?.data ?? '';
    return { ...details, config: { Data: data, Hash: null } };
  }

  async updateStage(stage: Stage, signal?: AbortSignal): Promise<Stage> {
    return this.json<Stage>('PUT', `/stage/${stage.id}`, stage, 'update stage', signal);
  }

  async updateStep(step: Step, signal?: AbortSignal): Promise<Step> {
    return this.json<Step>('PUT', `/step/${step.id}`, step, 'update step', signal);
  }

  /** Waits for the build to be cancelled (true); false when `signal` aborts first. Re-watches on 204. */
  async watch(buildId: number, signal: AbortSignal): Promise<boolean> {
    for (;;) {
      const response = await this.retrying('POST', `/build/${buildId}/watch`, undefined, signal);
      if (!response) return false;
      if (response.status === 200) return true;
      if (response.status !== 204) throw new RpcError(response.status, `watch: ${response.status} ${response.body.toString('utf8')}`);
      if (!(await this.pollSleep(signal))) return false;
    }
  }

  /**
   * Live lines. Sent once more, 250 ms later, after a connection error (the load balancer reloading or
   * restarting), so browsers already past them still see them live; a batch lost twice is repaired by the
   * upload. A repeated batch is harmless: the live stream refuses positions it already has.
   */
  async batch(stepId: number, lines: Line[]): Promise<void> {
    const send = () => this.send('POST', `/rpc/v2/step/${stepId}/logs/batch`, lines);
    await send().catch(async (err: unknown) => {
      if (isNetworkError(err) && (await sleep(BATCH_RETRY_MS))) await send().catch(() => undefined);
    });
  }

  async upload(stepId: number, lines: Line[], signal?: AbortSignal): Promise<void> {
    await this.expectOk('POST', `/step/${stepId}/logs/upload`, lines, 'upload', signal);
  }

  async card(stepId: number, card: CardInput, signal?: AbortSignal): Promise<void> {
    await this.expectOk('POST', `/step/${stepId}/card`, card, 'card', signal);
  }

  close(): void {
    this.agent.destroy();
  }

  private async json<T>(method: string, path: string, body: unknown, what: string, signal?: AbortSignal): Promise<T> {
    const response = await this.expectOk(method, path, body, what, signal);
    return decode<T>(response, what) as T;
  }

  private async expectOk(method: string, path: string, body: unknown, what: string, signal?: AbortSignal): Promise<Response> {
    const response = await this.retrying(method, path, body, signal);
    if (!response) throw new RpcError(0, `${what}: cancelled`);
    if (response.status === 409) throw new OptimisticLockError(what);
    if (response.status >= 300) throw new RpcError(response.status, `${what}: ${response.status} ${response.body.toString('utf8').trim()}`);
    return response;
  }

  private pollSleep(signal: AbortSignal): Promise<boolean> {
    return this.retry.pollSleepMs > 0 ? sleep(this.retry.pollSleepMs, signal) : Promise.resolve(!signal.aborted);
  }

  /** runner-go's retry loop for an RPC path; undefined when `signal` aborts. */
  private async retrying(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<Response | undefined> {
    let wait = this.retry.retryMinMs;
    for (;;) {
      if (signal?.aborted) return undefined;
      try {
        const response = await this.send(method, `/rpc/v2${path}`, body, signal);
        if (response.status <= 501) return response;
      } catch (err) {
        if (signal?.aborted) return undefined;
        if (!isNetworkError(err)) throw err;
      }
      if (!(await sleep(wait, signal))) return undefined;
      wait = Math.min(wait * 2, this.retry.retryMaxMs);
    }
  }

  private send(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    const payload = body === undefined ? undefined : Buffer.from(`${JSON.stringify(body)}\n`);
    // Appended to the address's own path, so a server behind a path prefix works too.
    const url = new URL(`${this.base.pathname.replace(/\/+$/, '')}${path}`, this.base);
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(
        url,
        {
          method,
          agent: this.agent,
          signal,
          headers: { 'X-Drone-Token': this.options.secret, ...(payload ? { 'Content-Length': String(payload.length) } : {}) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      // runner-go has no timeout; a server that vanished without a reset would hold a poll for ever.
      request.setTimeout(IDLE_TIMEOUT_MS, () => request.destroy(Object.assign(new Error('no answer from the server'), { code: 'ETIMEDOUT' })));
      request.end(payload);
    });
  }
}

function decode<T>(response: Response, what: string): T | undefined {
  const text = response.body.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new RpcError(response.status, `${what}: the server sent invalid JSON`);
  }
}

function isNetworkError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code !== 'ABORT_ERR';
}

/** Resolves true after `ms`, or false at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
