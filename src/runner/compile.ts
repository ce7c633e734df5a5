// The one place the runner calls the pipeline compiler: the stage's stored configuration (base64 in
// the details, as Drone sends it) becomes the plan the exec engine runs, or the message the stage fails with.

import type { RunnerConfig } from '../config/runner.js';
import type { StageDetails } from '../core/types.js';
import { compileExecStage } from '../pipeline/index.js';
import type { ExecSpec } from '../pipeline/spec.js';

export type CompileResult = { ok: true; spec: ExecSpec } | { ok: false; error: string };

export function compileStage(details: StageDetails, root: string, config: Pick<RunnerConfig, 'environ' | 'symlinks'>): CompileResult {
  return compileExecStage({
    config: Buffer.from(details.config.Data, 'base64').toString('utf8'),
    details,
    root,
    environ: config.environ,
    hostEnv: hostEnvironment(),
    symlinks: config.symlinks,
  });
}

function hostEnvironment(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
