// Browser sessions: the `_session_` cookie Drone's UI relies on (HttpOnly, SameSite=Lax, Path=/, Secure
// behind https), holding the user's id, its expiry and when it started, signed with DRONE_COOKIE_SECRET —
// which every server of a cluster shares, so any server reads any session. Signing out ends every session
// of the user that started before (the user row keeps the time), which Drone's sign-out did not. An unsafe method on a cookie session must come from
// the server's own pages: the browser says so (`Sec-Fetch-Site: same-origin`, or an `Origin` that is the
// server's address — Drone's own UI sends no token), or the request carries `X-CSRF-Token`, derived from the
// session cookie and handed to pages in the readable `_csrf_` cookie, which another site cannot read. API
// tokens (Authorization / access_token) need none of this.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = '_session_';
export const CSRF_COOKIE = '_csrf_';
export const CSRF_HEADER = 'x-csrf-token';

export interface SessionSettings {
  secret: string;
  timeoutMs: number;
  secure: boolean;
}

/** Starts a session for the user: the session cookie and its CSRF token cookie. */
export function startSession(reply: FastifyReply, settings: SessionSettings, userId: number): void {
  const started = Date.now();
  const expiry = Math.floor((started + settings.timeoutMs) / 1000);
  const signed = reply.signCookie(`${userId}.${expiry}.${started}`);
  const common = { path: '/', sameSite: 'lax' as const, secure: settings.secure, maxAge: Math.floor(settings.timeoutMs / 1000) };
  reply.setCookie(SESSION_COOKIE, signed, { ...common, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, csrfToken(settings.secret, signed), { ...common, httpOnly: false });
}

export function endSession(reply: FastifyReply, settings: Pick<SessionSettings, 'secure'>): void {
  for (const name of [SESSION_COOKIE, CSRF_COOKIE]) reply.clearCookie(name, { path: '/', secure: settings.secure });
}

/** A valid, unexpired session cookie on the request: its user and when it started (ms; 0 when it does not say). */
export function sessionOf(request: FastifyRequest): { userId: number; started: number } | undefined {
  const raw = request.cookies?.[SESSION_COOKIE];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return undefined;
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(unsigned.value);
  if (!match || Number(match[2]) * 1000 < Date.now()) return undefined;
  return { userId: Number(match[1]), started: Number(match[3] ?? 0) };
}

/** The addresses this server's pages are served from. */
export function ownOrigins(server: { addr: string; proxyAddr: string }): string[] {
  return [server.addr, server.proxyAddr];
}

/**
 * Where the browser says a request comes from: this server's pages (`own`), another site (`foreign`), or it
 * says nothing (`unknown`: not a browser, or an old one).
 */
export function requestSource(request: FastifyRequest, origins: readonly string[]): 'own' | 'foreign' | 'unknown' {
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  if (site === 'same-origin' || (typeof origin === 'string' && origins.includes(origin))) return 'own';
  if (site === 'cross-site' || typeof origin === 'string') return 'foreign';
  return 'unknown';
}

/** Whether a cookie-authenticated unsafe request comes from this server's pages, or carries its session's token. */
export function csrfValid(request: FastifyRequest, secret: string, origins: readonly string[]): boolean {
  if (requestSource(request, origins) === 'own') return true;
  const raw = request.cookies?.[SESSION_COOKIE];
  const sent = request.headers[CSRF_HEADER];
  if (!raw || typeof sent !== 'string') return false;
  const expected = Buffer.from(csrfToken(secret, raw));
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function csrfToken(secret: string, sessionCookie: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionCookie}`).digest('base64url');
}
