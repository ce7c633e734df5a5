// The OpenAPI document (/api/openapi.json) lists every API route, and every route is attacked from it: path
// traversal and SQL metacharacters in each path and query parameter, invalid JSON, wrong types, oversize
// bodies, another user's token. Each answer is a 4xx with a `{"message"}` (never a 5xx), and the database
// is byte for byte what it was before.

import Database from 'better-sqlite3';
import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPlugin } from '../../../src/server/api/index.js';
import { openApiOptions } from '../../../src/server/api/openapi/document.js';
import { ADMIN_TOKEN, type TestServer, startTestServer } from '../../support/server.js';

const MALLORY_TOKEN = 'mallory-token-0123456789abcdef01';
const ATTACKS = ['../../../../etc/passwd', '..%2f..%2fetc%2fpasswd', "' OR '1'='1", '1; DROP TABLE builds; --', '\u0000', '<script>x</script>'];
const QUERY_ATTACKS = [...ATTACKS, '-1', '99999999999999999999999999'];
/** Values of path parameters that name the seeded resources. */
const SEEDS: Record<string, string> = { owner: 'octocat', name: 'fuzz', number: '1', stage: '1', step: '1', cron: 'nightly', secret: 'token', namespace: 'octocat', user: 'admin', member: 'admin' };
/** Routes anyone may call, signed in or not (badges are public, as on Drone; the event stream shows public builds). */
const PUBLIC = [/^\/api\/badges\/[^/]+\/[^/]+\/status\.svg$/, /^\/api\/stream$/];
/** Routes any signed-in user may call for themselves, and public ones: another user's token is fine there. */
const OWN_OR_PUBLIC = [/^\/api\/user(\/|$)/, ...PUBLIC];

interface Parameter {
  in: 'path' | 'query';
  name: string;
}
interface Schema {
  type?: string | string[];
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
}
interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
}

describe('the OpenAPI document and bad input on every route', () => {
  let server: TestServer;
  let document: OpenApi;
  let operations: Operation[];
  const registered: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ driver: 'sqlite3' });
    await server.ctx.store.users.bootstrap({ login: 'mallory', admin: false, machine: false, token: MALLORY_TOKEN });
    const admin = { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
    const seed = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${server.url}${path}`, { method, headers: admin, body: body === undefined ? undefined : JSON.stringify(body) });
      expect(response.status, `${method} ${path}`).toBeLessThan(300);
    };
    await seed('POST', '/api/repos/octocat/fuzz', { git_http_url: 'file:///nonexistent/fuzz.git', private: true, visibility: 'private' });
    await seed('POST', '/api/repos/octocat/fuzz/secrets', { name: 'token', data: 'fuzz-secret-value' });
    await seed('POST', '/api/repos/octocat/fuzz/cron', { name: 'nightly', expr: '0 0 0 * * *', branch: 'main' });

    // The routes the API plugin registers, collected as Fastify registers them, beside the document it generates.
    const app = Fastify();
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD' && !route.url.endsWith('/openapi.json')) registered.push(`${method} ${route.url}`);
    });
    await app.register(swagger, openApiOptions);
    await app.register(apiPlugin, { ctx: server.ctx, prefix: '/api' });
    await app.ready();
    document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as OpenApi;
    await app.close();
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        body: operation.requestBody?.content['application/json']?.schema,
      })),
    );
  });
  afterAll(async () => server?.close());

  // Every table but the server's own heartbeat (hangar_servers), which moves every 5 s whatever requests do.
  function snapshot(): string {
    const db = new Database(join(server.dir, 'core.sqlite'), { readonly: true });
    try {
      const tables = db.prepare("select name from sqlite_master where type = 'table' and name <> 'hangar_servers' order by name").all() as Array<{ name: string }>;
      return JSON.stringify(tables.map(({ name }) => [name, db.prepare(`select * from "${name}" order by rowid`).all()]));
    } finally {
      db.close();
    }
  }

  function fill(path: string, values: Record<string, string>): string {
    return path.replace(/\{(\w+)\}/g, (_whole, name: string) => encodeURIComponent(values[name] ?? SEEDS[name] ?? 'x'));
  }

  async function send(method: string, path: string, options: { token?: string; body?: string; type?: string } = {}) {
    const headers: Record<string, string> = {};
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['Content-Type'] = options.type ?? 'application/json';
    const response = await fetch(`${server.url}${path}`, { method, headers, body: options.body, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    return { status: response.status, text, type: response.headers.get('content-type') ?? '' };
  }

  function expectClientError(answer: { status: number; text: string; type: string }, what: string): void {
    expect(answer.status, `${what} → ${answer.status} ${answer.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    expect(answer.status, `${what} → ${answer.status} ${answer.text.slice(0, 200)}`).toBeLessThan(500);
    if (answer.type.includes('json')) expect(typeof (JSON.parse(answer.text) as { message?: unknown }).message, what).toBe('string');
  }

  const isStream = (operation: Operation) => operation.path.startsWith('/api/stream');

  it('is an OpenAPI 3.1 document of every route the API registers, with each route’s parameters', () => {
    expect(document.openapi).toBe('3.1.0');
    const documented = operations.map((operation) => `${operation.method} ${operation.path.replace(/\{(\w+)\}/g, ':$1')}`);
    expect(registered.length).toBeGreaterThan(40);
    expect(documented.sort()).toEqual([...registered].sort());
    const build = operations.find((operation) => operation.method === 'GET' && operation.path === '/api/repos/{owner}/{name}/builds/{number}');
    expect(build?.parameters.map((parameter) => parameter.name).sort()).toEqual(['name', 'number', 'owner']);
  });

  it('keeps traversal and SQL metacharacters in every path parameter inert: a 4xx or nothing found, changing nothing', async () => {
    const before = snapshot();
    for (const operation of operations) {
      for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
        for (const attack of ATTACKS) {
          const path = fill(operation.path, { [parameter.name]: attack });
          const answer = await send(operation.method, path, { token: ADMIN_TOKEN });
          // Inert: an error, or nothing found — the empty list of a namespace, a badge of a repository that
          // does not exist (Drone's grey "none" badge).
          if (answer.status === 200) expect(answer.text === '[]' || answer.text.includes('build: none'), `${operation.method} ${path} → ${answer.text.slice(0, 200)}`).toBe(true);
          else expectClientError(answer, `${operation.method} ${path}`);
        }
      }
    }
    expect(snapshot()).toBe(before);
  });

  it('keeps SQL metacharacters in query parameters inert', async () => {
    const before = snapshot();
    for (const operation of operations.filter((o) => !isStream(o))) {
      for (const parameter of operation.parameters.filter((p) => p.in === 'query')) {
        for (const attack of QUERY_ATTACKS) {
          const path = `${fill(operation.path, {})}?${new URLSearchParams({ [parameter.name]: attack })}`;
          // Reads run as the admin, so the value reaches the database; writes as a guest, so nothing may change.
          const answer = await send(operation.method, path, { token: operation.method === 'GET' ? ADMIN_TOKEN : undefined });
          expect(answer.status, `${operation.method} ${path} → ${answer.text.slice(0, 200)}`).toBeLessThan(500);
          if (operation.method !== 'GET') expectClientError(answer, `${operation.method} ${path}`);
        }
      }
    }
    expect(snapshot()).toBe(before);
  });

  it('refuses invalid JSON, wrong types and oversize bodies with a 4xx, changing nothing', async () => {
    const before = snapshot();
    for (const operation of operations.filter((o) => o.body)) {
      const path = fill(operation.path, {});
      const what = `${operation.method} ${path}`;
      expectClientError(await send(operation.method, path, { token: ADMIN_TOKEN, body: '{"name": ' }), `${what} invalid JSON`);
      const oversize = await send(operation.method, path, { token: ADMIN_TOKEN, body: JSON.stringify({ data: 'x'.repeat(2 * 1024 * 1024) }) });
      expect(oversize.status, `${what} oversize`).toBe(413);
      for (const [field, wrong] of wrongTypes(operation.body as Schema)) {
        const answer = await send(operation.method, path, { token: ADMIN_TOKEN, body: JSON.stringify({ [field]: wrong }) });
        expect(answer.status, `${what} {${field}: ${JSON.stringify(wrong)}} → ${answer.text.slice(0, 200)}`).toBe(400);
      }
    }
    expect(snapshot()).toBe(before);
  });

  it('answers 401 to a missing or unknown token, and to an expired or forged session cookie, on every route that is not public', async () => {
    const admin = await server.ctx.store.users.findByLogin('admin');
    const expired = server.app.signCookie(`${admin?.id}.${Math.floor(Date.now() / 1000) - 60}`);
    const forged = `${admin?.id}.${Math.floor(Date.now() / 1000) + 3600}.forged-signature`;
    const before = snapshot();
    for (const operation of operations.filter((o) => !PUBLIC.some((pattern) => pattern.test(o.path)))) {
      const path = fill(operation.path, {});
      for (const [who, headers] of [
        ['no token', {}],
        ['an unknown token', { Authorization: 'Bearer not-a-token-of-anyone-0123456789' }],
        ['an expired session', { cookie: `_session_=${expired}`, 'sec-fetch-site': 'same-origin' }],
        ['a forged session', { cookie: `_session_=${forged}`, 'sec-fetch-site': 'same-origin' }],
      ] as const) {
        const response = await fetch(`${server.url}${path}`, { method: operation.method, headers });
        expect(response.status, `${who}: ${operation.method} ${path}`).toBe(401);
      }
    }
    expect(snapshot()).toBe(before);
  });

  it("refuses another user's token on every route that is not the user's own", async () => {
    const before = snapshot();
    for (const operation of operations.filter((o) => !OWN_OR_PUBLIC.some((pattern) => pattern.test(o.path)))) {
      const path = fill(operation.path, {});
      expectClientError(await send(operation.method, path, { token: MALLORY_TOKEN }), `mallory ${operation.method} ${path}`);
    }
    expect(snapshot()).toBe(before);
  });
});

/** For each typed property of a body schema, a value of another type. */
function wrongTypes(schema: Schema): Array<[string, unknown]> {
  const object = [schema, ...(schema.anyOf ?? [])].find((candidate) => candidate.properties || typeof candidate.additionalProperties === 'object');
  if (!object) return [];
  const wrong = (property: Schema): unknown => {
    const types = [property, ...(property.anyOf ?? [])].flatMap((candidate) => [candidate.type ?? []].flat()).filter((type) => type !== 'null');
    if (types.includes('string')) return types.includes('number') || types.includes('integer') ? { nested: true } : 12345;
    if (types.includes('boolean')) return 'not-a-boolean';
    if (types.includes('number') || types.includes('integer')) return 'not-a-number';
    if (types.includes('object') || types.includes('array')) return 'not-an-object';
    return undefined;
  };
  const entries: Array<[string, unknown]> = Object.entries(object.properties ?? {}).map(([field, property]) => [field, wrong(property)]);
  if (typeof object.additionalProperties === 'object') entries.push(['any_field', wrong(object.additionalProperties)]);
  return entries.filter((entry): entry is [string, unknown] => entry[1] !== undefined);
}
