// `hangar exec [file]`: runs a pipeline of a `.drone.yml` on this machine, without a server, like
// `drone exec`: the current directory is the workspace (no clone), `--pipeline` picks one, `--include` /
// `--exclude` pick steps, `--secret-file` and `--env-file` give secrets and variables. It runs `type: exec`
// pipelines through the exec runner's engine, and `type: docker` pipelines through the docker runner's on
// the engine at DOCKER_HOST (the directory mounted as the workspace); the exit code is 0 when the stage
// succeeds, 1 otherwise.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import dotenv from 'dotenv';
import { oneOf, parseGoDuration, str } from '../../config/env.js';
import type { PipelineSummary } from '../../pipeline/index.js';
import type { CompiledStage } from '../../runner/engine.js';
import type { LocalCheckout } from '../../runner/local.js';
import type { StageDetails } from '../../core/types.js';
import { VERSION } from '../../version.js';

interface ExecOptions {
  pipeline?: string;
  include?: string[];
  exclude?: string[];
  secretFile?: string;
  envFile?: string;
  trusted?: boolean;
  branch?: string;
  event: string;
  timeout: string;
}

export function execCommand(): Command {
  return new Command('exec')
    .description('run a pipeline locally, in the current directory, like `drone exec`')
    .argument('[file]', 'the configuration file', '.drone.yml')
    .option('--pipeline <name>', 'the pipeline to run (default: the first exec or docker pipeline)')
    .option('--include <step...>', 'run only these steps')
    .option('--exclude <step...>', 'skip these steps')
    .option('--secret-file <path>', 'secrets as NAME=value lines (for from_secret)')
    .option('--env-file <path>', 'variables for every step, as NAME=value lines')
    .option('--trusted', 'allow options only trusted repositories may use')
    .option('--branch <name>', 'the build branch (default: the current git branch)')
    .option('--event <event>', 'the build event', 'push')
    .option('--timeout <duration>', 'stop the run after this long', '60m')
    .action(async (file: string, options: ExecOptions) => {
      process.exitCode = await execPipeline(file, options);
    });
}

const RUNNABLE = ['exec', 'docker'];

async function execPipeline(file: string, options: ExecOptions): Promise<number> {
  // Loaded here, not at the CLI's start: only this command needs the compiler and the local runner.
  const [{ listPipelines }, { localStageDetails, runLocalStage }] = await Promise.all([import('../../pipeline/index.js'), import('../../runner/local.js')]);
  const config = await configText(file);
  const pipelines = listPipelines(config);
  const chosen = options.pipeline ? pipelines.find((p) => p.name === options.pipeline) : pipelines.find((p) => RUNNABLE.includes(p.type));
  if (!chosen) {
    const names = pipelines.map((p) => `${p.name} (${p.type})`).join(', ') || 'none';
    throw new Error(options.pipeline ? `no pipeline named "${options.pipeline}" in ${file}; it has: ${names}` : `no exec or docker pipeline in ${file}; it has: ${names}`);
  }
  if (!RUNNABLE.includes(chosen.type)) throw new Error(`pipeline "${chosen.name}" is type ${chosen.type}: hangar exec runs type exec and docker pipelines`);

  const workspace = process.cwd();
  const details = localStageDetails(checkoutOf(workspace, chosen, options, dotenvFile(options.secretFile)));
  const stage = chosen.type === 'docker' ? await dockerStage(config, details, workspace, options) : await execStage(config, details, workspace, options);
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const result = await runLocalStage(stage, {
    signal: abort.signal,
    timeoutMs: parseGoDuration(options.timeout),
    build: details.build,
    stage: details.stage,
    onLine: (step, line) => process.stdout.write(`[${step.name}:${line.pos}] ${line.out.endsWith('\n') ? line.out : `${line.out}\n`}`),
  });
  for (const step of result.steps) console.log(`${step.status === 'success' ? '✓' : step.status === 'skipped' ? '-' : '✗'} ${step.name} ${step.status}${step.exitCode ? ` (exit ${step.exitCode})` : ''}`);
  console.log(`pipeline ${chosen.name}: ${result.status}${result.error ? ` (${result.error})` : ''}`);
  return result.status === 'success' ? 0 : 1;
}

/** An exec plan under a temporary root, with the directory as its workspace. */
async function execStage(config: string, details: StageDetails, workspace: string, options: ExecOptions): Promise<CompiledStage> {
  const [{ compileExecStage }, { execStage: bind }, { ExecEngine }] = await Promise.all([
    import('../../pipeline/index.js'),
    import('../../runner/engines/exec/driver.js'),
    import('../../runner/engines/exec/engine.js'),
  ]);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hangar-exec-'));
  const compiled = compileExecStage({
    config,
    details,
    root,
    environ: dotenvFile(options.envFile),
    hostEnv: process.env as Record<string, string>,
    workspace,
    cloneDisabled: true,
    include: options.include,
    exclude: options.exclude,
  });
  if (!compiled.ok) {
    fs.rmSync(root, { recursive: true, force: true });
    throw new Error(compiled.error);
  }
  return bind(compiled.spec, new ExecEngine());
}

/** A docker plan with the directory mounted as the workspace (no clone), on the engine at DOCKER_HOST. */
async function dockerStage(config: string, details: StageDetails, workspace: string, options: ExecOptions): Promise<CompiledStage> {
  const [{ compileDockerStage }, { dockerEngine }, { dockerStage: bind }] = await Promise.all([
    import('../../pipeline/index.js'),
    import('../../runner/docker-runner.js'),
    import('../../runner/engines/docker/driver.js'),
  ]);
  const compiled = compileDockerStage({
    config,
    details,
    environ: dotenvFile(options.envFile),
    hostEnv: process.env as Record<string, string>,
    runner: { mount: workspace, labels: { 'io.drone.desktop.pipeline.dir': workspace } },
    include: options.include,
    exclude: options.exclude,
  });
  if (!compiled.ok) throw new Error(compiled.error);
  const env = process.env;
  const engine = dockerEngine({
    engine: { DOCKER_HOST: env.DOCKER_HOST, DOCKER_TLS_VERIFY: env.DOCKER_TLS_VERIFY, DOCKER_CERT_PATH: env.DOCKER_CERT_PATH },
    network: oneOf(env, 'HANGAR_DOCKER_NETWORK', ['bridge', 'shared'] as const, 'bridge'),
    sandboxImage: str(env, 'HANGAR_DOCKER_SANDBOX_IMAGE', 'busybox:latest'),
  });
  return bind(compiled.spec, engine);
}

/** The file's configuration: a Starlark file (.star, .starlark, .script) is run first, as `hangar starlark` does. */
async function configText(file: string): Promise<string> {
  const source = readFile(file);
  if (!/\.(star|starlark|script)$/.test(file)) return source;
  const { DEFAULT_STARLARK_OPTIONS, renderStarlarkSource } = await import('./starlark.js');
  const rendered = await renderStarlarkSource(source, file, DEFAULT_STARLARK_OPTIONS);
  if (!rendered.ok) throw new Error(rendered.error);
  return rendered.yaml;
}

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
}

function dotenvFile(file: string | undefined): Record<string, string> {
  return file ? dotenv.parse(fs.readFileSync(file)) : {};
}

/** The local directory (and its git checkout, if any) as a build. */
function checkoutOf(workspace: string, pipeline: PipelineSummary, options: ExecOptions, secrets: Record<string, string>): LocalCheckout {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: workspace, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  return {
    name: path.basename(workspace),
    pipeline: pipeline.name,
    type: pipeline.type,
    event: options.event,
    branch: options.branch ?? (git('rev-parse', '--abbrev-ref', 'HEAD') || 'main'),
    sha: git('rev-parse', 'HEAD'),
    message: git('log', '-1', '--format=%B'),
    author: { login: git('log', '-1', '--format=%al'), name: git('log', '-1', '--format=%an'), email: git('log', '-1', '--format=%ae') },
    trusted: Boolean(options.trusted),
    secrets,
    version: VERSION,
  };
}
