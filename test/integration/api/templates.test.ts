// Templates (/api/templates) on SQLite and PostgreSQL: Drone's routes, validation and JSON, membership,
// and a `kind: template` configuration built from a template stored through the API in the repository's
// namespace.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Template } from '../../../src/core/types.js';
import { type TestServer, startTestServer } from '../../support/server.js';
import { call } from '../cron/support.js';
import { type ApiRequest, addUser, enableRepoWith, expectAnswers, runBuild, stepLog } from './org-support.js';

const JSONNET_TEMPLATE = `{
  kind: 'pipeline',
  type: 'exec',
  name: 'from-template',
  clone: { disable: true },
  steps: [{ name: 'greet', commands: ['echo hello ' + std.extVar('input.who')] }],
}
`;

const TEMPLATE_CONFIG = `kind: template
load: greeting.jsonnet
data:
  who: templated-world
`;

describe.each(['sqlite3', 'postgres'] as const)('templates on %s', (driver) => {
  let server: TestServer;
  let alice: string;

  beforeAll(async () => {
    server = await startTestServer({ driver, postgresUrl: inject('postgresUrl'), env: { DRONE_RUNNER_CAPACITY: '1' } });
    alice = await addUser(server, 'alice');
  });
  afterAll(async () => server?.close());

  it('creates, finds, lists, updates (PUT and PATCH) and deletes with Drone’s JSON', async () => {
    const before = Math.floor(Date.now() / 1000);
    const created = await call<Template>(server, 'POST', '/api/templates/acme', { name: 'base.yaml', data: 'kind: pipeline\n' });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({
      id: expect.any(Number),
      name: 'base.yaml',
      namespace: 'acme',
      data: 'kind: pipeline\n',
      created: expect.any(Number),
      updated: expect.any(Number),
    });
    expect(created.json.created).toBeGreaterThanOrEqual(before);
    expect((await call(server, 'POST', '/api/templates/acme', { name: 'base.yaml', data: 'again' })).status).toBe(409);

    expect((await call<Template>(server, 'GET', '/api/templates/acme/base.yaml')).json).toEqual(created.json);
    const put = await call<Template>(server, 'PUT', '/api/templates/acme/base.yaml', { data: 'kind: pipeline\nname: put\n' });
    expect(put.json).toMatchObject({ name: 'base.yaml', namespace: 'acme', data: 'kind: pipeline\nname: put\n' });
    const patch = await call<Template>(server, 'PATCH', '/api/templates/acme/base.yaml', { data: null, namespace: null });
    expect(patch.json.data).toBe('kind: pipeline\nname: put\n');
    expect((await call(server, 'PATCH', '/api/templates/acme/base.yaml')).status).toBe(200);

    await call(server, 'POST', '/api/templates/other', { name: 'x.star', data: 'def main(ctx): pass' });
    const all = await call<Template[]>(server, 'GET', '/api/templates');
    expect(all.json.map((t) => `${t.namespace}/${t.name}`)).toEqual(['acme/base.yaml', 'other/x.star']);
    expect((await call<Template[]>(server, 'GET', '/api/templates/acme')).json.map((t) => t.name)).toEqual(['base.yaml']);

    // A move into another namespace, and a move onto a name that is taken there.
    const moved = await call<Template>(server, 'PATCH', '/api/templates/other/x.star', { namespace: 'moved' });
    expect(moved.json).toMatchObject({ namespace: 'moved', name: 'x.star' });
    await call(server, 'POST', '/api/templates/acme', { name: 'x.star', data: 'def main(ctx): pass' });
    expect((await call(server, 'PATCH', '/api/templates/acme/x.star', { namespace: 'moved' })).status).toBe(409);

    expect((await call(server, 'DELETE', '/api/templates/moved/x.star')).status).toBe(204);
    expect(await call(server, 'GET', '/api/templates/moved/x.star')).toMatchObject({ status: 404, json: { message: 'Not Found' } });
    expect((await call(server, 'DELETE', '/api/templates/moved/x.star')).status).toBe(404);
    expect((await call(server, 'PUT', '/api/templates/moved/x.star', { data: 'x' })).status).toBe(404);
  });

  it('answers bad input with 400 and Drone’s messages', async () => {
    const messages: Array<[RegExp, ApiRequest[]]> = [
      [/extension invalid/, [
        ['POST', '/api/templates/acme', { name: 'base.txt', data: 'x' }],
        ['POST', '/api/templates/acme', { name: 'dir/inside.yml', data: 'x' }],
      ]],
      [/No Template Data Provided/, [['POST', '/api/templates/acme', { name: 'empty.yml', data: '' }]]],
      [/name/, [
        ['POST', '/api/templates/acme', { data: 'x' }],
        ['POST', '/api/templates/acme', { name: `${'x'.repeat(300)}.yml`, data: 'x' }],
      ]],
      [/body/, [['POST', '/api/templates/acme']]],
      [/namespace/, [
        ['POST', `/api/templates/${'n'.repeat(51)}`, { name: 'a.yml', data: 'x' }],
        ['PATCH', '/api/templates/acme/base.yaml', { namespace: 'n'.repeat(51) }],
      ]],
      [/data/, [['PUT', '/api/templates/acme/base.yaml', { data: 42 }]]],
    ];
    for (const [message, requests] of messages) await expectAnswers(server, requests, 400, { message });
  });

  it('lets guests nowhere, non-admins only into their own namespace, and admins everywhere', async () => {
    expect((await call(server, 'GET', '/api/templates', undefined, null)).status).toBe(401);
    expect(await call(server, 'GET', '/api/templates', undefined, alice)).toMatchObject({ status: 403, json: { message: 'Forbidden' } });
    await call(server, 'POST', '/api/templates/alice', { name: 'own.yml', data: 'x' }, alice);
    await expectAnswers(server, [
      ['GET', '/api/templates/acme'],
      ['GET', '/api/templates/acme/base.yaml'],
      ['POST', '/api/templates/acme', { name: 'mine.yml', data: 'x' }],
      ['PUT', '/api/templates/acme/base.yaml', { data: 'x' }],
      ['DELETE', '/api/templates/acme/base.yaml'],
      // Moving her own template into a namespace she does not administer.
      ['PATCH', '/api/templates/alice/own.yml', { namespace: 'acme' }],
    ], 403, { token: alice, message: 'Forbidden' });
    expect((await call<Template[]>(server, 'GET', '/api/templates/alice', undefined, alice)).json.map((t) => t.name)).toEqual(['own.yml']);
    expect((await call(server, 'DELETE', '/api/templates/alice/own.yml', undefined, alice)).status).toBe(204);
  });

  it('builds a `kind: template` configuration from the template stored in the repository’s namespace', async () => {
    await call(server, 'POST', '/api/templates/octocat', { name: 'greeting.jsonnet', data: JSONNET_TEMPLATE });
    await enableRepoWith(server, 'octocat/templated', { '.drone.yml': TEMPLATE_CONFIG });
    const build = await runBuild(server, 'octocat/templated');
    expect(build.status).toBe('success');
    expect(build.stages?.[0]).toMatchObject({ name: 'from-template' });
    expect(await stepLog(server, 'octocat/templated', build.number, 1, 1)).toContain('hello templated-world');

    // The same configuration in another namespace finds no template there: an error build.
    await enableRepoWith(server, 'elsewhere/templated', { '.drone.yml': TEMPLATE_CONFIG });
    const missing = await runBuild(server, 'elsewhere/templated');
    expect(missing.status).toBe('error');
    expect(missing.error).toMatch(/template name given not found: greeting\.jsonnet/);
  });
});
