// Repository secrets (/api/repos/{owner}/{name}/secrets) on SQLite and PostgreSQL: the route schemas
// (400 with a message for bad input, null and a missing body as "unchanged"), write access, values never
// in a response, and AES-256-GCM at rest as Drone stores them.

import { createDecipheriv } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Secret } from '../../../src/core/types.js';
import { type TestServer, startTestServer } from '../../support/server.js';
import { call } from '../cron/support.js';
import { addUser, enableRepoWith, expectAnswers, storedSecretBytes } from './org-support.js';

const DATABASE_SECRET = '0123456789abcdef0123456789abcdef';
const VALUE = 'repo-secret-value-never-shown';
const base = '/api/repos/octocat/vault/secrets';

describe.each(['sqlite3', 'postgres'] as const)('repository secrets on %s', (driver) => {
  let server: TestServer;
  let alice: string;

  beforeAll(async () => {
    server = await startTestServer({ driver, postgresUrl: inject('postgresUrl'), env: { DRONE_DATABASE_SECRET: DATABASE_SECRET } });
    alice = await addUser(server, 'alice');
    await enableRepoWith(server, 'octocat/vault', { '.drone.yml': 'kind: pipeline\ntype: exec\nname: default\nsteps: []\n' });
    await call(server, 'PATCH', '/api/repos/octocat/vault', { visibility: 'private' });
  });
  afterAll(async () => server?.close());

  it('keeps the value out of every response and treats null and a missing body as unchanged', async () => {
    const created = await call<Secret>(server, 'POST', base, { name: 'password', data: VALUE, pull_request: null });
    expect(created.json).toEqual({ id: expect.any(Number), repo_id: expect.any(Number), name: 'password' });
    const patched = await call<Secret>(server, 'PATCH', `${base}/password`, { data: null, pull_request: true, pull_request_push: null });
    expect(patched.json).toMatchObject({ name: 'password', pull_request: true });
    const empty = await call<Secret>(server, 'PATCH', `${base}/password`);
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual(patched.json);
    for (const response of [created, patched, empty, await call(server, 'GET', base), await call(server, 'GET', `${base}/password`)]) {
      expect(response.text).not.toContain(VALUE);
      expect(response.text).not.toContain('"data"');
    }
  });

  it('stores the value as Drone does: AES-256-GCM with the literal DRONE_DATABASE_SECRET, nonce first', async () => {
    await call(server, 'POST', base, { name: 'at_rest', data: 'stored-encrypted' });
    const stored = await storedSecretBytes(server, 'secrets', 'at_rest');
    expect(stored.toString('utf8')).not.toContain('stored-encrypted');
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(DATABASE_SECRET, 'utf8'), stored.subarray(0, 12));
    decipher.setAuthTag(stored.subarray(stored.length - 16));
    expect(Buffer.concat([decipher.update(stored.subarray(12, stored.length - 16)), decipher.final()]).toString('utf8')).toBe('stored-encrypted');
  });

  it('answers bad input with 400 and a message, guests 401 and users without write access 404', async () => {
    await expectAnswers(server, [
      ['POST', base, { name: 'bad name!', data: 'x' }],
      ['POST', base, { name: 'x'.repeat(201), data: 'x' }],
      ['POST', base, { name: 'nodata' }],
      ['POST', base],
      ['POST', base, { name: 'typed', data: 'x', pull_request_push: 'yes' }],
      ['PATCH', `${base}/password`, { data: '' }],
      ['PATCH', `${base}/password`, { data: 7 }],
    ], 400);
    // Fastify refuses path parameters over 100 characters before routing.
    expect((await call(server, 'GET', `${base}/${'s'.repeat(256)}`)).status).toBe(414);
    await expectAnswers(server, [['GET', base]], 401, { token: null });
    await expectAnswers(server, [['GET', base], ['POST', base, { name: 'x', data: 'y' }], ['DELETE', `${base}/password`]], 404, { token: alice, message: 'Not Found' });
    await expectAnswers(server, [['GET', `${base}/missing`]], 404);
  });
});
