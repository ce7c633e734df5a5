// Compiles a `type: exec` pipeline into the plan the exec engine runs (drone-runner-exec
// engine/compiler): a private root with home, source and script directories, an optional clone step,
// one shell script per step, the step environment, run and error policies, and secrets.

import { posix as path } from 'node:path';
import type { Build, Netrc, Repo, Stage, SystemInfo } from '../../core/types.js';
import { runPolicyOf, stepConditionsMatch, type MatchInput } from '../conditions/match.js';
import {
  buildEnviron,
  cloneEnviron,
  combine,
  linkEnviron,
  proxyEnviron,
  repoEnviron,
  stageEnviron,
  systemEnviron,
  type Environ,
} from '../environ/variables.js';
import type { Pipeline, SecretDocument, Step } from '../manifest/types.js';
import { ErrPolicy, RunPolicy, type ExecSpec, type ExecStep, type SpecFile, type SpecSecret } from '../spec.js';
import { cloneCommands } from './clone.js';
import { orderSteps } from './graph.js';
import { execPosixScript } from './scripts.js';
import { findSecret } from './secrets.js';
import { uniqueSlugs } from './slug.js';

export interface ExecCompileInput {
  pipeline: Pipeline;
  secretDocuments: SecretDocument[];
  repo: Repo & { secret?: string };
  build: Build;
  stage: Stage;
  system: SystemInfo;
  netrc: Netrc | null;
  serverSecrets: Array<{ name: string; data?: string; pull_request?: boolean }>;
  root: string;
  environ: Environ;
  hostEnv: Environ;
  workspace?: string;
  cloneDisabled?: boolean;
  include?: string[];
  exclude?: string[];
  symlinks?: Record<string, string>;
}

/** Host variables a step inherits from the runner (posix). */
const HOST_VARS = ['PATH', 'USER'];

const DIR_MODE = 0o700;
const FILE_MODE = 0o700;
const NETRC_MODE = 0o600;

export function compileExec(input: ExecCompileInput): ExecSpec {
  const { pipeline, build, repo } = input;
  const root = input.root;
  const homeDir = path.join(root, 'home', 'drone');
  const sourceDir = input.workspace ?? path.join(root, 'drone', 'src');
  const optDir = path.join(root, 'opt');

  const files: SpecFile[] = [{ path: homeDir, mode: DIR_MODE, is_dir: true }];
  if (input.workspace === undefined) files.push({ path: sourceDir, mode: DIR_MODE, is_dir: true });
  files.push({ path: optDir, mode: DIR_MODE, is_dir: true });
  if (input.netrc) {
    const { machine, login, password } = input.netrc;
    files.push({ path: path.join(homeDir, '.netrc'), mode: NETRC_MODE, data: base64(`machine ${machine} login ${login} password ${password}`) });
  }

  const envs = combine(
    hostEnviron(input.hostEnv),
    input.environ,
    build.params,
    proxyEnviron(input.hostEnv),
    systemEnviron(input.system),
    repoEnviron(repo),
    buildEnviron(build),
    stageEnviron(input.stage),
    linkEnviron(repo, build, input.system),
    cloneEnviron({
      authorName: build.author_name ?? '',
      authorEmail: build.author_email ?? '',
      trace: pipeline.clone.trace,
      skipVerify: pipeline.clone.skip_verify,
    }),
    {
      HOME: homeDir,
      HOMEPATH: homeDir,
      USERPROFILE: homeDir,
      DRONE_HOME: sourceDir,
      DRONE_WORKSPACE: sourceDir,
      GIT_TERMINAL_PROMPT: '0',
    },
  );

  const cloneDisabled = pipeline.clone.disable || input.cloneDisabled === true;
  const steps: ExecStep[] = [];
  if (!cloneDisabled) steps.push(cloneStep(input, envs, optDir, sourceDir));

  const match: MatchInput = {
    action: build.action ?? '',
    cron: build.cron ?? '',
    ref: build.ref ?? '',
    repo: repo.slug ?? '',
    instance: input.system.host ?? '',
    target: build.deploy_to ?? '',
    event: build.event ?? '',
    branch: build.target ?? '',
  };
  const sources = pipeline.steps.filter((s): s is Step => s !== null);
  const slugs = uniqueSlugs(sources.map((s) => s.name));
  sources.forEach((src, i) => steps.push(compileStep(src, slugs[i], envs, optDir, sourceDir, match, input.hostEnv)));

  orderSteps(steps, cloneDisabled);
  applyIncludeExclude(steps, input.include, input.exclude);
  resolveSecrets(steps, input);

  const spec: ExecSpec = { platform: platformOf(pipeline), root, files, steps };
  const links = Object.entries(input.symlinks ?? {}).map(([source, target]) => ({ source, target: path.join(root, target) }));
  if (links.length > 0) spec.links = links;
  return spec;
}

/**
 * Names the initial branch for `git init` (through the environment, so the commands stay drone-runner-exec's):
 * without it git prints ten lines of advice at the top of every clone log.
 */
const QUIET_GIT_INIT = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'init.defaultBranch', GIT_CONFIG_VALUE_0: 'master' };

function cloneStep(input: ExecCompileInput, envs: Environ, optDir: string, sourceDir: string): ExecStep {
  const clonePath = path.join(optDir, 'clone');
  const remote = input.repo.git_http_url || input.repo.git_ssh_url || '';
  const script = execPosixScript(
    cloneCommands({ branch: input.build.target ?? '', commit: input.build.after ?? '', ref: input.build.ref ?? '', remote }),
  );
  return {
    name: 'clone',
    command: '/bin/sh',
    args: ['-e', clonePath],
    environment: { ...envs, ...QUIET_GIT_INIT },
    run_policy: RunPolicy.Always,
    files: [{ path: clonePath, mode: FILE_MODE, data: base64(script) }],
    secrets: [],
    working_dir: sourceDir,
  };
}

function compileStep(
  src: Step,
  slug: string,
  envs: Environ,
  optDir: string,
  sourceDir: string,
  match: MatchInput,
  hostEnv: Environ,
): ExecStep {
  const scriptPath = path.join(optDir, slug);
  const step: ExecStep = {
    name: src.name,
    command: '/bin/sh',
    args: ['-e', scriptPath],
    environment: combine(envs, expandPath(staticEnvironment(src), hostEnv)),
    files: [{ path: scriptPath, mode: FILE_MODE, data: base64(execPosixScript(src.commands)) }],
    secrets: secretEnvironment(src),
    working_dir: sourceDir,
  };
  if (src.detach) step.detach = true;
  if (src.depends_on.length > 0) step.depends_on = [...src.depends_on];
  if (src.failure.toLowerCase() === 'ignore') step.err_policy = ErrPolicy.Ignore;
  const policy = runPolicyOf(src.when.status);
  if (policy === 'always') step.run_policy = RunPolicy.Always;
  else if (policy === 'on-failure') step.run_policy = RunPolicy.OnFailure;
  if (!stepConditionsMatch(src.when, match)) step.run_policy = RunPolicy.Never;
  if (step.run_policy === undefined) step.run_policy = RunPolicy.OnSuccess;
  return step;
}

function hostEnviron(hostEnv: Environ): Environ {
  const env: Environ = {};
  for (const name of HOST_VARS) if (hostEnv[name]) env[name] = hostEnv[name];
  return env;
}

/** Literal `environment` values of a step (not `from_secret` ones). */
export function staticEnvironment(step: Step): Environ {
  const env: Environ = {};
  for (const [key, variable] of Object.entries(step.environment)) {
    if (variable.secret.trim() === '') env[key] = variable.value;
  }
  return env;
}

/** `from_secret` references of a step's `environment`, resolved later. */
export function secretEnvironment(step: Step): SpecSecret[] {
  const secrets: SpecSecret[] = [];
  for (const [key, variable] of Object.entries(step.environment)) {
    if (variable.secret.trim() !== '') secrets.push({ name: variable.secret, env: key, data: '', mask: true });
  }
  return secrets;
}

/** In a step's own environment only PATH has `$VAR` references expanded, from the runner's environment. */
function expandPath(env: Environ, hostEnv: Environ): Environ {
  if (!env.PATH) return env;
  return { ...env, PATH: goExpand(env.PATH, (name) => hostEnv[name] ?? '') };
}

/** Go's os.Expand: `$NAME`, `${NAME}` and special `$1`, `$@`...; bad `${` syntax is eaten, a lone `$` kept. */
export function goExpand(s: string, mapping: (name: string) => string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    if (s[i] !== '$' || i + 1 >= s.length) {
      out += s[i++];
      continue;
    }
    const { name, width } = shellName(s.slice(i + 1));
    if (name === '' && width === 0) out += '$';
    else if (name !== '') out += mapping(name);
    i += 1 + width;
  }
  return out;
}

const SPECIAL = /^[*#$@!?\-0-9]$/;

function shellName(s: string): { name: string; width: number } {
  if (s[0] === '{') {
    if (s.length > 2 && SPECIAL.test(s[1]) && s[2] === '}') return { name: s[1], width: 3 };
    const close = s.indexOf('}', 1);
    if (close === 1) return { name: '', width: 2 };
    if (close < 0) return { name: '', width: 1 };
    return { name: s.slice(1, close), width: close + 1 };
  }
  if (SPECIAL.test(s[0])) return { name: s[0], width: 1 };
  const m = /^[A-Za-z0-9_]*/.exec(s)?.[0] ?? '';
  return { name: m, width: m.length };
}

function applyIncludeExclude(steps: ExecStep[], include?: string[], exclude?: string[]): void {
  for (const step of steps) {
    if (step.name === 'clone') continue;
    if (include && include.length > 0 && !include.includes(step.name)) step.run_policy = RunPolicy.Never;
    if (exclude && exclude.includes(step.name)) step.run_policy = RunPolicy.Never;
  }
}

function resolveSecrets(steps: ExecStep[], input: ExecCompileInput): void {
  const sources = {
    server: input.serverSecrets.map((s) => ({ name: s.name, data: s.data, pull_request: s.pull_request })),
    documents: input.secretDocuments,
    repo: input.repo,
    build: input.build,
  };
  for (const step of steps) {
    for (const secret of step.secrets) secret.data = findSecret(sources, secret.name) ?? '';
  }
}

function platformOf(pipeline: Pipeline): ExecSpec['platform'] {
  const out: ExecSpec['platform'] = {};
  if (pipeline.platform.os) out.os = pipeline.platform.os;
  if (pipeline.platform.arch) out.arch = pipeline.platform.arch;
  if (pipeline.platform.variant) out.variant = pipeline.platform.variant;
  if (pipeline.platform.version) out.version = pipeline.platform.version;
  return out;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
