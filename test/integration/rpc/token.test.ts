// Issue 14, the runner protocol: a wrong `X-Drone-Token` is refused whatever its relation to the secret —
// the same length, a prefix, longer, empty, repeated — with 401 and a `{"message"}` body, on every route;
// the right token still works. (That the comparison runs in constant time is test/unit/server/rpc-token.)

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXEC_FILTER } from '../../support/seed.js';
import { goRequest } from '../../support/go-client.js';
import { RPC_SECRET, type TestServer, startTestServer } from '../../support/server.js';

const WRONG: Array<[string, string]> = [
  ['a wrong token of the same length', `${RPC_SECRET.slice(0, -1)}${RPC_SECRET.endsWith('x') ? 'y' : 'x'}`],
  ['a prefix of the secret', RPC_SECRET.slice(0, RPC_SECRET.length - 4)],
  ['the secret with more after it', `${RPC_SECRET}-and-more`],
  ['an empty token', ''],
];

describe('the RPC token', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ driver: 'sqlite3' });
  });
  afterAll(async () => server?.close());

  it.each(WRONG)('refuses %s with 401 {"message"} on every route', async (_what, token) => {
    expect(token).not.toBe(RPC_SECRET);
    for (const [method, path, body] of [
      ['POST', '/rpc/v2/ping'],
      ['POST', '/rpc/v2/stage', EXEC_FILTER],
      ['POST', '/rpc/v2/stage/1?machine=m'],
      ['GET', '/rpc/v2/stage/1'],
      ['POST', '/rpc/v2/build/1/watch'],
      ['POST', '/rpc/v2/step/1/logs/batch', []],
    ] as const) {
      const response = await goRequest(server.url, { method, path, body, token });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.json<{ message: unknown }>(), `${method} ${path}`).toEqual({ message: expect.any(String) });
    }
  });

  it('refuses a request without the header with 401 {"message"}, and answers the secret', async () => {
    const missing = await goRequest(server.url, { method: 'POST', path: '/rpc/v2/ping' });
    expect(missing.status).toBe(401);
    expect(missing.json()).toEqual({ message: expect.any(String) });
    expect((await goRequest(server.url, { method: 'POST', path: '/rpc/v2/ping', token: RPC_SECRET })).status).toBe(200);
  });
});
