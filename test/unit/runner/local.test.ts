// Running a compiled plan without a server (`hangar exec`): the same steps, statuses, masking and
// process-tree kill as a stage run for a server, with lines handed to the caller.

import { access, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Line } from '../../../src/core/types.js';
import { ErrPolicy, type ExecSpec, type ExecStep, RunPolicy } from '../../../src/pipeline/spec.js';
import { runLocalSpec } from '../../../src/runner/local.js';
import { isRunning } from '../../support/process-state.js';
import { shmTempDir } from '../../support/shm.js';

let base: string;
beforeEach(async () => {
  base = await shmTempDir('hangar-local-');
});
afterEach(async () => rm(base, { recursive: true, force: true }));

function plan(steps: Array<{ name: string; script: string } & Partial<ExecStep>>): ExecSpec {
  const root = join(base, 'root');
  return {
    platform: {},
    root,
    files: [{ path: join(root, 'src'), mode: 0o700, is_dir: true }],
    steps: steps.map(({ script, ...step }) => ({
      command: '/bin/sh',
      args: ['-e', join(root, 'opt', step.name)],
      files: [{ path: join(root, 'opt', step.name), mode: 0o700, data: Buffer.from(script).toString('base64') }],
      secrets: [],
      working_dir: join(root, 'src'),
      ...step,
    })),
  };
}

describe('local plan runner', () => {
  it('runs the steps, hands over masked lines per step, and returns each status and exit code', async () => {
    const lines: Array<[string, Line]> = [];
    const spec = plan([
      { name: 'build', script: 'echo "building $DRONE_STEP_NAME"\necho "key=$API_KEY"\n', secrets: [{ name: 'api_key', env: 'API_KEY', data: 'k3y-value-123', mask: true }] },
      { name: 'lint', script: 'exit 2\n', depends_on: ['build'], err_policy: ErrPolicy.Ignore },
      { name: 'test', script: 'echo "status $DRONE_BUILD_STATUS"\nexit 1\n', depends_on: ['lint'] },
      { name: 'deploy', script: 'echo deploying\n', depends_on: ['test'] },
      { name: 'on-tag', script: 'echo never\n', depends_on: ['deploy'], run_policy: RunPolicy.Never },
    ]);
    const result = await runLocalSpec(spec, { onLine: (step, line) => lines.push([step.name, line]), flushMs: 10 });
    expect(result.status).toBe('failure');
    expect(result.steps.map((s) => [s.name, s.number, s.status, s.exitCode])).toEqual([
      ['build', 1, 'success', 0],
      ['lint', 2, 'failure', 2],
      ['test', 3, 'failure', 1],
      ['deploy', 4, 'skipped', 0],
    ]);
    expect(lines.map(([step, line]) => [step, line.pos, line.out])).toEqual([
      ['build', 0, 'building build\n'],
      ['build', 1, 'key=******\n'],
      ['test', 0, 'status success\n'],
    ]);
    // The plan's root is removed at the end, as a runner removes a stage's directory.
    await expect(access(spec.root)).rejects.toThrow();
  });

  it('cancels on abort: the process tree is stopped and the run ends killed', async () => {
    const pidFile = join(base, 'sleep.pid');
    const spec = plan([
      { name: 'serve', script: `sleep 600 &\necho $! > ${pidFile}\nwait\n` },
      { name: 'after', script: 'echo never\n', depends_on: ['serve'] },
    ]);
    const controller = new AbortController();
    const running = runLocalSpec(spec, { signal: controller.signal });
    let pid = 0;
    while (!pid) {
      pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const abortedAt = Date.now();
    controller.abort();
    const result = await running;
    expect(Date.now() - abortedAt).toBeLessThan(2000);
    expect(isRunning(pid)).toBe(false);
    expect(result.status).toBe('killed');
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['serve', 'killed'],
      ['after', 'skipped'],
    ]);
  });

  it('stops a detached step once the other steps are done', async () => {
    const pidFile = join(base, 'service.pid');
    const spec = plan([
      { name: 'service', script: `sleep 600 &\necho $! > ${pidFile}\nwait\n`, detach: true },
      { name: 'client', script: `while [ ! -s ${pidFile} ]; do sleep 0.05; done\necho talked\n` },
    ]);
    const result = await runLocalSpec(spec, { timeoutMs: 10_000 });
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    expect(isRunning(pid)).toBe(false);
    expect(result.status).toBe('success');
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['service', 'success'],
      ['client', 'success'],
    ]);
  });

  it('ends in error with the message when a step cannot be started', async () => {
    const spec = plan([{ name: 'broken', script: 'true\n', command: '/nonexistent/sh' }]);
    const result = await runLocalSpec(spec);
    expect(result.status).toBe('error');
    expect(result.steps[0]).toMatchObject({ status: 'error', exitCode: 255 });
    expect(result.steps[0].error).toMatch(/\/nonexistent\/sh/);
  });
});
