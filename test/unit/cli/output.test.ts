// What `hangar` prints for the server's answers (the recorded Drone JSON): tables for lists, drone's templates
// for single items, `--format` Go templates with drone-go's field names, and `--json`.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, hangar } from './support/run-hangar.js';
import { recorded, type StubApi, startStubApi } from './support/stub-api.js';

let stub: StubApi;
let dir: string;

beforeAll(async () => {
  stub = await startStubApi();
  dir = mkdtempSync(join(tmpdir(), 'hangar-cli-output-'));
});
afterAll(() => stub.close());

async function run(...args: string[]): Promise<CliResult> {
  const result = await hangar(args, { DRONE_SERVER: stub.url, DRONE_TOKEN: 'output-token' }, dir);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result;
}

describe('lists', () => {
  it('build ls prints a table with a header row and one row per build', async () => {
    const { stdout } = await run('build', 'ls', 'octocat/hello-world');
    expect(stdout.split('\n')).toEqual([
      'NUMBER  STATUS   EVENT  BRANCH  COMMIT    AUTHOR   MESSAGE',
      '1       success  push   master  6783f72b  octocat  format yaml',
      '',
    ]);
  });

  it('build ls --format renders drone-go field names, with \\t and \\n written as the shell passes them', async () => {
    const { stdout } = await run('build', 'ls', 'octocat/hello-world', '--format', '{{ .Number }}\\t{{ .Status }}\\t{{ .AuthorEmail }}\\n{{ .After }}');
    expect(stdout).toBe('1\tsuccess\toctocat@github.com\n6783f72b40ea0af776d2ec40ef7e01c58b4794c3\n');
  });

  it('build ls filters by --status/--branch/--event on the client, as drone does', async () => {
    expect((await run('build', 'ls', 'octocat/hello-world', '--status', 'failure')).stdout).toBe('');
    expect((await run('build', 'ls', 'octocat/hello-world', '--branch', 'master', '--event', 'push', '--format', '{{ .Number }}')).stdout).toBe('1\n');
  });

  it('--json prints the server\'s JSON', async () => {
    const { stdout } = await run('build', 'ls', 'octocat/hello-world', '--json');
    expect(JSON.parse(stdout)).toEqual(recorded('builds'));
  });

  it('build queue reads nested fields (.Build.Number) of the incomplete repositories', async () => {
    const { stdout } = await run('build', 'queue', '--format', '{{ .Slug }}#{{ .Build.Number }} {{ .Build.Status }}');
    expect(stdout).toBe('octocat/hello-world#1 success\n');
  });

  it('repo ls: a table, --org filters, --format reads .HTTPURL and .Config', async () => {
    expect((await run('repo', 'ls')).stdout).toContain('octocat/hello-world  true');
    expect((await run('repo', 'ls', '--org', 'someone-else')).stdout).toBe('');
    expect((await run('repo', 'ls', '--format', '{{ .Slug }} {{ .HTTPURL }} {{ .Config }}')).stdout).toBe('octocat/hello-world https://github.com/octocat/hello-world.git .drone.yml\n');
  });

  it('secret ls shows names and pull request flags (false where the server leaves them out), never a value', async () => {
    const { stdout } = await run('secret', 'ls', 'octocat/hello-world');
    expect(stdout.split('\n')[0]).toBe('NAME             PULL REQUEST READ  PULL REQUEST WRITE');
    expect(stdout).toContain('docker_password  false              false');
    expect((await run('orgsecret', 'info', 'octocat', 'npm_token')).stdout).toBe('npm_token\nOrganization:       octocat\nPull Request Read:  true\nPull Request Write: false\n');
  });

  it('cron ls shows the next run as a date; user ls and queue ls are tables too', async () => {
    expect((await run('cron', 'ls', 'octocat/hello-world')).stdout).toContain('every-10-minutes  0 */5 * * * *  master  2018-09-20 17:15:00 +0000 UTC  false');
    expect((await run('user', 'ls', '--format', '{{ .Login }} admin={{ .Admin }}')).stdout).toBe('bradrydzewski admin=true\n');
    const queue = (await run('queue', 'ls')).stdout.split('\n');
    expect(queue[0]).toMatch(/^ID\s+STATUS\s+MACHINE\s+OS\s+ARCH/);
    expect(queue[1]).toMatch(/^1\s+success\s+2e0d5b2c7ff4\s+linux\s+amd64/);
  });
});

describe('single items', () => {
  it('build info prints drone\'s template', async () => {
    const { stdout } = await run('build', 'info', 'octocat/hello-world', '1');
    expect(stdout).toBe(
      [
        'Number: 1',
        'Status: success',
        'Event: push',
        'Commit: 6783f72b40ea0af776d2ec40ef7e01c58b4794c3',
        'Branch: master',
        'Ref: refs/heads/master',
        'Author: octocat <octocat@github.com>',
        'Message: format yaml',
        '',
      ].join('\n'),
    );
  });

  it('--format on one item ends its line; {{ if }} and pipes to functions work', async () => {
    const { stdout } = await run('build', 'last', 'octocat/hello-world', '--format', '{{ .Number }} {{ if eq .Status "success" }}green{{ else }}red{{ end }} {{ .Started | time }}');
    expect(stdout).toBe('1 green 2018-09-17 22:05:15 +0000 UTC\n');
  });

  it('cron info, user info, repo info and info print drone\'s templates', async () => {
    expect((await run('cron', 'info', 'octocat/hello-world', 'every-10-minutes')).stdout).toBe('every-10-minutes\nExpr: 0 */5 * * * *\nNext: 2018-09-20 17:15:00 +0000 UTC\n');
    expect((await run('user', 'info', 'octocat')).stdout).toBe('User: octocat\nEmail: octocat@github.com\nAdmin: true\nActive: true\nMachine: false\n');
    expect((await run('repo', 'info', 'octocat/hello-world')).stdout).toContain('Owner: octocat\nRepo: hello-world\nConfig: .drone.yml\nVisibility: private\n');
    expect((await run('info')).stdout).toBe('User: octocat\nEmail: octocat@github.com\n');
  });

  it('log view prints each line as the server sent it; --json the lines', async () => {
    const lines = recorded('logs') as { out: string }[];
    expect((await run('log', 'view', 'octocat/hello-world', '1', '1', '1')).stdout).toBe(lines.map((l) => l.out).join(''));
    expect(JSON.parse((await run('log', 'view', 'octocat/hello-world', '1', '1', '1', '--json')).stdout)).toEqual(lines);
  });

  it('user add prints the token the server generated for a machine account', async () => {
    const { stdout } = await run('user', 'add', 'robot', '--machine');
    expect(stdout).toBe('Successfully added user octocat\nGenerated account token generated-token\n');
  });

  it('encrypt prints the encrypted value; sign prints the signature', async () => {
    expect((await run('encrypt', 'octocat/hello-world', 'hunter2')).stdout).toBe('encrypted-secret\n');
    writeFileSync(join(dir, '.drone.yml'), 'kind: pipeline\nname: default\n');
    expect((await run('sign', 'octocat/hello-world')).stdout).toBe('the-hmac\n');
  });

  it('sign --save replaces the signature document of the file and keeps the others', async () => {
    const file = join(dir, 'signed.yml');
    writeFileSync(file, '---\nkind: pipeline\nname: a\n---\nkind: signature\nhmac: old\n---\nkind: pipeline\nname: b\n...\n');
    await run('sign', 'octocat/hello-world', 'signed.yml', '--save');
    expect(readFileSync(file, 'utf8')).toBe('---\nkind: pipeline\nname: a\n---\nkind: pipeline\nname: b\n---\nkind: signature\nhmac: the-hmac\n\n...\n');
  });
});
