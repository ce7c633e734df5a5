import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecSpec, ExecStep } from '../../../src/pipeline/spec.js';
import { ExecEngine } from '../../../src/runner/engines/exec/engine.js';
import { isRunning } from '../../support/process-state.js';
import { shmTempDir } from '../../support/shm.js';

let root: string;
beforeEach(async () => {
  root = await shmTempDir('hangar-engine-');
});
afterEach(async () => rm(root, { recursive: true, force: true }));

function script(name: string, text: string, env: Record<string, string> = {}): ExecStep {
  return {
    name,
    command: '/bin/sh',
    args: ['-e', join(root, 'opt', name)],
    files: [{ path: join(root, 'opt', name), mode: 0o700, data: Buffer.from(text).toString('base64') }],
    environment: env,
    secrets: [],
    working_dir: join(root, 'src'),
  };
}

async function runStep(step: ExecStep, signal = new AbortController().signal) {
  const engine = new ExecEngine({ killGraceMs: 500 });
  const spec: ExecSpec = { platform: {}, root, files: [{ path: join(root, 'src'), mode: 0o700, is_dir: true }], steps: [step] };
  await engine.setup(spec);
  let output = '';
  const result = await engine.run(step, (text) => (output += text), signal);
  return { ...result, output };
}

describe('exec engine', () => {
  it('runs a step in its working directory with its environment and secrets, and returns its exit code', async () => {
    const step = { ...script('env', 'echo "$GREETING from $(pwd)"\necho "$PASSWORD"\nexit 3\n', { GREETING: 'hello' }), secrets: [{ name: 'pw', env: 'PASSWORD', data: 'pw-value', mask: true }] };
    const result = await runStep(step);
    expect(result.exitCode).toBe(3);
    expect(result.killed).toBe(false);
    expect(result.output).toBe(`hello from ${join(root, 'src')}\npw-value\n`);
  });

  it('stops the whole process tree of a step within a second or two of a cancel', async () => {
    const pidFile = join(root, 'child.pid');
    const step = script('tree', `sleep 600 &\necho $! > ${pidFile}\nwait\n`);
    const controller = new AbortController();
    const running = runStep(step, controller.signal);
    let child = 0;
    while (!child) {
      child = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const cancelledAt = Date.now();
    controller.abort();
    const result = await running;
    expect(result).toMatchObject({ killed: true, exitCode: 137 });
    expect(Date.now() - cancelledAt).toBeLessThan(2000);
    expect(isRunning(child)).toBe(false);
  });

  it('stops what a step left running in the background once it exits', async () => {
    const pidFile = join(root, 'orphan.pid');
    const result = await runStep(script('orphan', `sleep 600 &\necho $! > ${pidFile}\necho done\n`));
    expect(result.exitCode).toBe(0);
    const orphan = Number((await readFile(pidFile, 'utf8')).trim());
    expect(isRunning(orphan)).toBe(false);
  });

  it('fails with a message when the command cannot be started', async () => {
    await expect(runStep({ ...script('missing', 'true\n'), command: '/nonexistent/shell' })).rejects.toThrow(/cannot run \/nonexistent\/shell/);
  });

  it('passes the variables sorted by name, then the secrets, and nothing from the runner', async () => {
    const step = {
      // env itself, not through a shell (a shell rebuilds the environment in its own order).
      ...script('order', '', { ZED: 'z', ALPHA: 'a', MIDDLE: 'm' }),
      command: '/usr/bin/env',
      args: [],
      secrets: [{ name: 's', env: 'B_SECRET', data: 'shh', mask: true }],
    };
    const result = await runStep(step);
    expect(result.output).toBe('ALPHA=a\nMIDDLE=m\nZED=z\nB_SECRET=shh\n');
  });

  it('returns exit code 78 as the step exited', async () => {
    expect(await runStep(script('skip-rest', 'exit 78\n'))).toMatchObject({ exitCode: 78, killed: false });
  });

  it('removes the root directory on destroy', async () => {
    const engine = new ExecEngine();
    const spec: ExecSpec = { platform: {}, root: join(root, 'stage'), files: [{ path: join(root, 'stage', 'home'), mode: 0o700, is_dir: true }], steps: [] };
    await engine.setup(spec);
    await engine.destroy(spec);
    await expect(readFile(join(root, 'stage', 'home'))).rejects.toThrow(/ENOENT/);
  });
});
