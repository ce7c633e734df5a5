// The docker engine in process, against podman's Docker API: a compiled `type: docker` stage run through
// the shared step graph, with the statuses and logs Drone's docker runner gives, a cancel that kills the
// container at once, and nothing left on the engine afterwards.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type Docker from 'dockerode';
import type { Line } from '../../src/core/types.js';
import { dockerClient } from '../../src/runner/engines/docker/client.js';
import { dockerStage } from '../../src/runner/engines/docker/driver.js';
import { DockerEngine } from '../../src/runner/engines/docker/engine.js';
import { RUNNER_LABEL, sweepRunnerResources } from '../../src/runner/engines/docker/sweep.js';
import { runLocalStage } from '../../src/runner/local.js';
import { compileLocalDocker, leftovers, NOTHING_LEFT } from '../support/podman.js';
import { until } from '../support/wait.js';
import { FAILING_PIPELINE, MISSING_IMAGE_PIPELINE, SERVICE_PIPELINE, SERVICE_PIPELINE_STEPS, SLEEPING_PIPELINE, VOLUME_PIPELINE } from './pipelines.js';

const RUNNER = 'engine-test';
let docker: Docker;
let engine: DockerEngine;

beforeAll(() => {
  docker = dockerClient({ DOCKER_HOST: inject('dockerHost') });
  engine = new DockerEngine(docker, { network: 'shared', sandboxImage: 'busybox:1.36' });
});
afterAll(async () => {
  await sweepRunnerResources(engine, RUNNER);
});

function compile(config: string) {
  const { spec, details } = compileLocalDocker(config, { labels: { [RUNNER_LABEL]: RUNNER } });
  return { details, stage: dockerStage(spec, engine) };
}

async function run(config: string, signal?: AbortSignal) {
  const { details, stage } = compile(config);
  const logs: Record<string, string> = {};
  const result = await runLocalStage(stage, {
    build: details.build,
    stage: details.stage,
    signal,
    flushMs: 10,
    onLine: (step, line: Line) => (logs[step.name] = (logs[step.name] ?? '') + line.out),
  });
  const steps = Object.fromEntries(result.steps.map((s) => [s.name, { status: s.status, exit_code: s.exitCode }]));
  return { result, steps, logs };
}

describe('docker engine on podman', () => {
  it('runs services, shared workspace, ignored failures, on-failure steps and exit 78 as Drone does', async () => {
    const { result, steps, logs } = await run(SERVICE_PIPELINE);
    expect({ status: result.status, steps, logs }).toMatchObject({ status: 'success', steps: SERVICE_PIPELINE_STEPS });
    expect(logs.write).toContain('+ echo "shared through the workspace" > note.txt\n');
    expect(logs.write).toContain('wrote note.txt in /drone/src\n');
    expect(logs.write).toContain('step write (2) of build 1 on main\n');
    expect(logs.read).toContain('shared through the workspace\n');
    expect(logs.read).toContain('hello from the service\n');
    expect(logs.flaky).toContain('failing, and that is fine\n');
    expect(logs['stop-early']).toContain('nothing more to do\n');
    expect(logs.after).toBeUndefined();
    expect(await leftovers(docker, `${RUNNER_LABEL}=${RUNNER}`)).toEqual(NOTHING_LEFT);
  });

  it('fails the stage on a failing step and runs the on-failure step', async () => {
    const { result, steps, logs } = await run(FAILING_PIPELINE);
    expect(result.status).toBe('failure');
    expect(steps).toEqual({ broken: { status: 'failure', exit_code: 2 }, 'on-failure': { status: 'success', exit_code: 0 } });
    expect(logs.broken).toContain('about to fail\n');
    expect(logs['on-failure']).toContain('cleaning up after the failure\n');
    expect(await leftovers(docker, `${RUNNER_LABEL}=${RUNNER}`)).toEqual(NOTHING_LEFT);
  });

  it('shares a temp volume between the steps that mount it', async () => {
    const { result, logs } = await run(VOLUME_PIPELINE);
    expect(result.status).toBe('success');
    expect(logs.use).toContain('kept in the volume\n');
    expect(await leftovers(docker, `${RUNNER_LABEL}=${RUNNER}`)).toEqual(NOTHING_LEFT);
  });

  it('gives a step whose image is missing with `pull: never` the status error, with the reason', async () => {
    const { result, steps } = await run(MISSING_IMAGE_PIPELINE);
    expect(result.status).toBe('error');
    expect(steps.missing).toEqual({ status: 'error', exit_code: 255 });
    expect(result.steps[0].error).toMatch(/not-there/);
    expect(await leftovers(docker, `${RUNNER_LABEL}=${RUNNER}`)).toEqual(NOTHING_LEFT);
  });

  it('kills a running `sleep 600` container within 2 s of a cancel', async () => {
    const cancel = new AbortController();
    const running = run(SLEEPING_PIPELINE, cancel.signal);
    await until(async () => (await docker.listContainers({ filters: JSON.stringify({ label: [`${RUNNER_LABEL}=${RUNNER}`, 'io.drone.step.name=sleep'] }) })).length > 0, 30_000);
    const cancelledAt = Date.now();
    cancel.abort();
    const { result, steps } = await running;
    expect(Date.now() - cancelledAt).toBeLessThan(2000);
    expect(result.status).toBe('killed');
    expect(steps.sleep).toEqual({ status: 'killed', exit_code: 137 });
    expect(await leftovers(docker, `${RUNNER_LABEL}=${RUNNER}`)).toEqual(NOTHING_LEFT);
  });
});
