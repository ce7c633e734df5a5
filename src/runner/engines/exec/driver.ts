// `type: exec` pipelines: the stage's stored configuration (base64 in the details, as Drone sends it)
// compiled into an exec plan under a fresh directory of DRONE_RUNNER_ROOT, run by the exec engine.

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { RunnerConfig } from '../../../config/runner.js';
import type { StageDetails } from '../../../core/types.js';
import { compileExecStage } from '../../../pipeline/index.js';
import type { ExecSpec, ExecStep } from '../../../pipeline/spec.js';
import type { CompiledStage, CompileOutcome, PipelineDriver } from '../../engine.js';
import { ExecEngine } from './engine.js';

export type ExecDriverConfig = Pick<RunnerConfig, 'root' | 'environ' | 'symlinks'>;

export class ExecDriver implements PipelineDriver {
  readonly type = 'exec';

  constructor(
    private readonly config: ExecDriverConfig,
    private readonly engine = new ExecEngine(),
  ) {}

  async compile(details: StageDetails): Promise<CompileOutcome> {
    let root: string;
    try {
      await mkdir(this.config.root, { recursive: true });
      root = await mkdtemp(path.join(this.config.root, 'drone-'));
    } catch (err) {
      return { ok: false, error: `cannot create the stage directory: ${(err as Error).message}` };
    }
    const compiled = compileExecStage({
      config: Buffer.from(details.config.Data, 'base64').toString('utf8'),
      details,
      root,
      environ: this.config.environ,
      hostEnv: hostEnvironment(),
      symlinks: this.config.symlinks,
    });
    if (!compiled.ok) {
      await rm(root, { recursive: true, force: true }).catch(() => undefined);
      return compiled;
    }
    return { ok: true, stage: execStage(compiled.spec, this.engine) };
  }
}

/** An exec plan bound to its engine. */
export function execStage(spec: ExecSpec, engine: ExecEngine, options: { keepRoot?: boolean } = {}): CompiledStage<ExecStep> {
  return {
    steps: spec.steps,
    setup: () => engine.setup(spec),
    run: (step, output, signal) => engine.run(step, output, signal),
    destroy: async () => {
      if (!options.keepRoot) await engine.destroy(spec).catch(() => undefined);
    },
  };
}

export function hostEnvironment(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
