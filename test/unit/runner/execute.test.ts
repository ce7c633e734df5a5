// The step graph of a stage as runner-go runs it: run policies, depends_on order, failure: ignore,
// exit code 78, fail-fast and cancel — against a fake engine that records what ran.

import { describe, expect, it } from 'vitest';
import type { Build, Stage, Step } from '../../../src/core/types.js';
import { ErrPolicy, type ExecSpec, type ExecStep, RunPolicy } from '../../../src/pipeline/spec.js';
import { executeSpec } from '../../../src/runner/execute.js';
import { StageState } from '../../../src/runner/state.js';

type Behaviour = { exit: number; waitFor?: Promise<void> } | 'hang';

function step(name: string, extra: Partial<ExecStep> = {}): ExecStep {
  return { name, command: 'sh', args: [], secrets: [], working_dir: '/', ...extra };
}

async function run(steps: ExecStep[], behaviour: Record<string, Behaviour>, options: { cancelAfter?: string; maxProcs?: number } = {}) {
  const spec: ExecSpec = { platform: {}, root: '/', files: [], steps };
  const reported = steps.filter((s) => s.run_policy !== RunPolicy.Never);
  const build = { id: 1, status: 'running' } as Build;
  const stage = {
    id: 1,
    status: 'running',
    steps: reported.map((s, i): Step => ({ id: i + 1, step_id: 1, number: i + 1, name: s.name, status: 'pending', exit_code: 0, version: 1, errignore: s.err_policy === ErrPolicy.Ignore })),
  } as Stage;
  const state = new StageState(build, stage);
  const ran: string[] = [];
  const reports: Array<[string, string]> = [];
  const controller = new AbortController();
  const environs: Record<string, Record<string, string>> = {};
  let running = 0;
  let mostAtOnce = 0;
  await executeSpec(spec, {
    state,
    maxProcs: options.maxProcs ?? 0,
    signal: controller.signal,
    report: async (s) => void reports.push([s.name, s.status]),
    openLog: () => ({ write: () => {}, close: async () => {} }),
    stepEnviron: ({ step: s }) => ({ DRONE_STEP_NAME: s.name, DRONE_BUILD_STATUS: state.failed() ? 'failure' : 'success' }),
    engine: {
      async run(s, _output, signal) {
        ran.push(s.name);
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        // Let the other ready steps start if they are allowed to.
        await new Promise((resolve) => setTimeout(resolve, 5));
        environs[s.name] = s.environment ?? {};
        if (options.cancelAfter === s.name) queueMicrotask(() => controller.abort());
        const b = behaviour[s.name] ?? { exit: 0 };
        if (b === 'hang') {
          if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
          running -= 1;
          return { exitCode: 137, killed: true };
        }
        await b.waitFor;
        running -= 1;
        return { exitCode: b.exit, killed: false };
      },
    },
  });
  state.finishAll();
  return { ran, reports, stage, build, environs, mostAtOnce, status: (name: string) => stage.steps?.find((s) => s.name === name)?.status };
}

describe('stage execution', () => {
  it('runs serial steps in order and ends in success', async () => {
    const result = await run([step('a'), step('b', { depends_on: ['a'] }), step('c', { depends_on: ['b'] })], {});
    expect(result.ran).toEqual(['a', 'b', 'c']);
    expect(result.stage.status).toBe('success');
  });

  it('skips on-success steps after a failure and runs on-failure and always steps', async () => {
    const result = await run(
      [step('a'), step('b', { depends_on: ['a'] }), step('notify', { depends_on: ['b'], run_policy: RunPolicy.OnFailure }), step('cleanup', { depends_on: ['notify'], run_policy: RunPolicy.Always })],
      { a: { exit: 2 } },
    );
    expect(result.ran).toEqual(['a', 'notify', 'cleanup']);
    expect(result.status('b')).toBe('skipped');
    expect(result.stage.status).toBe('failure');
    expect(result.environs.notify.DRONE_BUILD_STATUS).toBe('failure');
  });

  it('does not fail the stage for a step with failure: ignore', async () => {
    const result = await run([step('flaky', { err_policy: ErrPolicy.Ignore }), step('next', { depends_on: ['flaky'] })], { flaky: { exit: 1 } });
    expect(result.ran).toEqual(['flaky', 'next']);
    expect(result.status('flaky')).toBe('failure');
    expect(result.stage.status).toBe('success');
  });

  it('treats exit code 78 as success and skips every step still pending', async () => {
    const result = await run([step('check'), step('build', { depends_on: ['check'] }), step('deploy', { depends_on: ['build'] })], { check: { exit: 78 } });
    expect(result.ran).toEqual(['check']);
    expect(result.status('check')).toBe('success');
    expect(result.status('build')).toBe('skipped');
    expect(result.stage.status).toBe('success');
  });

  it('never reports a step whose `when` does not match', async () => {
    const result = await run([step('a'), step('only-on-tags', { run_policy: RunPolicy.Never, depends_on: ['a'] }), step('b', { depends_on: ['only-on-tags'] })], {});
    expect(result.ran).toEqual(['a', 'b']);
    expect(result.reports.map(([name]) => name)).not.toContain('only-on-tags');
  });

  it('starts independent steps together and a dependent one after both', async () => {
    let releaseA = () => {};
    const a = new Promise<void>((resolve) => (releaseA = resolve));
    const running = run([step('a'), step('b'), step('c', { depends_on: ['a', 'b'] })], { a: { exit: 0, waitFor: a } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    releaseA();
    const result = await running;
    expect(result.ran.slice(0, 2).sort()).toEqual(['a', 'b']);
    expect(result.ran[2]).toBe('c');
  });

  it('on cancel kills the running step, skips the rest and ends killed', async () => {
    const result = await run([step('long'), step('after', { depends_on: ['long'] })], { long: 'hang' }, { cancelAfter: 'long' });
    expect(result.status('long')).toBe('killed');
    expect(result.status('after')).toBe('skipped');
    expect(result.stage.status).toBe('killed');
  });

  it('recomputes the step variables for each step', async () => {
    const result = await run([step('first', { environment: { DRONE_STEP_NAME: 'user value', KEEP: 'me' } })], {});
    expect(result.environs.first).toMatchObject({ DRONE_STEP_NAME: 'first', KEEP: 'me' });
  });

  it('runs at most DRONE_RUNNER_MAX_PROCS steps at once', async () => {
    const independent = [step('a'), step('b'), step('c'), step('d')];
    expect((await run(independent, {})).mostAtOnce).toBe(4);
    const limited = await run(independent, {}, { maxProcs: 2 });
    expect(limited.mostAtOnce).toBe(2);
    expect(limited.stage.status).toBe('success');
  });

  it('fails fast: a failing fail-fast step kills the steps still running', async () => {
    const result = await run([step('unit', { err_policy: ErrPolicy.FailFast }), step('slow'), step('later', { depends_on: ['slow'] })], { unit: { exit: 1 }, slow: 'hang' });
    expect(result.status('unit')).toBe('failure');
    expect(result.status('slow')).toBe('killed');
    expect(result.status('later')).toBe('skipped');
    // As runner-go's state: the first failed, errored or killed step in plan order names the stage's status.
    expect(result.stage.status).toBe('failure');
    const reversed = await run([step('slow'), step('unit', { err_policy: ErrPolicy.FailFast })], { unit: { exit: 1 }, slow: 'hang' });
    expect(reversed.stage.status).toBe('killed');
  });
});
