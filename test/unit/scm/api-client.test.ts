// The HTTP client of every provider: a renamed repository's redirect is followed, and failures become the
// errors the server answers with (404 → not found, 401/403 → refused, 5xx and silence → the SCM failed).

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, UnauthorizedError, UpstreamError } from '../../../src/core/errors.js';
import { ApiClient, bearer } from '../../../src/scm/internal/api-client.js';

describe('SCM API client', () => {
  const server = createServer((request, response) => {
    const seenAuth = request.headers.authorization ?? '';
    if (request.url === '/repos/old/name') return void response.writeHead(301, { location: '/repos/new/name' }).end();
    if (request.url === '/repos/new/name') return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ full_name: 'new/name', auth: seenAuth }));
    if (request.url === '/missing') return void response.writeHead(404).end();
    if (request.url === '/refused') return void response.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Bad credentials' }));
    if (request.url === '/broken') return void response.writeHead(503).end();
    // '/silent': never answers.
  });
  let api: ApiClient;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = new ApiClient({ provider: 'GitHub', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, authorize: bearer, skipVerify: false, timeoutMs: 300 });
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("follows a renamed repository's redirect with the token", async () => {
    expect(await api.get('/repos/old/name', { token: { access: 't0ken', refresh: '', expiry: 0 } })).toEqual({ full_name: 'new/name', auth: 'Bearer t0ken' });
  });

  it('names what failed, and how', async () => {
    await expect(api.get('/missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(api.get('/refused')).rejects.toThrow(UnauthorizedError);
    await expect(api.get('/refused')).rejects.toThrow(/Bad credentials/);
    await expect(api.get('/broken')).rejects.toThrow(new UpstreamError('GitHub: GET /broken: 503'));
    await expect(api.get('/silent')).rejects.toBeInstanceOf(UpstreamError);
  });
});
