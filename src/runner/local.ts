// Running a compiled stage on this machine without a server (for `hangar exec`): the same engines,
// step graph, state machine, secret masking and line splitting as a stage run for a server, with the
// lines handed to `onLine` instead of the RPC log calls.

import type { Status } from '../core/status.js';
import type { Build, Line, Repo, Stage, StageDetails } from '../core/types.js';
import { stepEnviron } from '../pipeline/index.js';
import type { ExecSpec } from '../pipeline/spec.js';
import { type CompiledStage, maskedValues } from './engine.js';
import { execStage } from './engines/exec/driver.js';
import { ExecEngine } from './engines/exec/engine.js';
import { executeSpec } from './execute.js';
import { LogWriter } from './livelog.js';
import { Masker } from './mask.js';
import { reportedSteps } from './reported-steps.js';
import { StageState } from './state.js';

export interface LocalRunOptions {
  /** Each masked line of each step, as soon as it is complete. */
  onLine?: (step: { name: string; number: number }, line: Line) => void;
  /** Aborting it cancels the run: running steps are killed (their process trees), the rest skipped. */
  signal?: AbortSignal;
  /** Like the repository timeout: the run is cancelled after this long. */
  timeoutMs?: number;
  /** Steps running at once; 0 = no limit. */
  maxProcs?: number;
  /** What the step variables (DRONE_BUILD_*, DRONE_STAGE_*) are computed from; defaults describe a local push build. */
  build?: Build;
  stage?: Stage;
  /** Exec plans: keep the root directory after the run (default: removed, as a runner does). */
  keepRoot?: boolean;
  /** How often lines are gathered (default 100 ms). */
  flushMs?: number;
}

export interface LocalStepResult {
  name: string;
  number: number;
  status: Status;
  exitCode: number;
  error?: string;
}

export interface LocalRunResult {
  /** The stage's status: success, failure, killed or error. */
  status: Status;
  error?: string;
  steps: LocalStepResult[];
}

/** An exec plan, through the exec engine. */
export function runLocalSpec(spec: ExecSpec, options: LocalRunOptions = {}, engine = new ExecEngine()): Promise<LocalRunResult> {
  return runLocalStage(execStage(spec, engine, { keepRoot: options.keepRoot }), options);
}

/** A compiled stage of any pipeline type; what it created is removed at the end. */
export async function runLocalStage(spec: CompiledStage, options: LocalRunOptions = {}): Promise<LocalRunResult> {
  const now = Math.floor(Date.now() / 1000);
  const build = { ...(options.build ?? localBuild(now)), status: 'running' as const };
  const stage: Stage = { ...(options.stage ?? localStage(now)), status: 'running', started: now };
  stage.steps = reportedSteps(spec, stage.id).map((step, index) => ({ ...step, id: index + 1 }));
  const state = new StageState(build, stage);

  const signals = [options.signal, options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs)];
  const signal = AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
  const masker = new Masker(maskedValues(spec.steps));
  const discard = async () => undefined;
  try {
    await spec.setup(signal);
    await executeSpec(spec, {
      engine: spec,
      state,
      maxProcs: options.maxProcs ?? 0,
      signal,
      stepEnviron,
      report: discard,
      openLog: (step) =>
        new LogWriter({ batch: discard, upload: discard }, masker, {
          flushMs: options.flushMs ?? 100,
          onLine: (line) => options.onLine?.({ name: step.name, number: step.number }, line),
        }),
    });
  } catch (err) {
    state.failAll((err as Error).message);
  } finally {
    await spec.destroy();
  }
  state.finishAll();
  return {
    status: stage.status,
    ...(stage.error ? { error: stage.error } : {}),
    steps: state.steps.map((step) => ({
      name: step.name,
      number: step.number,
      status: step.status,
      exitCode: step.exit_code,
      ...(step.error ? { error: step.error } : {}),
    })),
  };
}

function localBuild(now: number): Build {
  return {
    id: 1,
    repo_id: 1,
    trigger: '@hook',
    number: 1,
    status: 'running',
    event: 'push',
    action: '',
    link: '',
    timestamp: now,
    message: '',
    before: '',
    after: '',
    ref: '',
    source_repo: '',
    source: '',
    target: '',
    author_login: '',
    author_name: '',
    author_email: '',
    author_avatar: '',
    sender: '',
    started: now,
    finished: 0,
    created: now,
    updated: now,
    version: 1,
  };
}

function localStage(now: number): Stage {
  return {
    id: 1,
    repo_id: 1,
    build_id: 1,
    number: 1,
    name: 'default',
    kind: 'pipeline',
    type: 'exec',
    status: 'running',
    errignore: false,
    exit_code: 0,
    os: '',
    arch: '',
    started: now,
    stopped: 0,
    created: now,
    updated: now,
    version: 1,
    on_success: true,
    on_failure: false,
  };
}

export interface LocalCheckout {
  /** The repository's name (the workspace directory's name). */
  name: string;
  pipeline: string;
  /** The pipeline's type (default exec). */
  type?: string;
  event: string;
  branch: string;
  /** The checkout's commit, '' outside git. */
  sha: string;
  message: string;
  author: { login: string; name: string; email: string };
  trusted: boolean;
  secrets: Record<string, string>;
  /** DRONE_SYSTEM_VERSION. */
  version: string;
}

/** What a server would send a runner, made up for a local run (`hangar exec`). */
export function localStageDetails(checkout: LocalCheckout): StageDetails {
  const now = Math.floor(Date.now() / 1000);
  const stage: Stage = { ...localStage(now), name: checkout.pipeline, type: checkout.type ?? 'exec' };
  const build: Build = {
    ...localBuild(now),
    trigger: '@exec',
    event: checkout.event,
    message: checkout.message,
    before: checkout.sha,
    after: checkout.sha,
    ref: `refs/heads/${checkout.branch}`,
    source: checkout.branch,
    target: checkout.branch,
    author_login: checkout.author.login,
    author_name: checkout.author.name,
    author_email: checkout.author.email,
    stages: [stage],
  };
  const repository: Repo & { secret: string } = {
    id: 1,
    uid: '',
    user_id: 0,
    namespace: 'local',
    name: checkout.name,
    slug: `local/${checkout.name}`,
    scm: 'git',
    git_http_url: '',
    git_ssh_url: '',
    link: '',
    default_branch: checkout.branch,
    private: true,
    visibility: 'private',
    active: true,
    config_path: '.drone.yml',
    trusted: checkout.trusted,
    protected: false,
    ignore_forks: false,
    ignore_pull_requests: false,
    auto_cancel_pull_requests: false,
    auto_cancel_pushes: false,
    auto_cancel_running: false,
    timeout: 60,
    counter: 1,
    synced: 0,
    created: now,
    updated: now,
    version: 1,
    archived: false,
    secret: '',
  };
  return {
    repository,
    build,
    stage,
    config: { Data: '', Hash: null },
    secrets: Object.entries(checkout.secrets).map(([name, data]) => ({ name, data })),
    system: { proto: 'http', host: 'localhost', link: 'http://localhost', version: checkout.version },
    netrc: null,
  };
}
