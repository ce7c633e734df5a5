// The sign-in surface of a server connected to a provider, without the provider's answers: the first /login
// hop, the rate limit per address, forged and expired sessions, logout, and the page a server without a
// provider shows.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../support/scm/browser.js';
import { type TestServer, startTestServer } from '../../support/server.js';

describe('sign-in', () => {
  let server: TestServer;
  let local: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      driver: 'sqlite3',
      env: { DRONE_GITHUB_CLIENT_ID: 'id', DRONE_GITHUB_CLIENT_SECRET: 'secret', DRONE_GITHUB_SERVER: 'http://127.0.0.1:9', HANGAR_LOGIN_RATE_LIMIT: '3' },
    });
    local = await startTestServer({ driver: 'sqlite3' });
  });
  afterAll(async () => {
    await server?.close();
    await local?.close();
  });

  it('sends the browser to the provider with a fresh state it keeps in a signed cookie', async () => {
    const browser = new Browser();
    const first = await browser.request(`${server.url}/login`);
    const second = await new Browser().request(`${server.url}/login`);
    expect(first.status).toBe(303);
    const state = new URL(first.location ?? '').searchParams.get('state');
    expect(state).toMatch(/^[0-9a-f]{32}$/);
    expect(new URL(second.location ?? '').searchParams.get('state')).not.toBe(state);
    expect(first.setCookies.find((c) => c.startsWith('_oauth_state_='))).toMatch(/HttpOnly/);
  });

  it('limits sign-in attempts per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await new Browser().request(`${server.url}/login`)).status);
    // Three per minute; the first test of this file made two already.
    expect(statuses).toEqual([303, 429, 429, 429, 429]);
  });

  it('treats a forged or tampered session cookie as a guest', async () => {
    for (const cookie of ['_session_=1.9999999999', '_session_=1.9999999999.c2lnbmF0dXJl']) {
      const response = await fetch(`${server.url}/api/user`, { headers: { cookie } });
      expect(response.status).toBe(401);
    }
  });

  it("lets a session change things only from the server's own pages", async () => {
    const admin = await server.ctx.store.users.findByLogin('admin');
    const session = server.app.signCookie(`${admin?.id}.${Math.floor(Date.now() / 1000) + 3600}`);
    const sync = (headers: Record<string, string>) => fetch(`${server.url}/api/user/repos?async=true`, { method: 'POST', headers: { cookie: `_session_=${session}`, ...headers } });
    expect((await fetch(`${server.url}/api/user`, { headers: { cookie: `_session_=${session}` } })).status).toBe(200);
    expect((await sync({})).status).toBe(403);
    expect((await sync({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await sync({ 'x-csrf-token': 'guessed' })).status).toBe(403);
    // Drone's own UI, served by this server: the browser names the origin.
    expect((await sync({ origin: server.ctx.config.server.addr })).status).toBe(204);
    expect((await sync({ 'sec-fetch-site': 'same-origin' })).status).toBe(204);
  });

  it('ends the session at /logout', async () => {
    const browser = new Browser();
    browser.setCookie(new URL(server.url).host, '_session_', 'anything');
    const hop = await browser.request(`${server.url}/logout`, { method: 'POST' });
    expect(hop.status).toBe(303);
    expect(hop.setCookies.some((c) => c.startsWith('_session_=;'))).toBe(true);
    expect(browser.cookie(new URL(server.url).host, '_session_')).toBeUndefined();
  });

  it('says how to authenticate on a server without a provider', async () => {
    const response = await fetch(`${local.url}/login`);
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/API token/);
  });
});
