// The `hangar` command line against a real server process with its embedded runner, as a user drives it
// with DRONE_SERVER and DRONE_TOKEN: register a repository, add a secret, start a build with a parameter,
// read its log, list with --format, schedule a cron, create a machine user and use its token, pause the
// queue, sign a configuration — and the exit codes a script tests.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestRepo, createTestRepo } from '../support/git-repo.js';
import { type ServerProcess, startServerProcess } from '../support/processes.js';
import { until } from '../support/wait.js';

const HANGAR = fileURLToPath(new URL('../../bin/hangar.js', import.meta.url));
const TOKEN = 'cli-e2e-admin-token-0123456789ab';
const PIPELINE = `kind: pipeline
type: exec
name: default
steps:
- name: greet
  environment:
    GREETING:
      from_secret: greeting
  commands:
  - echo "$GREETING $WHO"
`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('hangar CLI against a running server', () => {
  let server: ServerProcess;
  let dir: string;
  let repo: TestRepo;

  function hangar(args: string[], env: Record<string, string> = {}): Promise<Run> {
    return new Promise((resolve) => {
      execFile(process.execPath, [HANGAR, ...args], { env: { PATH: process.env.PATH ?? '', DRONE_SERVER: server.url, DRONE_TOKEN: TOKEN, ...env }, cwd: dir }, (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hangar-cli-e2e-'));
    server = await startServerProcess({
      DRONE_DATABASE_DATASOURCE: join(dir, 'hangar.sqlite'),
      DRONE_RPC_SECRET: 'cli-e2e-rpc-secret',
      DRONE_USER_CREATE: `username:admin,admin:true,token:${TOKEN}`,
      DRONE_RUNNER_CAPACITY: '1',
      HANGAR_GIT_CACHE: join(dir, 'git-cache'),
    });
    repo = await createTestRepo(join(dir, 'repo'));
    await repo.push({ '.drone.yml': PIPELINE }, 'pipeline');
  });
  afterAll(async () => {
    await server?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('registers a repository, keeps a secret secret, and runs a build with a parameter', async () => {
    expect((await hangar(['repo', 'add', 'octocat/cli', repo.url, '--branch', 'main'])).code).toBe(0);
    expect((await hangar(['secret', 'add', 'octocat/cli', '--name', 'greeting', '--data', 'hello'])).code).toBe(0);
    const secrets = await hangar(['secret', 'ls', 'octocat/cli']);
    expect(secrets.stdout).toContain('greeting');
    expect(secrets.stdout).not.toContain('hello');

    const created = await hangar(['build', 'create', 'octocat/cli', '--branch', 'main', '-p', 'WHO=world', '--format', '{{ .Number }}']);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const number = created.stdout.trim();
    expect(number).toMatch(/^\d+$/);
    await until(async () => (await hangar(['build', 'info', 'octocat/cli', number, '--format', '{{ .Status }}'])).stdout.trim() === 'success', 60_000, 200);
    const log = await hangar(['log', 'view', 'octocat/cli', number, '1', '2']);
    // The secret's value is masked in the log; the parameter reached the step's environment.
    expect(log.stdout).toContain('****** world');
    const listed = await hangar(['build', 'ls', 'octocat/cli', '--format', '{{ .Number }} {{ .Status }} {{ .Event }}']);
    expect(listed.stdout.trim().split('\n')).toContain(`${number} success custom`);
  });

  it('schedules a cron and creates a machine user whose token works', async () => {
    expect((await hangar(['cron', 'add', 'octocat/cli', 'nightly', '0 0 0 * * *'])).code).toBe(0);
    expect((await hangar(['cron', 'ls', 'octocat/cli', '--format', '{{ .Name }} {{ .Branch }}'])).stdout.trim()).toBe('nightly main');
    const added = await hangar(['user', 'add', 'robot', '--machine']);
    const token = /Generated account token (\S+)/.exec(added.stdout)?.[1] ?? '';
    expect(token).not.toBe('');
    expect((await hangar(['info'], { DRONE_TOKEN: token })).stdout).toContain('robot');
    // A machine user is no administrator: 403, exit code 4.
    expect((await hangar(['queue', 'pause'], { DRONE_TOKEN: token })).code).toBe(4);
    expect((await hangar(['queue', 'pause'])).code).toBe(0);
    expect((await hangar(['queue', 'resume'])).code).toBe(0);
  });

  it('signs a configuration in place with --save', async () => {
    await writeFile(join(dir, '.drone.yml'), PIPELINE);
    expect((await hangar(['sign', 'octocat/cli', '--save'])).code).toBe(0);
    expect(await readFile(join(dir, '.drone.yml'), 'utf8')).toMatch(/kind: signature\nhmac: [0-9a-f]{64}/);
  });

  it('exits with a code a script can test, and one line on stderr', async () => {
    const missing = await hangar(['build', 'info', 'octocat/cli', '999']);
    expect(missing.code).toBe(5);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect((await hangar(['info'], { DRONE_TOKEN: 'wrong' })).code).toBe(3);
    expect((await hangar(['build', 'info'])).code).toBe(2);
    expect((await hangar(['info'], { DRONE_SERVER: 'http://127.0.0.1:1' })).code).toBe(6);
  });
});
