// The HTTP client every provider's REST API is called through (undici): a base URL, the provider's way of
// sending a token, a timeout, TLS verification that `DRONE_*_SKIP_VERIFY` turns off. Failures become the
// core errors the server maps to answers: 404 → NotFoundError, 401/403 → UnauthorizedError, anything else
// (5xx, timeouts, refused connections, other 4xx) → UpstreamError naming the provider and the call.

import { Agent, type Dispatcher, interceptors, request } from 'undici';
import { NotFoundError, UnauthorizedError, UpstreamError } from '../../core/errors.js';
import type { Token } from '../../core/scm.js';
import { asObject } from './json.js';

export interface ApiClientOptions {
  /** For messages: GitHub, Gitea, GitLab, Gogs. */
  provider: string;
  /** The API root, without a trailing slash (e.g. https://api.github.com, https://gitea.example.com/api/v1). */
  baseUrl: string;
  /** The headers that carry a token (e.g. `Authorization: Bearer …`). */
  authorize: (token: Token) => Record<string, string>;
  skipVerify: boolean;
  timeoutMs: number;
  /** Extra headers sent with every call (Accept, User-Agent). */
  headers?: Record<string, string>;
}

export interface ApiCall {
  token?: Token;
  query?: Record<string, string | number | undefined>;
  /** Sent as JSON (objects) or as a form (URLSearchParams). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export class ApiClient {
  private readonly dispatcher: Dispatcher;

  constructor(private readonly options: ApiClientOptions) {
    // Redirects are followed: GitHub answers a renamed repository's old name with one (and undici drops the
    // Authorization header when a redirect leaves the origin).
    this.dispatcher = new Agent({ connect: { rejectUnauthorized: !options.skipVerify }, keepAliveTimeout: 30_000 }).compose(interceptors.redirect({ maxRedirections: 3 }));
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** A call whose non-2xx answer throws; `allow` lists statuses answered instead (e.g. 404 for "absent"). */
  async call(method: string, path: string, call: ApiCall = {}, allow: number[] = []): Promise<ApiAnswer> {
    const url = this.url(path, call.query);
    const { provider } = this.options;
    let headers: Record<string, string> = { 'user-agent': 'Hangar', accept: 'application/json', ...this.options.headers, ...call.headers };
    if (call.token?.access) headers = { ...headers, ...this.options.authorize(call.token) };
    let body: string | undefined;
    if (call.body instanceof URLSearchParams) {
      body = call.body.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    let answer: ApiAnswer;
    try {
      const response = await request(url, {
        method: method as 'GET',
        headers,
        body,
        dispatcher: this.dispatcher,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await response.body.text();
      answer = { status: response.statusCode, headers: response.headers, text, json: parseJson(text) };
    } catch (err) {
      throw new UpstreamError(`${provider}: ${method} ${path}: ${(err as Error).message || 'no answer'}`, { cause: err });
    }
    if ((answer.status >= 200 && answer.status < 300) || allow.includes(answer.status)) return answer;
    const detail = messageOf(answer);
    if (answer.status === 404) throw new NotFoundError(`${provider}: ${method} ${path}: not found`);
    if (answer.status === 401 || answer.status === 403) throw new UnauthorizedError(`${provider} refused the request (${answer.status}${detail ? `: ${detail}` : ''})`);
    throw new UpstreamError(`${provider}: ${method} ${path}: ${answer.status}${detail ? ` ${detail}` : ''}`);
  }

  /** GET of a JSON document. */
  async get(path: string, call: ApiCall = {}): Promise<unknown> {
    return (await this.call('GET', path, call)).json;
  }

  /**
   * Every page of a list: follows `Link: <…>; rel="next"` where the provider sends it (GitHub, Gitea, Gogs,
   * GitLab), else stops at a page shorter than `perPage`. At most `maxPages` pages.
   */
  async list(path: string, call: ApiCall = {}, perPage = 100, maxPages = 50): Promise<unknown[]> {
    const items: unknown[] = [];
    for (let page = 1; page <= maxPages; page++) {
      const answer = await this.call('GET', path, { ...call, query: { ...call.query, page, per_page: perPage, limit: perPage } });
      const batch = Array.isArray(answer.json) ? answer.json : [];
      items.push(...batch);
      const link = String(answer.headers.link ?? '');
      const hasNext = link ? /rel="next"/.test(link) : batch.length >= perPage;
      if (!hasNext || batch.length === 0) break;
    }
    return items;
  }

  private url(path: string, query: ApiCall['query']): string {
    const url = new URL(path.startsWith('http') ? path : `${this.options.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    return url.toString();
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The provider's own words for an error, where its answer has them. */
function messageOf(answer: ApiAnswer): string {
  const body = asObject(answer.json);
  const message = body.message ?? body.error_description ?? body.error;
  if (typeof message === 'string') return message;
  return answer.text.length < 200 ? answer.text.trim() : '';
}

/** `Authorization: Bearer <token>`, what GitHub, Gitea and GitLab take. */
export const bearer = (token: Token): Record<string, string> => ({ authorization: `Bearer ${token.access}` });

/** A URL path segment with every special character escaped (GitLab's `namespace%2Fname` ids). */
export const segment = (value: string): string => encodeURIComponent(value);
