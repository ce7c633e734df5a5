// Organisation secrets (/api/secrets) on SQLite and PostgreSQL: Drone's routes and JSON, membership
// (system admins, and the user whose login is the namespace, with the local git provider), values never
// in a response, AES-256-GCM at rest readable with Drone's scheme, and the value reaching a build.

import { createDecipheriv } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Secret } from '../../../src/core/types.js';
import { type TestServer, startTestServer } from '../../support/server.js';
import { call } from '../cron/support.js';
import { addUser, enableRepoWith, execPipeline, expectAnswers, runBuild, stepLog, storedSecretBytes } from './org-support.js';

const DATABASE_SECRET = 'drone-database-secret-32-bytes!!';
const NPM_TOKEN = 'npm-token-value-that-must-stay-hidden';

const PIPELINE = execPipeline([`test "$NPM" = "${NPM_TOKEN}"`, 'echo "org secret matches"', 'echo "value $NPM"'], { NPM: 'npm_token' });

/** Drone's store/shared/encrypt: AES-256-GCM with the literal key, nonce(12) ‖ ciphertext ‖ tag(16). */
function droneDecrypt(stored: Buffer, key: string): string {
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key, 'utf8'), stored.subarray(0, 12));
  decipher.setAuthTag(stored.subarray(stored.length - 16));
  return Buffer.concat([decipher.update(stored.subarray(12, stored.length - 16)), decipher.final()]).toString('utf8');
}

describe.each(['sqlite3', 'postgres'] as const)('org secrets on %s', (driver) => {
  let server: TestServer;
  let alice: string;

  beforeAll(async () => {
    server = await startTestServer({
      driver,
      postgresUrl: inject('postgresUrl'),
      env: { DRONE_DATABASE_SECRET: DATABASE_SECRET, DRONE_RUNNER_CAPACITY: '1' },
    });
    alice = await addUser(server, 'alice');
  });
  afterAll(async () => server?.close());

  it('creates, finds, lists, updates (POST and PATCH) and deletes with Drone’s JSON, never the value', async () => {
    const created = await call<Secret>(server, 'POST', '/api/secrets/acme', { name: 'npm_token', data: NPM_TOKEN, pull_request: true });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({ id: expect.any(Number), namespace: 'acme', name: 'npm_token', pull_request: true });
    const responses = [created.text];

    const found = await call<Secret>(server, 'GET', '/api/secrets/acme/npm_token');
    expect(found.json).toMatchObject({ namespace: 'acme', name: 'npm_token', pull_request: true });
    responses.push(found.text);

    const viaPost = await call<Secret>(server, 'POST', '/api/secrets/acme/npm_token', { pull_request: false, pull_request_push: true });
    expect(viaPost.status).toBe(200);
    expect(viaPost.json).toEqual({ id: created.json.id, namespace: 'acme', name: 'npm_token', pull_request_push: true });
    // drone-go sends null for what it leaves unchanged; an absent body changes nothing.
    const viaPatch = await call<Secret>(server, 'PATCH', '/api/secrets/acme/npm_token', { data: null, pull_request: null });
    expect(viaPatch.json).toEqual(viaPost.json);
    const noBody = await call(server, 'PATCH', '/api/secrets/acme/npm_token');
    expect(noBody.status, noBody.text).toBe(200);
    responses.push(viaPost.text, viaPatch.text);

    await call(server, 'POST', '/api/secrets/other', { name: 'docker', data: 'docker-password' });
    const all = await call<Secret[]>(server, 'GET', '/api/secrets');
    expect(all.json.map((s) => `${s.namespace}/${s.name}`)).toEqual(['acme/npm_token', 'other/docker']);
    const list = await call<Secret[]>(server, 'GET', '/api/secrets/acme');
    expect(list.json.map((s) => s.name)).toEqual(['npm_token']);
    responses.push(all.text, list.text);
    for (const text of responses) {
      expect(text).not.toContain(NPM_TOKEN);
      expect(text).not.toContain('"data"');
    }

    expect((await call(server, 'POST', '/api/secrets/acme', { name: 'npm_token', data: 'again' })).status).toBe(409);
    expect((await call(server, 'DELETE', '/api/secrets/other/docker')).status).toBe(204);
    expect(await call(server, 'GET', '/api/secrets/other/docker')).toMatchObject({ status: 404, json: { message: 'Not Found' } });
    expect((await call(server, 'DELETE', '/api/secrets/other/docker')).status).toBe(404);
    expect((await call(server, 'PATCH', '/api/secrets/other/docker', { data: 'x' })).status).toBe(404);
  });

  it('answers bad input with 400 and a message', async () => {
    await expectAnswers(server, [
      ['POST', '/api/secrets/acme', { name: 'bad name!', data: 'x' }],
      ['POST', '/api/secrets/acme', { name: 'empty' }],
      ['POST', '/api/secrets/acme', { name: 'empty', data: '' }],
      ['POST', '/api/secrets/acme', undefined],
      ['POST', '/api/secrets/acme', { name: 'x'.repeat(201), data: 'x' }],
      ['POST', '/api/secrets/acme', { name: 'typed', data: 'x', pull_request: 'yes' }],
      ['POST', `/api/secrets/${'n'.repeat(51)}`, { name: 'long', data: 'x' }],
      ['PATCH', '/api/secrets/acme/npm_token', { data: '' }],
      ['PATCH', '/api/secrets/acme/npm_token', '{"data": '],
    ], 400);
  });

  it('lets guests nowhere, non-admins only into their own namespace, and admins everywhere', async () => {
    expect(await call(server, 'GET', '/api/secrets', undefined, null)).toMatchObject({ status: 401, json: { message: 'Unauthorized' } });
    expect((await call(server, 'GET', '/api/secrets/acme', undefined, null)).status).toBe(401);
    expect(await call(server, 'GET', '/api/secrets', undefined, alice)).toMatchObject({ status: 403, json: { message: 'Forbidden' } });
    // A signed-in non-member is refused with 403 (Drone answers 401 "Not Found").
    await expectAnswers(server, [
      ['GET', '/api/secrets/acme'],
      ['GET', '/api/secrets/acme/npm_token'],
      ['POST', '/api/secrets/acme', { name: 'mine', data: 'x' }],
      ['POST', '/api/secrets/acme/npm_token', { data: 'stolen' }],
      ['PATCH', '/api/secrets/acme/npm_token', { data: 'stolen' }],
      ['DELETE', '/api/secrets/acme/npm_token'],
    ], 403, { token: alice, message: 'Forbidden' });
    expect((await call(server, 'GET', '/api/secrets/acme/npm_token')).status).toBe(200);

    const own = await call<Secret>(server, 'POST', '/api/secrets/alice', { name: 'personal', data: 'alice-value' }, alice);
    expect(own.status).toBe(200);
    expect((await call<Secret[]>(server, 'GET', '/api/secrets/alice', undefined, alice)).json.map((s) => s.name)).toEqual(['personal']);
    expect((await call(server, 'PATCH', '/api/secrets/alice/personal', { pull_request: true }, alice)).status).toBe(200);
    expect((await call(server, 'DELETE', '/api/secrets/alice/personal', undefined, alice)).status).toBe(204);
  });

  it('stores the value as Drone does: AES-256-GCM with the literal DRONE_DATABASE_SECRET, nonce first', async () => {
    await call(server, 'POST', '/api/secrets/crypto', { name: 'at_rest', data: 'plain-value-at-rest' });
    const stored = await storedSecretBytes(server, 'orgsecrets', 'at_rest');
    expect(stored.toString('utf8')).not.toContain('plain-value-at-rest');
    expect(stored.length).toBe(12 + 'plain-value-at-rest'.length + 16);
    expect(droneDecrypt(stored, DATABASE_SECRET)).toBe('plain-value-at-rest');

    await call(server, 'PATCH', '/api/secrets/crypto/at_rest', { data: 'rotated-value' });
    expect(droneDecrypt(await storedSecretBytes(server, 'orgsecrets', 'at_rest'), DATABASE_SECRET)).toBe('rotated-value');
  });

  it('sends a runner the namespace’s org secrets after the repository’s, pull requests only those allowed', async () => {
    await enableRepoWith(server, 'runnerns/app', { '.drone.yml': PIPELINE });
    const repo = await server.ctx.store.repos.findBySlug('runnerns/app');
    if (!repo) throw new Error('repository not enabled');
    await call(server, 'POST', '/api/secrets/runnerns', { name: 'shared', data: 'org-value' });
    await call(server, 'POST', '/api/secrets/runnerns', { name: 'for_prs', data: 'pr-value', pull_request: true });
    await call(server, 'POST', '/api/secrets/elsewhere', { name: 'foreign', data: 'not-for-this-repo' });
    await call(server, 'POST', '/api/repos/runnerns/app/secrets', { name: 'shared', data: 'repo-value' });

    const push = await server.ctx.store.secrets.forRunner(repo, 'push');
    expect(push.map((s) => [s.name, s.data])).toEqual([
      ['shared', 'repo-value'],
      ['for_prs', 'pr-value'],
      ['shared', 'org-value'],
    ]);
    const pullRequest = await server.ctx.store.secrets.forRunner(repo, 'pull_request');
    expect(pullRequest.map((s) => s.name)).toEqual(['for_prs']);
  });

  it('gives a build of a repository in the namespace the org secret, masked in its log', async () => {
    await enableRepoWith(server, 'acme/app', { '.drone.yml': PIPELINE });
    const build = await runBuild(server, 'acme/app');
    expect(build.status).toBe('success');
    const log = await stepLog(server, 'acme/app', build.number, 1, 1);
    expect(log).toContain('org secret matches');
    expect(log).toContain('value ******');
    expect(log).not.toContain(NPM_TOKEN);
  });
});
