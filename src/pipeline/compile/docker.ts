// Compiles a `type: docker` pipeline into the plan the docker engine runs (drone-runner-docker
// engine/compiler, research/drone-runner.md §6.1): workspace volume and network, the clone step, services
// (always detached) and steps with their environment, scripts, settings, policies, secrets, registry
// credentials, resources, labels and volumes.

import { randomInt } from 'node:crypto';
import type { Build, Netrc, Repo, Stage, SystemInfo } from '../../core/types.js';
import { runPolicyOf, stepConditionsMatch, type MatchInput } from '../conditions/match.js';
import type { DockerAuth, DockerMount, DockerPullPolicy, DockerSecret, DockerSpec, DockerStep, DockerVolume } from '../docker-spec.js';
import {
  buildEnviron,
  cloneEnviron,
  combine,
  linkEnviron,
  netrcEnviron,
  proxyEnviron,
  repoEnviron,
  stageEnviron,
  systemEnviron,
  type Environ,
} from '../environ/variables.js';
import type { Pipeline, SecretDocument, Step } from '../manifest/types.js';
import { orderSteps } from './graph.js';
import { containerLabels } from './labels.js';
import { isRestrictedVolume, workspaceOf } from './workspace.js';
import { expandImage, imageOnHost, sameImage } from './image.js';
import { parseDockerConfig } from './registry.js';
import { dockerPosixScript, dockerPowershellScript } from './scripts.js';
import { findSecret, type SecretSources } from './secrets.js';
import { encodeSetting, pluginVariableName } from './settings.js';
import { secretEnvironment, staticEnvironment } from './exec.js';

/** Runner-level settings (drone-runner-docker's DRONE_RUNNER_* and friends). */
export interface DockerRunnerOptions {
  /** Extra container labels. */
  labels?: Record<string, string>;
  /** Images run privileged when used as plugins, added to Drone's built-in list. */
  privilegedImages?: string[];
  /** Extra docker networks every step joins. */
  networks?: string[];
  /** Driver options of the per-stage network. */
  networkOptions?: Record<string, string>;
  /** Give DRONE_NETRC_* to the clone step only. */
  netrcCloneOnly?: boolean;
  /** Host path → container path (":ro" suffix for read-only), mounted into every step. */
  volumes?: Record<string, string>;
  /** Clone image instead of drone/git:latest. */
  cloneImage?: string;
  resources?: { memory?: number; memorySwap?: number; cpuQuota?: number; cpuPeriod?: number; cpuShares?: number; cpuSet?: string[]; shmSize?: number };
  tmate?: { enabled: boolean; image?: string; server?: string; port?: string; rsa?: string; ed25519?: string; authorizedKeys?: string };
  /** DRONE_RUNNER_SECRETS: name → value, looked up after the server's and the file's secrets. */
  secrets?: Record<string, string>;
  /** Registry credentials from DRONE_DOCKER_CONFIG or a registry plugin. */
  registries?: DockerAuth[];
  /** `hangar exec`: mount this host directory as the workspace and skip the clone. */
  mount?: string;
  /** DRONE_FLAG_ALLOW_DOCKER_PLUGIN_VOLUMES */
  allowPluginVolumes?: boolean;
}

export interface DockerCompileInput {
  pipeline: Pipeline;
  secretDocuments: SecretDocument[];
  repo: Repo & { secret?: string };
  build: Build;
  stage: Stage;
  system: SystemInfo;
  netrc: Netrc | null;
  serverSecrets: Array<{ name: string; data?: string; pull_request?: boolean }>;
  environ: Environ;
  hostEnv: Environ;
  runner: DockerRunnerOptions;
  /** Random id generator for containers, volumes and the network (tests pass a fixed one). */
  randomId?: () => string;
  /** Unix seconds for the created/expires labels. */
  now?: number;
}

export const DEFAULT_PRIVILEGED_IMAGES = ['plugins/docker', 'plugins/acr', 'plugins/ecr', 'plugins/gcr', 'plugins/heroku', 'plugins/gar'];
const RESTRICTED_VARIABLES = ['XDG_RUNTIME_DIR', 'DOCKER_OPTS', 'DOCKER_HOST', 'PATH', 'HOME'];
const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomDockerId(): string {
  let id = 'drone-';
  for (let i = 0; i < 20; i++) id += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return id;
}

export function compileDocker(input: DockerCompileInput): DockerSpec {
  const { pipeline, build, repo, system, runner } = input;
  const random = input.randomId ?? randomDockerId;
  const os = pipeline.platform.os;

  let { base, path, full } = workspaceOf(pipeline);
  if (isRestrictedVolume(full)) {
    base = '/drone/src';
    path = '';
    full = '/drone/src';
  }
  if (runner.mount) {
    base = full;
    path = '';
  }

  const stageLabels = combine(runner.labels, containerLabels(input));
  const mount: DockerMount = { name: '_workspace', path: base };
  const workspaceVolume: DockerVolume = runner.mount
    ? { host: { id: random(), name: mount.name, path: runner.mount, labels: stageLabels } }
    : { temp: { id: random(), name: mount.name, labels: stageLabels } };
  const spec: DockerSpec = {
    network: { id: random(), labels: stageLabels, ...(runner.networkOptions ? { options: runner.networkOptions } : {}) },
    platform: platformOf(pipeline),
    steps: [],
    volumes: [workspaceVolume],
  };

  let envs = combine(
    input.environ,
    build.params,
    pipeline.environment,
    proxyEnviron(input.hostEnv),
    systemEnviron(system),
    repoEnviron(repo),
    buildEnviron(build),
    stageEnviron(input.stage),
    linkEnviron(repo, build, system),
    cloneEnviron({
      authorName: build.author_name ?? '',
      authorEmail: build.author_email ?? '',
      trace: pipeline.clone.trace,
      skipVerify: pipeline.clone.skip_verify,
    }),
  );
  envs.DRONE_DOCKER_NETWORK_ID = spec.network.id;
  envs.DRONE_WORKSPACE = full;
  envs.DRONE_WORKSPACE_BASE = base;
  envs.DRONE_WORKSPACE_PATH = path;
  if (workspaceVolume.temp) envs.DRONE_DOCKER_VOLUME_ID = workspaceVolume.temp.id;
  else if (workspaceVolume.host) envs.DRONE_DOCKER_VOLUME_PATH = workspaceVolume.host.path;
  if (runner.tmate?.server) {
    envs.DRONE_TMATE_HOST = runner.tmate.server;
    envs.DRONE_TMATE_PORT = runner.tmate.port ?? '';
    envs.DRONE_TMATE_FINGERPRINT_RSA = runner.tmate.rsa ?? '';
    envs.DRONE_TMATE_FINGERPRINT_ED25519 = runner.tmate.ed25519 ?? '';
    if (runner.tmate.authorizedKeys) envs.DRONE_TMATE_AUTHORIZED_KEYS = runner.tmate.authorizedKeys;
  }
  if (!runner.netrcCloneOnly) envs = combine(envs, netrcEnviron(input.netrc));

  const match: MatchInput = {
    action: build.action ?? '',
    cron: build.cron ?? '',
    ref: build.ref ?? '',
    repo: repo.slug ?? '',
    instance: system.host ?? '',
    target: build.deploy_to ?? '',
    event: build.event ?? '',
    branch: build.target ?? '',
  };

  if (!pipeline.clone.disable) spec.steps.push(cloneStep(input, envs, mount, full, stageLabels, random));

  const privileged = [...DEFAULT_PRIVILEGED_IMAGES, ...(runner.privilegedImages ?? [])];
  const addStep = (src: Step, detach: boolean) => {
    const dst = createStep(src, random);
    if (detach) dst.detach = true;
    dst.environment = combine(envs, dst.environment);
    dst.volumes.push(mount);
    dst.labels = stageLabels;
    setupScript(src, dst, os);
    setupWorkdir(src, dst, full);
    if (!stepConditionsMatch(src.when, match)) dst.run_policy = 'never';
    if (isPrivileged(src, privileged, runner.allowPluginVolumes === true)) dst.privileged = true;
    spec.steps.push(dst);
  };
  for (const src of pipeline.services) if (src) addStep(src, true);
  for (const src of pipeline.steps) if (src) addStep(src, false);

  if (runner.tmate?.enabled && build.debug && os !== 'windows') addTmate(spec, runner.tmate.image ?? 'drone/drone-runner-docker:1', stageLabels, random);

  orderSteps(spec.steps, pipeline.clone.disable);
  resolveSecrets(spec, input);
  attachRegistryCredentials(spec, pipeline, input);
  applyResources(spec, runner);

  spec.steps.forEach((step, n) => {
    step.networks = [...(step.networks ?? []), ...(runner.networks ?? [])];
    step.labels = combine(step.labels, { 'io.drone.step.number': String(n + 1), 'io.drone.step.name': step.name });
  });
  addGlobalVolumes(spec, runner, random);
  addPipelineVolumes(spec, pipeline, stageLabels, random);
  return spec;
}

function cloneStep(input: DockerCompileInput, envs: Environ, mount: DockerMount, full: string, labels: Environ, random: () => string): DockerStep {
  const clone = input.pipeline.clone;
  const params: Environ = {};
  if (clone.depth > 0) params.PLUGIN_DEPTH = String(clone.depth);
  if (clone.retries > 0) params.PLUGIN_RETRIES = String(clone.retries);
  if (clone.skip_verify) {
    params.GIT_SSL_NO_VERIFY = 'true';
    params.PLUGIN_SKIP_VERIFY = 'true';
  }
  return {
    id: random(),
    name: 'clone',
    image: input.runner.cloneImage || 'drone/git:latest',
    run_policy: input.runner.mount ? 'never' : 'always',
    err_policy: 'fail',
    pull: 'if-not-exists',
    environment: combine(envs, params, netrcEnviron(input.netrc)),
    secrets: [],
    labels,
    volumes: [mount],
    working_dir: full,
  };
}

function createStep(src: Step, random: () => string): DockerStep {
  const dst: DockerStep = {
    id: random(),
    name: src.name,
    image: expandImage(src.image),
    environment: staticEnvironment(src),
    secrets: secretEnvironment(src).map((s) => ({ name: s.name, env: s.env, data: '', mask: true })),
    labels: {},
    err_policy: errPolicyOf(src.failure),
    run_policy: runPolicyOf(src.when.status),
    pull: pullPolicyOf(src.pull),
    volumes: src.volumes.map((v) => ({ name: v.name, path: v.path })),
  };
  if (src.command.length > 0) dst.args = [...src.command];
  if (src.entrypoint.length > 0) dst.entrypoint = [...src.entrypoint];
  if (src.detach) dst.detach = true;
  if (src.depends_on.length > 0) dst.depends_on = [...src.depends_on];
  if (src.devices.length > 0) dst.devices = src.devices.map((d) => ({ name: d.name, path: d.path }));
  if (src.dns.length > 0) dst.dns = [...src.dns];
  if (src.dns_search.length > 0) dst.dns_search = [...src.dns_search];
  if (src.extra_hosts.length > 0) dst.extra_hosts = [...src.extra_hosts];
  if (src.network_mode) dst.network = src.network_mode;
  if (src.privileged) dst.privileged = true;
  if (src.user) dst.user = src.user;
  if (src.working_dir) dst.working_dir = src.working_dir;
  if (src.shm_size) dst.shm_size = src.shm_size;
  if (src.mem_limit > 0) dst.mem_limit = src.mem_limit;
  if (src.memswap_limit > 0) dst.memswap_limit = src.memswap_limit;
  for (const [key, setting] of Object.entries(src.settings)) {
    const name = pluginVariableName(key);
    if ('secret' in setting) dst.secrets.push({ name: setting.secret, env: name, data: '', mask: true });
    else dst.environment[name] = encodeSetting(setting.value);
  }
  return dst;
}

function errPolicyOf(failure: string): DockerStep['err_policy'] {
  if (failure === 'ignore') return 'ignore';
  if (failure === 'fast' || failure === 'fast-fail' || failure === 'fail-fast') return 'fail-fast';
  return 'fail';
}

function pullPolicyOf(pull: string): DockerPullPolicy {
  const p = pull.toLowerCase();
  return p === 'always' || p === 'if-not-exists' || p === 'never' ? p : 'default';
}

function setupScript(src: Step, dst: DockerStep, os: string): void {
  if (src.commands.length === 0) return;
  if (os === 'windows') {
    dst.entrypoint = ['powershell', '-noprofile', '-noninteractive', '-command'];
    dst.args = ['echo $Env:DRONE_SCRIPT | iex'];
    dst.environment.DRONE_SCRIPT = dockerPowershellScript(src.commands);
    dst.environment.SHELL = 'powershell.exe';
    return;
  }
  dst.entrypoint = ['/bin/sh', '-c'];
  dst.args = ['echo "$DRONE_SCRIPT" | /bin/sh'];
  dst.environment.DRONE_SCRIPT = dockerPosixScript(src.commands);
}

function setupWorkdir(src: Step, dst: DockerStep, full: string): void {
  if (dst.working_dir) return;
  if (dst.detach && src.commands.length === 0) return;
  dst.working_dir = full;
}

/** Known plugin images run privileged, unless the step could abuse it (commands, mounts, env). */
function isPrivileged(step: Step, images: string[], allowPluginVolumes: boolean): boolean {
  if (step.commands.length > 0 || step.command.length > 0 || step.entrypoint.length > 0) return false;
  if (!allowPluginVolumes && step.volumes.length > 0) return false;
  if (step.volumes.some((v) => isRestrictedVolume(v.path))) return false;
  if (RESTRICTED_VARIABLES.some((name) => name in step.environment)) return false;
  return images.some((image) => sameImage(image, step.image));
}

function resolveSecrets(spec: DockerSpec, input: DockerCompileInput): void {
  const sources: SecretSources = {
    server: input.serverSecrets.map((s) => ({ name: s.name, data: s.data, pull_request: s.pull_request })),
    documents: input.secretDocuments,
    repo: input.repo,
    build: input.build,
    runner: input.runner.secrets,
  };
  const values: string[] = [];
  for (const step of spec.steps) {
    for (const secret of step.secrets) {
      const value = secret.name ? findSecret(sources, secret.name) : undefined;
      if (value !== undefined) {
        secret.data = value;
        values.push(value);
      }
    }
  }
  // every step masks every resolved secret, wherever it was used
  for (const value of values) {
    for (const step of spec.steps) step.secrets.push({ data: value, mask: true } satisfies DockerSecret);
  }
}

function attachRegistryCredentials(spec: DockerSpec, pipeline: Pipeline, input: DockerCompileInput): void {
  const sources: SecretSources = {
    server: input.serverSecrets,
    documents: input.secretDocuments,
    repo: input.repo,
    build: input.build,
    runner: input.runner.secrets,
  };
  let creds: DockerAuth[] = [...(input.runner.registries ?? [])];
  for (const name of pipeline.image_pull_secrets) {
    const value = findSecret(sources, name);
    const parsed = value === undefined ? undefined : parseDockerConfig(value);
    if (parsed) creds = [...parsed, ...creds];
  }
  for (const step of [...spec.steps, ...(spec.internal ?? [])]) {
    const cred = creds.find((c) => imageOnHost(step.image, c.address));
    if (cred) step.auth = { ...cred };
  }
}

function applyResources(spec: DockerSpec, runner: DockerRunnerOptions): void {
  const r = runner.resources ?? {};
  for (const step of spec.steps) {
    if (!step.memswap_limit && r.memorySwap) step.memswap_limit = r.memorySwap;
    if (!step.mem_limit && r.memory) step.mem_limit = r.memory;
    if (!step.shm_size && r.shmSize) step.shm_size = r.shmSize;
    if (r.cpuPeriod) step.cpu_period = r.cpuPeriod;
    if (r.cpuQuota) step.cpu_quota = r.cpuQuota;
    if (r.cpuShares) step.cpu_shares = r.cpuShares;
    if (r.cpuSet && r.cpuSet.length > 0) step.cpu_set = [...r.cpuSet];
  }
}

function addTmate(spec: DockerSpec, image: string, labels: Environ, random: () => string): void {
  spec.internal = [
    {
      id: random(),
      name: '',
      labels,
      pull: 'if-not-exists',
      image: expandImage(image),
      entrypoint: ['/bin/drone-runner-docker'],
      args: ['copy'],
      network: 'none',
      environment: {},
      secrets: [],
      err_policy: 'fail',
      run_policy: 'on-success',
      volumes: [],
    },
  ];
  for (const step of [...spec.steps, ...spec.internal]) step.volumes.push({ name: '_addons', path: '/usr/drone/bin' });
  spec.volumes.push({ temp: { id: random(), name: '_addons', labels } });
}

function addGlobalVolumes(spec: DockerSpec, runner: DockerRunnerOptions, random: () => string): void {
  for (const [hostPath, target] of Object.entries(runner.volumes ?? {})) {
    const id = random();
    const readOnly = target.endsWith(':ro');
    spec.volumes.push({ host: { id, name: id, path: hostPath, ...(readOnly ? { read_only: true } : {}) } });
    for (const step of spec.steps) step.volumes.push({ name: id, path: readOnly ? target.slice(0, -3) : target });
  }
}

function addPipelineVolumes(spec: DockerSpec, pipeline: Pipeline, labels: Environ, random: () => string): void {
  for (const volume of pipeline.volumes) {
    if (!volume) continue;
    const id = random();
    if (volume.temp) {
      const temp: NonNullable<DockerVolume['temp']> = { id, name: volume.name, labels };
      if (volume.temp.medium) temp.medium = volume.temp.medium;
      if (volume.temp.size_limit) temp.size_limit = volume.temp.size_limit;
      spec.volumes.push({ temp });
    } else if (volume.host) {
      spec.volumes.push({ host: { id, name: volume.name, path: volume.host.path } });
    }
  }
}

function platformOf(pipeline: Pipeline): DockerSpec['platform'] {
  const out: DockerSpec['platform'] = {};
  if (pipeline.platform.os) out.os = pipeline.platform.os;
  if (pipeline.platform.arch) out.arch = pipeline.platform.arch;
  if (pipeline.platform.variant) out.variant = pipeline.platform.variant;
  if (pipeline.platform.version) out.version = pipeline.platform.version;
  return out;
}
