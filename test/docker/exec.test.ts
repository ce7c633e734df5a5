// `hangar exec` on a `type: docker` pipeline, like `drone exec`: the current directory is the workspace
// (mounted into every container), DOCKER_HOST names the engine, the exit code is 0 when the stage succeeds
// and 1 when a step fails, and nothing is left on the engine.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { dockerClient } from '../../src/runner/engines/docker/client.js';
import { leftovers, NOTHING_LEFT } from '../support/podman.js';
import { FAILING_PIPELINE, SECRET_PIPELINE, SERVICE_PIPELINE } from './pipelines.js';

const HANGAR = fileURLToPath(new URL('../../bin/hangar.js', import.meta.url));
let docker: Docker;
let dir: string;

beforeAll(() => {
  docker = dockerClient({ DOCKER_HOST: inject('dockerHost') });
});
beforeEach(async () => {
  dir = await mkdtemp('/dev/shm/hangar-docker-exec-');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function hangarExec(pipeline: string, args: string[] = []): Promise<{ code: number; output: string }> {
  return writeFile(join(dir, '.drone.yml'), pipeline).then(
    () =>
      new Promise((resolve) => {
        const env = { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: inject('dockerHost'), HANGAR_DOCKER_NETWORK: 'shared', HANGAR_DOCKER_SANDBOX_IMAGE: 'busybox:1.36' };
        execFile(process.execPath, [HANGAR, 'exec', ...args], { cwd: dir, env, timeout: 90_000 }, (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
          resolve({ code, output: stdout + stderr });
        });
      }),
  );
}

describe('hangar exec with a docker pipeline', () => {
  it('runs it in the current directory and exits 0', async () => {
    const { code, output } = await hangarExec(SERVICE_PIPELINE);
    expect(output).toContain('[read:');
    expect(output).toContain('hello from the service');
    expect(output).toMatch(/✗ flaky failure \(exit 3\)/);
    expect(output).toContain('pipeline default: success');
    expect(code).toBe(0);
    expect(await readFile(join(dir, 'note.txt'), 'utf8')).toBe('shared through the workspace\n');
    expect(await leftovers(docker, `io.drone.desktop.pipeline.dir=${dir}`)).toEqual(NOTHING_LEFT);
  });

  it('gives steps the secrets of --secret-file, masked in the output', async () => {
    await writeFile(join(dir, 'secrets.env'), 'password=correct-horse-battery\n');
    const { code, output } = await hangarExec(SECRET_PIPELINE, ['--secret-file', 'secrets.env']);
    expect(output).toContain('the password is ******');
    expect(output).not.toContain('correct-horse-battery');
    expect(code).toBe(0);
  });

  it('exits 1 when a step fails', async () => {
    const { code, output } = await hangarExec(FAILING_PIPELINE);
    expect(output).toContain('[broken:0] + echo "about to fail"');
    expect(output).toContain('pipeline default: failure');
    expect(code).toBe(1);
    expect(await leftovers(docker, `io.drone.desktop.pipeline.dir=${dir}`)).toEqual(NOTHING_LEFT);
  });
});
