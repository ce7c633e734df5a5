// The REST API a build needs, with Drone's routes, JSON and `{"message"}` errors.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type TestServer, startTestServer } from '../../support/server.js';

describe('REST API', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ driver: 'sqlite3' });
  });
  afterAll(async () => server?.close());

  async function call(method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let json: Record<string, unknown> | undefined;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text };
  }

  it('knows the bootstrap admin by its token and nobody without one', async () => {
    const me = await call('GET', '/api/user');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ login: 'admin', admin: true, active: true });
    expect(me.json).not.toHaveProperty('hash');
    expect(me.json).not.toHaveProperty('token');
    const guest = await call('GET', '/api/user', undefined, null);
    expect(guest.status).toBe(401);
    expect(guest.json).toEqual({ message: 'Unauthorized' });
    expect((await call('GET', '/api/user', undefined, 'not-a-token')).status).toBe(401);
  });

  it('enables a local git repository and shows it without its keys', async () => {
    const enabled = await call('POST', '/api/repos/octocat/hello', { git_http_url: 'file:///srv/git/hello.git', default_branch: 'main' });
    expect(enabled.status).toBe(200);
    expect(enabled.json).toMatchObject({
      slug: 'octocat/hello',
      namespace: 'octocat',
      name: 'hello',
      git_http_url: 'file:///srv/git/hello.git',
      default_branch: 'main',
      active: true,
      config_path: '.drone.yml',
      timeout: 60,
    });
    expect(enabled.json).not.toHaveProperty('signer');
    expect(enabled.json).not.toHaveProperty('secret');
    const found = await call('GET', '/api/repos/octocat/hello');
    expect(found.json).toMatchObject({ slug: 'octocat/hello', permissions: { read: true, write: true, admin: true } });
    const mine = await call('GET', '/api/user/repos');
    expect((mine.json as unknown as Array<{ slug: string }>).map((r) => r.slug)).toContain('octocat/hello');
  });

  it('changes repository settings and refuses a timeout a runner would treat as expired', async () => {
    await call('POST', '/api/repos/octocat/settings', { git_http_url: 'file:///srv/git/settings.git' });
    const patched = await call('PATCH', '/api/repos/octocat/settings', { timeout: 15, trusted: true, config_path: 'ci/.drone.yml', throttle: 2 });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ timeout: 15, trusted: true, config_path: 'ci/.drone.yml', throttle: 2 });
    const zero = await call('PATCH', '/api/repos/octocat/settings', { timeout: 0 });
    expect(zero.status).toBe(400);
    expect(String(zero.json?.message)).toMatch(/timeout/);
    expect((await call('GET', '/api/repos/octocat/settings')).json).toMatchObject({ timeout: 15 });
  });

  it('answers malformed JSON with 400 and a message, never 500', async () => {
    const response = await call('POST', '/api/repos/octocat/broken', '{"git_http_url": ');
    expect(response.status).toBe(400);
    expect(typeof response.json?.message).toBe('string');
    const missing = await call('POST', '/api/repos/octocat/broken', { default_branch: 'main' });
    expect(missing.status).toBe(400);
    expect(String(missing.json?.message)).toMatch(/git_http_url/);
    expect((await call('GET', '/api/repos/octocat/broken')).status).toBe(404);
  });

  it('answers an unknown repository or build with 404 {"message"}', async () => {
    expect(await call('GET', '/api/repos/nobody/nothing')).toMatchObject({ status: 404, json: { message: 'Not Found' } });
    expect((await call('GET', '/api/repos/nobody/nothing/builds')).status).toBe(404);
    await call('POST', '/api/repos/octocat/empty', { git_http_url: 'file:///srv/git/empty.git' });
    expect((await call('GET', '/api/repos/octocat/empty/builds')).json).toEqual([]);
    expect(await call('GET', '/api/repos/octocat/empty/builds/42')).toMatchObject({ status: 404, json: { message: 'Not Found' } });
    expect((await call('GET', '/api/repos/octocat/empty/builds/abc')).status).toBe(400);
  });

  it('keeps secret values out of every API response', async () => {
    await call('POST', '/api/repos/octocat/vault', { git_http_url: 'file:///srv/git/vault.git' });
    const created = await call('POST', '/api/repos/octocat/vault/secrets', { name: 'password', data: 'hunter2-very-secret' });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ name: 'password' });
    expect(created.text).not.toContain('hunter2');
    expect((await call('POST', '/api/repos/octocat/vault/secrets', { name: 'password', data: 'again' })).status).toBe(409);
    expect((await call('POST', '/api/repos/octocat/vault/secrets', { name: 'bad name!', data: 'x' })).status).toBe(400);
    const list = await call('GET', '/api/repos/octocat/vault/secrets');
    expect(list.text).not.toContain('hunter2');
    expect((list.json as unknown as Array<{ name: string }>).map((s) => s.name)).toEqual(['password']);
    expect((await call('PATCH', '/api/repos/octocat/vault/secrets/password', { data: 'rotated' })).text).not.toContain('rotated');
    expect((await call('DELETE', '/api/repos/octocat/vault/secrets/password')).status).toBe(204);
    expect((await call('GET', '/api/repos/octocat/vault/secrets/password')).status).toBe(404);
  });

  it('serves health, version and metrics (metrics for admins only by default)', async () => {
    expect((await call('GET', '/healthz', undefined, null)).text).toBe('OK');
    expect((await call('GET', '/version', undefined, null)).json).toHaveProperty('version');
    expect((await call('GET', '/metrics', undefined, null)).status).toBe(401);
    const metrics = await call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    for (const name of ['drone_pending_jobs', 'drone_running_jobs', 'hangar_dispatch_latency_seconds_bucket', 'hangar_parked_polls']) {
      expect(metrics.text).toContain(name);
    }
    // The web UI's page, telling the app to sign in with an API token (no SCM here).
    const page = await call('GET', '/', undefined, null);
    expect(page.text).toContain('<title>Hangar</title>');
    expect(page.text).toContain('<meta name="hangar-login" content="token" />');
  });
});
