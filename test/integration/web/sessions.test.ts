// A browser session across a cluster: the `_session_` cookie one server signed is accepted by another that
// shares DRONE_COOKIE_SECRET and the database; signing out on either ends it on both, also for a copy of the
// cookie replayed afterwards (Drone's sign-out only asked the browser to forget it); a new sign-in works.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type TestServer, startTestServer } from '../../support/server.js';

const COOKIE_SECRET = 'shared-cookie-secret-0123456789abcdef';

describe('sessions on two servers', () => {
  let a: TestServer;
  let b: TestServer;
  let adminId: number;

  beforeAll(async () => {
    a = await startTestServer({ driver: 'postgres', postgresUrl: inject('postgresUrl'), env: { DRONE_COOKIE_SECRET: COOKIE_SECRET } });
    b = await startTestServer({ driver: 'postgres', postgresUrl: inject('postgresUrl'), env: { DRONE_COOKIE_SECRET: COOKIE_SECRET, DRONE_DATABASE_DATASOURCE: a.ctx.config.database.datasource } });
    adminId = (await a.ctx.store.users.findByLogin('admin'))?.id ?? 0;
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  /** A session as /login starts it, signed by `server`. */
  function sessionCookie(server: TestServer): string {
    const expiry = Math.floor(Date.now() / 1000) + 3600;
    return `_session_=${server.app.signCookie(`${adminId}.${expiry}.${Date.now()}`)}`;
  }

  const me = async (server: TestServer, cookie: string) => (await fetch(`${server.url}/api/user`, { headers: { cookie } })).status;

  it('accepts a session signed by one server on the other', async () => {
    const cookie = sessionCookie(a);
    expect(await me(a, cookie)).toBe(200);
    expect(await me(b, cookie)).toBe(200);
  });

  it('ends the session on every server when the user signs out on one, even for a copy of the cookie', async () => {
    const cookie = sessionCookie(a);
    expect(await me(b, cookie)).toBe(200);
    const signOut = await fetch(`${b.url}/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(signOut.status).toBe(303);
    expect(await me(a, cookie)).toBe(401);
    expect(await me(b, cookie)).toBe(401);
    // Signing in again starts a session that works.
    const fresh = sessionCookie(b);
    expect(await me(a, fresh)).toBe(200);
  });
});
