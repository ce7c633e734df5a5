// Secrets, tried from every side a user or an attacker can look at: a build that prints three secrets (one
// on several lines, one from the organisation, one also through base64) — the build log shows masks, and
// neither the API's answers, its error messages, `/metrics`, the server's own log at trace level nor the
// database file (encrypted with DRONE_DATABASE_SECRET) holds any of the values.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Build } from '../../src/core/types.js';
import { type TestRepo, createTestRepo } from '../support/git-repo.js';
import { type ServerProcess, startServerProcess } from '../support/processes.js';
import { until } from '../support/wait.js';

const TOKEN = 'exposure-admin-token-0123456789ab';
const SECRETS = {
  api_key: 'sk-live-5f0c7e1d9a8b4c3e',
  deploy_pem: 'BEGIN-KEY-7h3q9\nmiddle-line-x8k2p\nEND-KEY-4m6n1',
  registry_password: 'org-wide-R3g1stry-pass',
};
const PIPELINE = `kind: pipeline
type: exec
name: default
steps:
- name: leak
  environment:
    API_KEY: { from_secret: api_key }
    PEM: { from_secret: deploy_pem }
    REGISTRY: { from_secret: registry_password }
  commands:
  - echo "key=$API_KEY"
  - printf '%s\\n' "$PEM"
  - echo "registry=$REGISTRY"
  - printf 'b64=' && echo -n "$API_KEY" | base64
  - printf 'echo64=' && echo $API_KEY | base64
`;

describe('secret values never leave the runner unmasked', () => {
  let dir: string;
  let server: ServerProcess;
  let repo: TestRepo;
  let build: Build;

  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  }

  function expectNoSecret(text: string, where: string): void {
    for (const value of Object.values(SECRETS)) {
      for (const part of value.split('\n')) expect(text.includes(part), `${where} holds "${part}"`).toBe(false);
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hangar-exposure-'));
    server = await startServerProcess({
      DRONE_DATABASE_DATASOURCE: join(dir, 'hangar.sqlite'),
      DRONE_DATABASE_SECRET: '0123456789abcdef0123456789abcdef',
      DRONE_RPC_SECRET: 'exposure-rpc-secret',
      DRONE_USER_CREATE: `username:admin,admin:true,token:${TOKEN}`,
      DRONE_RUNNER_CAPACITY: '1',
      DRONE_LOGS_TRACE: 'true',
    });
    repo = await createTestRepo(join(dir, 'repo'));
    await repo.push({ '.drone.yml': PIPELINE }, 'leaky pipeline');
    expect((await api('POST', '/api/repos/octocat/exposure', { git_http_url: repo.url })).status).toBe(200);
    expect((await api('POST', '/api/repos/octocat/exposure/secrets', { name: 'api_key', data: SECRETS.api_key })).status).toBe(200);
    expect((await api('POST', '/api/repos/octocat/exposure/secrets', { name: 'deploy_pem', data: SECRETS.deploy_pem })).status).toBe(200);
    expect((await api('POST', '/api/secrets/octocat', { name: 'registry_password', data: SECRETS.registry_password })).status).toBe(200);
    build = JSON.parse((await api('POST', '/api/repos/octocat/exposure/builds')).text) as Build;
    await until(async () => (JSON.parse((await api('GET', `/api/repos/octocat/exposure/builds/${build.number}`)).text) as Build).status === 'success', 60_000);
  });
  afterAll(async () => {
    await server?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('masks every secret in the build log, each line of a multi-line one too', async () => {
    const log = (JSON.parse((await api('GET', `/api/repos/octocat/exposure/builds/${build.number}/logs/1/2`)).text) as Array<{ out: string }>).map((line) => line.out).join('');
    expect(log).toContain('key=******');
    expect(log).toContain('registry=******');
    expect(log.match(/^\*\*\*\*\*\*$/gm)).toHaveLength(3);
    expectNoSecret(log, 'the build log');
  });

  it('masks the base64 of a secret that a step pipes through base64', async () => {
    const log = (JSON.parse((await api('GET', `/api/repos/octocat/exposure/builds/${build.number}/logs/1/2`)).text) as Array<{ out: string }>).map((line) => line.out).join('');
    expect(log).toContain('b64=******\n');
    expect(log).toContain('echo64=******\n');
    for (const text of [SECRETS.api_key, `${SECRETS.api_key}\n`]) {
      const encoded = Buffer.from(text).toString('base64').replace(/=+$/, '');
      expect(log.includes(encoded), `the build log holds the base64 of ${JSON.stringify(text)}`).toBe(false);
    }
  });

  it('never answers a value: lists, finds, errors, the build, metrics', async () => {
    const answers = await Promise.all([
      api('GET', '/api/repos/octocat/exposure/secrets'),
      api('GET', '/api/repos/octocat/exposure/secrets/api_key'),
      api('GET', '/api/secrets/octocat'),
      api('GET', '/api/secrets'),
      api('POST', '/api/repos/octocat/exposure/secrets', { name: 'api_key', data: SECRETS.api_key }),
      api('PATCH', '/api/repos/octocat/exposure/secrets/api_key', { data: SECRETS.api_key, pull_request: 'not-a-bool' }),
      api('GET', `/api/repos/octocat/exposure/builds/${build.number}`),
      api('GET', '/metrics'),
    ]);
    expect(answers[4].status).toBe(409);
    expect(answers[5].status).toBe(400);
    for (const [index, answer] of answers.entries()) expectNoSecret(answer.text, `answer ${index}`);
  });

  it("keeps them out of the server's log at trace level and out of the database file", async () => {
    // Trace logging writes every request, bodies' routes included.
    expect(server.output()).toContain('/api/repos/octocat/exposure/secrets');
    expectNoSecret(server.output(), "the server's log");
    expectNoSecret((await readFile(join(dir, 'hangar.sqlite'))).toString('latin1'), 'the database file');
  });
});
