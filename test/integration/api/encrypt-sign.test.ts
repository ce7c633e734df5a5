// POST …/encrypt, …/encrypt/secret and …/sign: Drone's formats keyed with the repository's secret, write
// access, and a build whose `from_secret` names an encrypted `kind: secret` document gets its value.

import { createDecipheriv, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../../src/pipeline/index.js';
import { type TestServer, startTestServer } from '../../support/server.js';
import { call } from '../cron/support.js';
import { addUser, enableRepoWith, execPipeline, expectAnswers, runBuild, stepLog } from './org-support.js';

const SECRET_VALUE = 'encrypted-value-only-this-repo-can-read';

const SIMPLE = execPipeline(['echo hello']);

const withEncryptedSecret = (data: string) =>
  `${execPipeline([`test "$TOKEN" = "${SECRET_VALUE}"`, 'echo "encrypted secret matches"', 'echo "value $TOKEN"'], { TOKEN: 'deploy_token' })}---
kind: secret
name: deploy_token
data: ${data}
`;

/** runner-go's decryption: AES-GCM keyed with the repository secret, base64 of nonce(12) ‖ sealed. */
function droneDecrypt(data: string, key: string): string {
  const raw = Buffer.from(data, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key, 'utf8'), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
}

describe('encrypt and sign', () => {
  let server: TestServer;
  let alice: string;
  let repoKey: string;

  beforeAll(async () => {
    server = await startTestServer({ driver: 'sqlite3', env: { DRONE_RUNNER_CAPACITY: '1' } });
    alice = await addUser(server, 'alice');
    await enableRepoWith(server, 'octocat/keys', { '.drone.yml': SIMPLE });
    repoKey = (await server.ctx.store.repos.findBySlug('octocat/keys'))?.secret ?? '';
    expect(repoKey).toHaveLength(32);
  });
  afterAll(async () => server?.close());

  it('encrypts {data} into base64(nonce ‖ AES-256-GCM) with the repository secret, on both paths', async () => {
    for (const path of ['/api/repos/octocat/keys/encrypt', '/api/repos/octocat/keys/encrypt/secret']) {
      const encrypted = await call<{ data: string }>(server, 'POST', path, { data: 'p4ssw0rd', pull_request: true, pull_request_push: null, name: 'ignored' });
      expect(encrypted.status).toBe(200);
      expect(Object.keys(encrypted.json)).toEqual(['data']);
      expect(encrypted.text).not.toContain('p4ssw0rd');
      expect(Buffer.from(encrypted.json.data, 'base64')).toHaveLength(12 + 'p4ssw0rd'.length + 16);
      expect(droneDecrypt(encrypted.json.data, repoKey)).toBe('p4ssw0rd');
    }
    const again = await call<{ data: string }>(server, 'POST', '/api/repos/octocat/keys/encrypt/secret', { data: 'p4ssw0rd' });
    expect(droneDecrypt(again.json.data, repoKey)).toBe('p4ssw0rd');
  });

  it('signs {data} with the HMAC the server verifies for protected repositories', async () => {
    const signed = await call<{ data: string }>(server, 'POST', '/api/repos/octocat/keys/sign', { data: SIMPLE });
    expect(signed.status).toBe(200);
    expect(signed.json.data).toBe(createHmac('sha256', repoKey).update(SIMPLE).digest('hex'));
    expect(verifySignature(`${SIMPLE}---\nkind: signature\nhmac: ${signed.json.data}\n`, repoKey)).toBe(true);

    // A signature document already in the file is not part of what is signed.
    const resigned = await call<{ data: string }>(server, 'POST', '/api/repos/octocat/keys/sign', { data: `${SIMPLE}---\nkind: signature\nhmac: 00\n` });
    expect(resigned.json.data).toBe(signed.json.data);
  });

  it('answers bad input with 400 and a message, guests 401 and users without write access 404', async () => {
    await expectAnswers(server, [
      ['POST', '/api/repos/octocat/keys/encrypt/secret', {}],
      ['POST', '/api/repos/octocat/keys/encrypt/secret', { data: 42 }],
      ['POST', '/api/repos/octocat/keys/encrypt/secret'],
      ['POST', '/api/repos/octocat/keys/encrypt', '{"data": '],
      ['POST', '/api/repos/octocat/keys/sign'],
      ['POST', '/api/repos/octocat/keys/sign', { data: ['kind: pipeline'] }],
      ['POST', '/api/repos/octocat/keys/sign', { data: 'kind: pipeline\nsteps: [unclosed\n' }],
    ], 400);
    for (const path of ['/api/repos/octocat/keys/encrypt/secret', '/api/repos/octocat/keys/sign']) {
      expect((await call(server, 'POST', path, { data: 'x' }, null)).status).toBe(401);
      expect(await call(server, 'POST', path, { data: 'x' }, alice)).toMatchObject({ status: 404, json: { message: 'Not Found' } });
      expect((await call(server, 'POST', path.replace('keys', 'missing'), { data: 'x' })).status).toBe(404);
    }
  });

  it('gives a build the decrypted value of an encrypted `kind: secret`, masked in its log', async () => {
    await enableRepoWith(server, 'octocat/sealed', { '.drone.yml': SIMPLE });
    const encrypted = await call<{ data: string }>(server, 'POST', '/api/repos/octocat/sealed/encrypt/secret', { data: SECRET_VALUE });
    const repo = await enableRepoWith(server, 'octocat/sealed-run', { '.drone.yml': SIMPLE });
    // Keyed with another repository's secret: the value does not decrypt there, so the step fails.
    await repo.push({ '.drone.yml': withEncryptedSecret(encrypted.json.data) }, 'foreign secret');
    expect((await runBuild(server, 'octocat/sealed-run')).status).toBe('failure');

    const own = await call<{ data: string }>(server, 'POST', '/api/repos/octocat/sealed-run/encrypt/secret', { data: SECRET_VALUE });
    await repo.push({ '.drone.yml': withEncryptedSecret(own.json.data) }, 'own secret');
    const build = await runBuild(server, 'octocat/sealed-run');
    expect(build.status).toBe('success');
    const log = await stepLog(server, 'octocat/sealed-run', build.number, 1, 1);
    expect(log).toContain('encrypted secret matches');
    expect(log).toContain('value ******');
    expect(log).not.toContain(SECRET_VALUE);
  });
});
