// `type: docker` pipelines: the stage's stored configuration compiled by drone-runner-docker's rules
// (pipeline/docker-stage.ts) with the runner's settings, run by the docker engine. Every container, volume
// and network carries the runner's name as a label, so a restarted runner sweeps what a crash left.

import type { Logger } from 'pino';
import type { StageDetails } from '../../../core/types.js';
import type { DockerRunnerOptions } from '../../../pipeline/compile/docker.js';
import type { DockerSpec, DockerStep } from '../../../pipeline/docker-spec.js';
import { compileDockerStage } from '../../../pipeline/index.js';
import { sleep } from '../../client.js';
import type { CompiledStage, CompileOutcome, PipelineDriver } from '../../engine.js';
import { hostEnvironment } from '../exec/driver.js';
import { withCloneScript } from './clone.js';
import type { DockerEngine } from './engine.js';
import { RUNNER_LABEL, sweepRunnerResources } from './sweep.js';

export interface DockerDriverConfig {
  /** DRONE_RUNNER_NAME: the label the sweep looks for. */
  name: string;
  /** DRONE_RUNNER_ENVIRON. */
  environ: Record<string, string>;
  runner: DockerRunnerOptions;
}

export class DockerDriver implements PipelineDriver {
  readonly type = 'docker';

  constructor(
    private readonly engine: DockerEngine,
    private readonly config: DockerDriverConfig,
    private readonly log?: Logger,
  ) {}

  /** Waits for the engine (pinging it every second, as drone-runner-docker does), then sweeps. */
  async start(signal: AbortSignal): Promise<void> {
    for (;;) {
      try {
        await this.engine.docker.ping();
        break;
      } catch (err) {
        if (signal.aborted) return;
        this.log?.error({ err: (err as Error).message }, 'cannot ping the docker daemon');
        if (!(await sleep(1000, signal))) return;
      }
    }
    const swept = await sweepRunnerResources(this.engine, this.config.name);
    if (swept.containers + swept.volumes + swept.networks > 0) this.log?.info(swept, 'removed what a previous run of this runner left');
  }

  async compile(details: StageDetails): Promise<CompileOutcome> {
    const compiled = compileDockerStage({
      config: Buffer.from(details.config.Data, 'base64').toString('utf8'),
      details,
      environ: this.config.environ,
      hostEnv: hostEnvironment(),
      runner: { ...this.config.runner, labels: { ...this.config.runner.labels, [RUNNER_LABEL]: this.config.name } },
    });
    if (!compiled.ok) return compiled;
    return { ok: true, stage: dockerStage(withCloneScript(compiled.spec), this.engine) };
  }
}

/** A docker plan bound to its engine. */
export function dockerStage(spec: DockerSpec, engine: DockerEngine): CompiledStage<DockerStep> {
  return {
    steps: spec.steps,
    setup: (signal) => engine.setup(spec, signal),
    run: (step, output, signal) => engine.run(spec, step, output, signal),
    destroy: () => engine.destroy(spec).catch(() => undefined),
  };
}
