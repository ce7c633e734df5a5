// Step cards (/api/repos/{owner}/{name}/cards/{build}/{stage}/{step}): Drone's routes and access rules, the
// card a runner uploads through /rpc/v2 shown by the API, and the step's card schema set by a create.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Build } from '../../../src/core/types.js';
import { ADMIN_TOKEN, RPC_SECRET, type TestServer, startTestServer } from '../../support/server.js';
import { call } from '../cron/support.js';
import { type ApiRequest, addUser, enableRepoWith, execPipeline, expectAnswers, runBuild } from './org-support.js';

const PIPELINE = execPipeline(['echo hello']);

const SCHEMA = 'https://drone.github.io/drone-jira/card.json';
const CARD = { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'deployed' }] };

describe('cards', () => {
  let server: TestServer;
  let alice: string;
  let build: Build;
  const base = '/api/repos/octocat/cards/cards';

  beforeAll(async () => {
    server = await startTestServer({ driver: 'sqlite3', env: { DRONE_RUNNER_CAPACITY: '1' } });
    alice = await addUser(server, 'alice');
    await enableRepoWith(server, 'octocat/cards', { '.drone.yml': PIPELINE });
    await call(server, 'PATCH', '/api/repos/octocat/cards', { visibility: 'private' });
    build = await runBuild(server, 'octocat/cards');
  });
  afterAll(async () => server?.close());

  it('creates a card with its schema, shows it as JSON, and deletes it', async () => {
    const path = `${base}/${build.number}/1/1`;
    expect(await call(server, 'GET', path)).toMatchObject({ status: 404, json: { message: 'Not Found' } });

    const created = await call<number>(server, 'POST', path, { schema: SCHEMA, data: CARD });
    expect(created.status).toBe(200);
    const step = build.stages?.[0].steps?.[0];
    expect(created.json).toBe(step?.id);

    const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(CARD);
    const again = await call<Build>(server, 'GET', `/api/repos/octocat/cards/builds/${build.number}`);
    expect(again.json.stages?.[0].steps?.[0]).toMatchObject({ schema: SCHEMA });

    expect((await call(server, 'DELETE', path)).status).toBe(204);
    expect((await call(server, 'GET', path)).status).toBe(404);
    expect((await call(server, 'DELETE', path)).status).toBe(404);
  });

  it('shows the card a runner uploaded through /rpc/v2', async () => {
    const stepId = build.stages?.[0].steps?.[0].id;
    const uploaded = await fetch(`${server.url}/rpc/v2/step/${stepId}/card`, {
      method: 'POST',
      headers: { 'X-Drone-Token': RPC_SECRET },
      body: JSON.stringify({ schema: SCHEMA, data: { from: 'runner' } }),
    });
    expect(uploaded.status).toBe(200);
    expect((await call(server, 'GET', `${base}/${build.number}/1/1`)).json).toEqual({ from: 'runner' });
  });

  it('answers bad input with 400, missing steps with 404, guests 401 and strangers 404', async () => {
    const path = `${base}/${build.number}/1/1`;
    await expectAnswers(server, [
      ['POST', path, { schema: SCHEMA }],
      ['POST', path],
      ['POST', path, { schema: 'x'.repeat(2001), data: {} }],
      ['POST', path, { schema: 42, data: {} }],
      ['GET', `${base}/${build.number}/1/abc`],
      ['GET', `${base}/0/1/1`],
      ['DELETE', `${base}/${build.number}/-1/1`],
    ], 400);
    const missing = [`${base}/999/1/1`, `${base}/${build.number}/9/1`, `${base}/${build.number}/1/9`, '/api/repos/octocat/none/cards/1/1/1'];
    await expectAnswers(server, missing.flatMap((target): ApiRequest[] => [['GET', target], ['POST', target, { data: {} }]]), 404);
    await expectAnswers(server, [['GET', path], ['POST', path, { data: {} }]], 401, { token: null });
    await expectAnswers(server, [['GET', path], ['POST', path, { data: {} }], ['DELETE', path]], 404, { token: alice, message: 'Not Found' });
  });
});
