// Docker runner overhead: what the docker engine adds to a step (create + start + tail + wait + remove of
// a container, through the Docker API) against `podman run --rm` of the same image and command in the same
// run. Both on a throwaway podman service (scripts/podman-start.sh); the step joins the stage's shared
// namespace and mounts its workspace, the baseline runs with `--network none` and no mounts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerSpec } from '../../src/pipeline/docker-spec.js';
import { dockerClient } from '../../src/runner/engines/docker/client.js';
import { DockerEngine } from '../../src/runner/engines/docker/engine.js';
import { BUSYBOX, compileLocalDocker, type PodmanService, podmanCli, startPodman, stopPodman } from '../../test/support/podman.js';
import { type Figures, recordResult } from '../support/results.js';
import { size } from '../support/size.js';
import { percentiles, ratio } from '../support/stats.js';

const SAMPLES = size(30, 2);
const PIPELINE = `kind: pipeline
type: docker
name: default
clone:
  disable: true
steps:
- name: step
  image: ${BUSYBOX}
  commands:
  - echo hello
`;

let service: PodmanService;
let engine: DockerEngine;

beforeAll(async () => {
  service = await startPodman();
  engine = new DockerEngine(dockerClient({ DOCKER_HOST: service.dockerHost }), { network: 'shared', sandboxImage: BUSYBOX });
});
afterAll(async () => {
  if (service) await stopPodman(service.dir);
});

function compile(): DockerSpec {
  return compileLocalDocker(PIPELINE).spec;
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

describe('docker runner', () => {
  it('measures the per-step overhead against podman run', async () => {
    const spec = compile();
    const [step] = spec.steps;
    const hangar: number[] = [];
    const podman: number[] = [];
    const stages: number[] = [];
    await engine.setup(spec);
    try {
      for (let i = 0; i < SAMPLES; i++) {
        let output = '';
        hangar.push(
          await timed(async () => {
            const result = await engine.run(spec, step, (text) => (output += text), new AbortController().signal);
            expect(result.exitCode).toBe(0);
            await engine.removeContainer(step.id);
          }),
        );
        expect(output).toContain('hello\n');
        podman.push(await timed(async () => expect(await podmanCli(service, ['run', '--rm', '--network', 'none', BUSYBOX, 'sh', '-c', 'echo hello'])).toBe('hello\n')));
      }
    } finally {
      await engine.destroy(spec);
    }
    for (let i = 0; i < Math.max(1, Math.floor(SAMPLES / 3)); i++) {
      const stage = compile();
      stages.push(
        await timed(async () => {
          await engine.setup(stage);
          await engine.run(stage, stage.steps[0], () => undefined, new AbortController().signal);
          await engine.destroy(stage);
        }),
      );
    }
    const step_ = percentiles(hangar);
    const baseline = percentiles(podman);
    const figures: Figures = {
      step: { ...step_, what: 'create + start + tail + wait + remove through the Docker API' },
      baseline: { ...baseline, what: 'podman run --rm --network none (CLI), same image and command' },
      p50_ratio_to_podman_run: ratio(step_.p50_ms, baseline.p50_ms),
      p50_overhead_ms: Math.round((step_.p50_ms - baseline.p50_ms) * 100) / 100,
      stage_with_one_step: { ...percentiles(stages), what: 'volume + sandbox + hosts file, one step, destroy' },
    };
    recordResult('docker', 'single', figures, ['podman 4.3 with runc on cgroup v1; both paths share the same service storage.']);
  });
});
