// Every drone CLI client command of research/drone-clients.md §2.4, run as `hangar …` against a stub API:
// the requests it sends (method, path, query, JSON body, Bearer token) are the ones drone-go sends (§2.2).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hangar } from './support/run-hangar.js';
import { type RecordedRequest, type StubApi, startStubApi } from './support/stub-api.js';

const REPO = '/api/repos/octocat/hello-world';
const NULL_REPO_FLAGS = { ignore_forks: null, ignore_pull_requests: null, auto_cancel_pull_requests: null, auto_cancel_pushes: null, auto_cancel_running: null };

type Expected = { method: string; path: string; query?: Record<string, string>; body?: unknown };

let stub: StubApi;
let dir: string;
let caseNumber = 0;

beforeAll(async () => {
  stub = await startStubApi();
  dir = mkdtempSync(join(tmpdir(), 'hangar-cli-'));
  writeFileSync(join(dir, 'value.txt'), 'from a file');
  writeFileSync(join(dir, '.drone.yml'), 'kind: pipeline\nname: default\n');
});
afterAll(() => stub.close());

/** Runs a command with a token of its own, so concurrent cases can tell their requests apart. */
async function requestsOf(args: string[]): Promise<{ code: number; stderr: string; requests: RecordedRequest[] }> {
  const token = `token-${(caseNumber += 1)}`;
  const result = await hangar(args, { DRONE_SERVER: stub.url, DRONE_TOKEN: token }, dir);
  return { ...result, requests: stub.requests.filter((r) => r.headers.authorization === `Bearer ${token}`) };
}

function expectRequests(actual: RecordedRequest[], expected: Expected[]): void {
  expect(actual.map(({ method, path, query, body }) => ({ method, path, query, body }))).toEqual(
    expected.map(({ method, path, query = {}, body }) => ({ method, path, query, body })),
  );
}

const CASES: [string, string[], Expected[]][] = [
  ['build ls', ['build', 'ls', 'octocat/hello-world'], [{ method: 'GET', path: `${REPO}/builds`, query: { page: '1', per_page: '25' } }]],
  ['build ls --page --limit', ['build', 'ls', 'octocat/hello-world', '--page', '2', '--limit', '5'], [{ method: 'GET', path: `${REPO}/builds`, query: { page: '2', per_page: '5' } }]],
  ['build last', ['build', 'last', 'octocat/hello-world'], [{ method: 'GET', path: `${REPO}/builds/latest` }]],
  ['build last --branch', ['build', 'last', 'octocat/hello-world', '--branch', 'main'], [{ method: 'GET', path: `${REPO}/builds/latest`, query: { branch: 'main' } }]],
  ['build info', ['build', 'info', 'octocat/hello-world', '7'], [{ method: 'GET', path: `${REPO}/builds/7` }]],
  ['build info (latest)', ['build', 'info', 'octocat/hello-world'], [{ method: 'GET', path: `${REPO}/builds/latest` }, { method: 'GET', path: `${REPO}/builds/1` }]],
  [
    'build create',
    ['build', 'create', 'octocat/hello-world', '--branch', 'main', '--commit', 'abc123', '-p', 'DEPLOY=yes', '--param', 'EXPR=a=b'],
    [{ method: 'POST', path: `${REPO}/builds`, query: { branch: 'main', commit: 'abc123', DEPLOY: 'yes', EXPR: 'a=b' } }],
  ],
  ['build restart', ['build', 'restart', 'octocat/hello-world', '3', '-p', 'K=v'], [{ method: 'POST', path: `${REPO}/builds/3`, query: { K: 'v' } }]],
  ['build restart last', ['build', 'restart', 'octocat/hello-world', 'last'], [{ method: 'GET', path: `${REPO}/builds/latest` }, { method: 'POST', path: `${REPO}/builds/1` }]],
  ['build stop', ['build', 'stop', 'octocat/hello-world', '3'], [{ method: 'DELETE', path: `${REPO}/builds/3` }]],
  ['build cancel (alias)', ['build', 'cancel', 'octocat/hello-world', '3'], [{ method: 'DELETE', path: `${REPO}/builds/3` }]],
  ['build approve', ['build', 'approve', 'octocat/hello-world', '3', '2'], [{ method: 'POST', path: `${REPO}/builds/3/approve/2` }]],
  ['build decline', ['build', 'decline', 'octocat/hello-world', '3', '1'], [{ method: 'POST', path: `${REPO}/builds/3/decline/1` }]],
  [
    'build promote',
    ['build', 'promote', 'octocat/hello-world', '3', 'production', '-p', 'VERSION=1.2'],
    [{ method: 'POST', path: `${REPO}/builds/3/promote`, query: { target: 'production', VERSION: '1.2' } }],
  ],
  ['build rollback', ['build', 'rollback', 'octocat/hello-world', '3', 'staging'], [{ method: 'POST', path: `${REPO}/builds/3/rollback`, query: { target: 'staging' } }]],
  ['build queue', ['build', 'queue'], [{ method: 'GET', path: '/api/builds/incomplete' }]],
  ['build queue-v2', ['build', 'queue-v2'], [{ method: 'GET', path: '/api/builds/incomplete/v2' }]],
  ['log view', ['log', 'view', 'octocat/hello-world', '3', '1', '2'], [{ method: 'GET', path: `${REPO}/builds/3/logs/1/2` }]],
  ['log purge', ['log', 'purge', 'octocat/hello-world', '3', '1', '2'], [{ method: 'DELETE', path: `${REPO}/builds/3/logs/1/2` }]],
  ['repo ls', ['repo', 'ls'], [{ method: 'GET', path: '/api/user/repos' }]],
  ['repo sync', ['repo', 'sync'], [{ method: 'POST', path: '/api/user/repos' }]],
  ['repo info', ['repo', 'info', 'octocat/hello-world'], [{ method: 'GET', path: REPO }]],
  ['repo enable', ['repo', 'enable', 'octocat/hello-world'], [{ method: 'POST', path: REPO }]],
  ['repo disable', ['repo', 'disable', 'octocat/hello-world'], [{ method: 'DELETE', path: REPO }]],
  ['repo repair', ['repo', 'repair', 'octocat/hello-world'], [{ method: 'POST', path: `${REPO}/repair` }]],
  ['repo chown', ['repo', 'chown', 'octocat/hello-world'], [{ method: 'POST', path: `${REPO}/chown` }]],
  [
    'repo add (Hangar; private unless asked)',
    ['repo', 'add', 'octocat/hello-world', 'file:///srv/git/hello.git'],
    [{ method: 'POST', path: REPO, body: { git_http_url: 'file:///srv/git/hello.git', default_branch: 'main', config_path: '.drone.yml', private: false } }],
  ],
  [
    'repo add --visibility public (Hangar)',
    ['repo', 'add', 'octocat/hello-world', 'file:///srv/git/hello.git', '--visibility', 'public'],
    [{ method: 'POST', path: REPO, body: { git_http_url: 'file:///srv/git/hello.git', default_branch: 'main', config_path: '.drone.yml', private: false, visibility: 'public' } }],
  ],
  ['repo update (nothing given: the five nulls)', ['repo', 'update', 'octocat/hello-world'], [{ method: 'PATCH', path: REPO, body: NULL_REPO_FLAGS }]],
  [
    'repo update',
    ['repo', 'update', 'octocat/hello-world', '--trusted', '--protected', 'false', '--timeout', '1h30m', '--visibility', 'internal', '--throttle', '2', '--config', '.ci.yml'],
    [{ method: 'PATCH', path: REPO, body: { config_path: '.ci.yml', protected: false, trusted: true, throttle: 2, timeout: 90, visibility: 'internal', ...NULL_REPO_FLAGS } }],
  ],
  [
    'repo update auto-cancel and counter',
    ['repo', 'update', 'octocat/hello-world', '--auto-cancel-pushes', '--ignore-forks', 'false', '--build-counter', '41', '--unsafe', '--timeout', '45'],
    [{ method: 'PATCH', path: REPO, body: { timeout: 45, ...NULL_REPO_FLAGS, ignore_forks: false, auto_cancel_pushes: true, counter: 41 } }],
  ],
  [
    'secret add',
    ['secret', 'add', 'octocat/hello-world', '--name', 'docker_password', '--data', 'hunter2', '--allow-pull-request'],
    [{ method: 'POST', path: `${REPO}/secrets`, body: { name: 'docker_password', data: 'hunter2', pull_request: true } }],
  ],
  ['secret add (positional)', ['secret', 'add', 'octocat/hello-world', 'token', 's3cret'], [{ method: 'POST', path: `${REPO}/secrets`, body: { name: 'token', data: 's3cret' } }]],
  [
    'secret update (@file, --repository)',
    ['secret', 'update', '--repository', 'octocat/hello-world', '--name', 'token', '--data', '@value.txt', '--allow-push-on-pull-request'],
    [{ method: 'PATCH', path: `${REPO}/secrets/token`, body: { name: 'token', data: 'from a file', pull_request_push: true } }],
  ],
  ['secret info', ['secret', 'info', 'octocat/hello-world', '--name', 'token'], [{ method: 'GET', path: `${REPO}/secrets/token` }]],
  ['secret ls', ['secret', 'ls', 'octocat/hello-world'], [{ method: 'GET', path: `${REPO}/secrets` }]],
  ['secret rm', ['secret', 'rm', 'octocat/hello-world', '--name', 'token'], [{ method: 'DELETE', path: `${REPO}/secrets/token` }]],
  [
    'orgsecret add',
    ['orgsecret', 'add', 'octocat', 'npm_token', 'abc', '--allow-pull-request'],
    [{ method: 'POST', path: '/api/secrets/octocat', body: { name: 'npm_token', data: 'abc', pull_request: true } }],
  ],
  ['orgsecret update', ['orgsecret', 'update', 'octocat', 'npm_token', '@value.txt'], [{ method: 'PATCH', path: '/api/secrets/octocat/npm_token', body: { name: 'npm_token', data: 'from a file' } }]],
  ['orgsecret info', ['orgsecret', 'info', 'octocat', 'npm_token'], [{ method: 'GET', path: '/api/secrets/octocat/npm_token' }]],
  ['orgsecret ls', ['orgsecret', 'ls'], [{ method: 'GET', path: '/api/secrets' }]],
  ['orgsecret ls --filter', ['orgsecret', 'ls', '--filter', 'octocat'], [{ method: 'GET', path: '/api/secrets/octocat' }]],
  ['orgsecret rm', ['orgsecret', 'rm', 'octocat', 'npm_token'], [{ method: 'DELETE', path: '/api/secrets/octocat/npm_token' }]],
  [
    'cron add',
    ['cron', 'add', 'octocat/hello-world', 'nightly', '0 0 2 * * *', '--branch', 'main'],
    [
      {
        method: 'POST',
        path: `${REPO}/cron`,
        body: { id: 0, repo_id: 0, name: 'nightly', expr: '0 0 2 * * *', next: 0, prev: 0, event: '', branch: 'main', target: '', disabled: false, created: 0, updated: 0 },
      },
    ],
  ],
  [
    "cron add (the repository's default branch)",
    ['cron', 'add', 'octocat/hello-world', 'hourly', '@hourly'],
    [
      { method: 'GET', path: REPO },
      {
        method: 'POST',
        path: `${REPO}/cron`,
        body: { id: 0, repo_id: 0, name: 'hourly', expr: '@hourly', next: 0, prev: 0, event: '', branch: 'master', target: '', disabled: false, created: 0, updated: 0 },
      },
    ],
  ],
  ['cron ls', ['cron', 'ls', 'octocat/hello-world'], [{ method: 'GET', path: `${REPO}/cron` }]],
  ['cron info', ['cron', 'info', 'octocat/hello-world', 'nightly'], [{ method: 'GET', path: `${REPO}/cron/nightly` }]],
  ['cron rm', ['cron', 'rm', 'octocat/hello-world', 'nightly'], [{ method: 'DELETE', path: `${REPO}/cron/nightly` }]],
  ['cron exec', ['cron', 'exec', 'octocat/hello-world', 'nightly'], [{ method: 'POST', path: `${REPO}/cron/nightly` }]],
  ['cron disable', ['cron', 'disable', 'octocat/hello-world', 'nightly'], [{ method: 'PATCH', path: `${REPO}/cron/nightly`, body: { event: null, branch: null, target: null, disabled: true } }]],
  ['cron enable', ['cron', 'enable', 'octocat/hello-world', 'nightly'], [{ method: 'PATCH', path: `${REPO}/cron/nightly`, body: { event: null, branch: null, target: null, disabled: false } }]],
  ['user ls', ['user', 'ls'], [{ method: 'GET', path: '/api/users' }]],
  ['user info', ['user', 'info', 'octocat'], [{ method: 'GET', path: '/api/users/octocat' }]],
  [
    'user add',
    ['user', 'add', 'robot', '--machine', '--token', 'robot-token'],
    [
      {
        method: 'POST',
        path: '/api/users',
        body: { id: 0, login: 'robot', email: '', avatar_url: '', active: false, admin: false, machine: true, syncing: false, synced: 0, created: 0, updated: 0, last_login: 0, token: 'robot-token' },
      },
    ],
  ],
  ['user rm', ['user', 'rm', 'octocat'], [{ method: 'DELETE', path: '/api/users/octocat' }]],
  ['user update', ['user', 'update', 'octocat', '--admin', '--active', 'false'], [{ method: 'PATCH', path: '/api/users/octocat', body: { admin: true, active: false } }]],
  ['user block', ['user', 'block', 'octocat'], [{ method: 'PATCH', path: '/api/users/octocat', body: { active: false } }]],
  [
    'template add',
    ['template', 'add', '--namespace', 'octocat', '--name', 'go.yml', '--data', '@value.txt'],
    [{ method: 'POST', path: '/api/templates/octocat', body: { name: 'go.yml', data: 'from a file' } }],
  ],
  ['template update', ['template', 'update', 'octocat', 'go.yml', 'kind: pipeline'], [{ method: 'PATCH', path: '/api/templates/octocat/go.yml', body: { name: 'go.yml', data: 'kind: pipeline' } }]],
  ['template info', ['template', 'info', '--namespace', 'octocat', '--name', 'go.yml'], [{ method: 'GET', path: '/api/templates/octocat/go.yml' }]],
  ['template ls', ['template', 'ls'], [{ method: 'GET', path: '/api/templates' }]],
  ['template ls <namespace>', ['template', 'ls', 'octocat'], [{ method: 'GET', path: '/api/templates/octocat' }]],
  ['template rm', ['template', 'rm', '--namespace', 'octocat', '--name', 'go.yml'], [{ method: 'DELETE', path: '/api/templates/octocat/go.yml' }]],
  ['queue ls', ['queue', 'ls'], [{ method: 'GET', path: '/api/queue' }]],
  ['queue pause', ['queue', 'pause'], [{ method: 'DELETE', path: '/api/queue' }]],
  ['queue resume', ['queue', 'resume'], [{ method: 'POST', path: '/api/queue' }]],
  ['info', ['info'], [{ method: 'GET', path: '/api/user' }]],
  ['sign', ['sign', 'octocat/hello-world'], [{ method: 'POST', path: `${REPO}/sign`, body: { data: 'kind: pipeline\nname: default\n' } }]],
  ['encrypt', ['encrypt', 'octocat/hello-world', 'hunter2', '--allow-pull-request'], [{ method: 'POST', path: `${REPO}/encrypt/secret`, body: { data: 'hunter2', pull_request: true } }]],
  ['encrypt @file', ['encrypt', 'octocat/hello-world', '@value.txt'], [{ method: 'POST', path: `${REPO}/encrypt/secret`, body: { data: 'from a file' } }]],
];

describe('the request each command sends', () => {
  it.concurrent.each(CASES)('%s', async (_name, args, expected) => {
    const { code, stderr, requests } = await requestsOf(args);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expectRequests(requests, expected);
  });
});

describe('transport', () => {
  it('sends JSON with its Content-Type only where drone-go has an input, and none on a bodiless POST', async () => {
    const withBody = await requestsOf(['cron', 'disable', 'octocat/hello-world', 'nightly']);
    expect(withBody.requests[0].headers['content-type']).toBe('application/json');
    const bodiless = await requestsOf(['build', 'create', 'octocat/hello-world']);
    expect(bodiless.requests[0].headers['content-type']).toBeUndefined();
    expect(bodiless.requests[0].headers['content-length'] ?? '0').toBe('0');
    expect(bodiless.requests[0].search).toBe('');
  });

  it('takes the server and token from -s/-t before the command (as drone does) or after it, over DRONE_SERVER/DRONE_TOKEN', async () => {
    const before = await hangar(['-s', `${stub.url}/`, '-t', 'flag-before', 'info'], { DRONE_SERVER: 'http://127.0.0.1:1', DRONE_TOKEN: 'from-env' });
    const after = await hangar(['info', '--server', stub.url, '--token', 'flag-after'], { DRONE_TOKEN: 'from-env' });
    expect([before.code, after.code]).toEqual([0, 0]);
    const tokens = stub.requests.filter((r) => r.path === '/api/user').map((r) => r.headers.authorization);
    expect(tokens).toEqual(expect.arrayContaining(['Bearer flag-before', 'Bearer flag-after']));
  });

  it('user add --token is the new account\'s token; the caller\'s stays in Authorization', async () => {
    const { requests } = await requestsOf(['user', 'add', 'robot', '--token', 'robot-token']);
    expect(requests).toHaveLength(1);
    expect(requests[0].body).toMatchObject({ login: 'robot', token: 'robot-token' });
  });
});
