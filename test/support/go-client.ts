// Requests as a stock Drone runner (runner-go) sends them: JSON encoded by Go (a trailing newline), no
// Content-Type header, `X-Drone-Token`; through node:http, not fetch, so nothing is added on the way.

import http from 'node:http';

export interface GoResponse {
  status: number;
  body: string;
  json<T = unknown>(): T;
}

export interface GoRequest {
  method: string;
  path: string;
  /** Encoded as Go's json.Encoder does (with a trailing newline); a Buffer or string is sent as is. */
  body?: unknown;
  token?: string;
  signal?: AbortSignal;
}

export function goRequest(baseUrl: string, request: GoRequest): Promise<GoResponse> {
  const url = new URL(request.path, baseUrl);
  const payload =
    request.body === undefined
      ? undefined
      : Buffer.isBuffer(request.body)
        ? request.body
        : Buffer.from(typeof request.body === 'string' ? request.body : `${JSON.stringify(request.body)}\n`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: request.method,
        headers: {
          ...(request.token !== undefined ? { 'X-Drone-Token': request.token } : {}),
          ...(payload ? { 'Content-Length': String(payload.length) } : {}),
        },
        signal: request.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body, json: <T>() => JSON.parse(body) as T });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** A runner's view of one server: the RPC calls with its token. */
export class GoRunner {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  call(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<GoResponse> {
    return goRequest(this.baseUrl, { method, path: `/rpc/v2${path}`, body, token: this.token, signal });
  }
}
