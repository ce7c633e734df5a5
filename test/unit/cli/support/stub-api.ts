// A stand-in for Drone's API for the CLI tests: records every request (method, path, query, headers, body)
// and answers with the recorded Drone JSON of shared/conformance/drone-go/api, unless a test says otherwise.

import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const CONFORMANCE = new URL('../../../../../shared/conformance/drone-go/api/', import.meta.url);

export function recorded(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`${name}.json`, CONFORMANCE), 'utf8'));
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The raw query string, to check what is (not) sent. */
  search: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body, or undefined when the request had none. */
  body: unknown;
}

export interface Answer {
  status: number;
  body?: unknown;
}

export interface StubApi {
  url: string;
  requests: RecordedRequest[];
  /** Answers every request with `answer` until reset() (e.g. an error status). */
  answerAll(answer: Answer): void;
  reset(): void;
  close(): Promise<void>;
}

// Drone's server leaves false pull request flags out of a secret (omitempty).
const SECRET = { id: 1, repo_id: 181, name: 'docker_password' };
const ORG_SECRET = { id: 2, namespace: 'octocat', name: 'npm_token', pull_request: true };
const TEMPLATE = { id: 1, name: 'go.yml', namespace: 'octocat', data: 'kind: pipeline' };

/** The conformance answer for a request, by route. */
function defaultAnswer(method: string, path: string): Answer {
  const build = recorded('build') as { stages: unknown[] };
  const routes: [string, RegExp, () => unknown][] = [
    ['GET', /^\/api\/user$/, () => recorded('user')],
    ['GET', /^\/api\/users$/, () => recorded('users')],
    ['GET|POST|PATCH', /^\/api\/users(\/[^/]+)?$/, () => ({ ...(recorded('user') as object), token: method === 'POST' ? 'generated-token' : undefined })],
    ['GET|POST', /^\/api\/user\/repos$/, () => recorded('repos')],
    ['GET', /^\/api\/builds\/incomplete$/, () => [{ ...(recorded('repo') as object), build: recorded('build') }]],
    ['GET', /^\/api\/builds\/incomplete\/v2$/, () => [{ repo_slug: 'octocat/hello-world', build_number: 1, stage_name: 'linux', stage_status: 'running' }]],
    ['GET|POST|DELETE', /^\/api\/queue$/, () => (method === 'GET' ? build.stages : undefined)],
    ['GET', /\/builds$/, () => recorded('builds')],
    ['GET|POST', /\/builds(\/\d+|\/latest)?(\/(promote|rollback))?$/, () => recorded('build')],
    ['POST', /\/builds\/\d+\/(approve|decline)\/\d+$/, () => undefined],
    ['GET', /\/logs\/\d+\/\d+$/, () => recorded('logs')],
    ['GET', /\/cron$/, () => recorded('crons')],
    ['GET|POST|PATCH', /\/cron(\/[^/]+)?$/, () => (method === 'POST' && /\/cron\/[^/]+$/.test(path) ? undefined : recorded('cron'))],
    ['GET', /^\/api\/repos\/[^/]+\/[^/]+\/secrets$/, () => [SECRET]],
    ['GET|POST|PATCH', /^\/api\/repos\/[^/]+\/[^/]+\/secrets(\/[^/]+)?$/, () => SECRET],
    ['GET', /^\/api\/secrets(\/[^/]+)?$/, () => [ORG_SECRET]],
    ['GET|POST|PATCH', /^\/api\/secrets\/[^/]+(\/[^/]+)?$/, () => ORG_SECRET],
    ['GET', /^\/api\/templates(\/[^/]+)?$/, () => [TEMPLATE]],
    ['GET|POST|PATCH', /^\/api\/templates\/[^/]+(\/[^/]+)?$/, () => TEMPLATE],
    ['POST', /\/sign$/, () => ({ data: 'the-hmac' })],
    ['POST', /\/encrypt\/secret$/, () => ({ data: 'encrypted-secret' })],
    ['GET|POST|PATCH', /^\/api\/repos\/[^/]+\/[^/]+(\/chown|\/repair)?$/, () => recorded('repo')],
  ];
  if (method === 'DELETE') return { status: 204 };
  for (const [methods, pattern, body] of routes) {
    if (methods.split('|').includes(method) && pattern.test(path)) return { status: 200, body: body() };
  }
  return { status: 404, body: { message: 'Not Found' } };
}

export async function startStubApi(): Promise<StubApi> {
  const requests: RecordedRequest[] = [];
  let override: Answer | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        search: url.search,
        headers: req.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      });
      const answer = override ?? defaultAnswer(req.method ?? '', url.pathname);
      const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
      res.writeHead(answer.status, payload ? { 'Content-Type': 'application/json' } : {});
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answerAll: (answer) => (override = answer),
    reset: () => {
      override = undefined;
      requests.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
