// `hangar exec`, as a user runs it in a directory holding a `.drone.yml`: the directory is the workspace,
// steps run in order, secrets are masked, and the exit code follows the result.

import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shmTempDir } from '../support/shm.js';

const HANGAR = fileURLToPath(new URL('../../bin/hangar.js', import.meta.url));

const PIPELINE = `kind: pipeline
type: exec
name: local
steps:
- name: build
  environment:
    TOKEN:
      from_secret: token
  commands:
  - echo "token is $TOKEN"
  - echo built > artifact.txt
- name: test
  commands:
  - grep -q built artifact.txt
  - echo "tests passed"
  - exit \${EXIT_CODE}
`;

/** Runs `hangar exec` in `cwd`; `exitCode` reaches the pipeline's `${EXIT_CODE}` through --env-file. */
async function hangarExec(cwd: string, args: string[], exitCode: number): Promise<{ code: number; stdout: string }> {
  await writeFile(join(cwd, 'vars.env'), `EXIT_CODE=${exitCode}\n`);
  return new Promise((resolve) => {
    execFile(process.execPath, [HANGAR, 'exec', '--env-file', 'vars.env', ...args], { cwd }, (error, stdout) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout });
    });
  });
}

describe('hangar exec', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await shmTempDir('hangar-exec-test-');
    await writeFile(join(dir, '.drone.yml'), PIPELINE);
    await writeFile(join(dir, 'secrets.env'), 'token=s3cret-value\n');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('runs a two-step pipeline in the current directory and exits 0 when it succeeds', async () => {
    const { code, stdout } = await hangarExec(dir, ['--secret-file', 'secrets.env'], 0);
    expect(stdout).toContain('[build:1] token is ******');
    expect(stdout).not.toContain('s3cret-value');
    expect(stdout).toContain('tests passed');
    expect(stdout).toContain('pipeline local: success');
    expect(code).toBe(0);
  });

  it('exits 1 when a step fails', async () => {
    const result = await hangarExec(dir, ['--secret-file', 'secrets.env'], 4);
    expect(result.stdout).toMatch(/✗ test failure \(exit 4\)/);
    expect(result.code).toBe(1);
  });

  it('runs only the included steps', async () => {
    const result = await hangarExec(dir, ['--secret-file', 'secrets.env', '--include', 'build'], 9);
    expect(result.stdout).not.toContain('tests passed');
    expect(result.code).toBe(0);
  });
});
