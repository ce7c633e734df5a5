// `hangar runner exec` and `hangar runner docker` configuration: drone-runner-exec's and
// drone-runner-docker's variables with their names and defaults (research/drone-runner.md §3.2–3.3), plus
// HANGAR_* settings for Hangar's faster behaviour.
//
// HANGAR_RUNNER_MODE decides how politely the runner retries: `drone` behaves like runner-go (a fixed 10 s
// sleep after a 204, a 5xx above 501 or a network error); `hangar` re-polls at once after a 204 and backs
// off from 250 ms to 5 s after errors; `auto` (the default) asks the server's GET /version once and uses
// `hangar` only when the server is Hangar, so a stock Drone server sees runner-go's behaviour.

import fs from 'node:fs';
import os from 'node:os';
import dotenv from 'dotenv';
import { ConfigError, type Env, bool, duration, int, list, map, oneOf, str } from './env.js';

/** Hangar's live log batch interval under continuous output: a line waits at most this long for its batch. */
export const DEFAULT_LOG_FLUSH_MS = 50;

export type RunnerMode = 'auto' | 'hangar' | 'drone';

/** Waits between RPC attempts; each field unset means "the mode's default". */
export interface RetryOverrides {
  /** After a 204 (a long poll or watch that ended empty). */
  pollSleepMs?: number;
  /** First wait after a network error or a status above 501. */
  retryMinMs?: number;
  /** Longest wait after repeated errors. */
  retryMaxMs?: number;
}

export interface RunnerConfig {
  rpc: {
    /** proto://host, e.g. http://drone.example.com */
    address: string;
    secret: string;
    skipVerify: boolean;
    mode: RunnerMode;
    retry: RetryOverrides;
  };
  name: string;
  capacity: number;
  /** Steps of one stage running at once; 0 = no limit. */
  maxProcs: number;
  labels: Record<string, string>;
  /** Variables every step gets (lowest precedence); also used for `${VAR}` substitution. */
  environ: Record<string, string>;
  /** Parent directory of the per-stage directories. */
  root: string;
  platform: { os: string; arch: string };
  limits: { repos: string[]; events: string[]; trusted: boolean };
  symlinks: Record<string, string>;
  logs: { debug: boolean; trace: boolean };
  /** Live log flush interval (Drone's runner: 1 s). */
  logFlushMs: number;
}

/** What only `hangar runner docker` reads (drone-runner-docker's variables, §3.2). */
export interface DockerRunnerSettings {
  /** DOCKER_HOST and its TLS companions, as Docker's client reads them. */
  engine: { DOCKER_HOST?: string; DOCKER_TLS_VERIFY?: string; DOCKER_CERT_PATH?: string };
  /** How the stage's containers reach each other: Drone's per-stage bridge, or one shared namespace. */
  network: 'bridge' | 'shared';
  /** The shared namespace's sandbox image (needs `sh` and `sleep`). */
  sandboxImage: string;
  volumes: Record<string, string>;
  networks: string[];
  networkOptions: Record<string, string>;
  privilegedImages: string[];
  cloneImage: string;
  netrcCloneOnly: boolean;
  secrets: Record<string, string>;
  /** DRONE_DOCKER_CONFIG: a docker config.json with registry credentials. */
  dockerConfig: string;
  resources: { memory: number; memorySwap: number; cpuQuota: number; cpuPeriod: number; cpuShares: number; cpuSet: string[]; shmSize: number };
}

export type DockerRunnerConfig = RunnerConfig & { docker: DockerRunnerSettings };

/** Go's GOOS/GOARCH names for this machine. */
export function hostPlatform(): { os: string; arch: string } {
  const arches: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };
  const systems: Record<string, string> = { win32: 'windows', darwin: 'darwin', linux: 'linux', freebsd: 'freebsd' };
  return { os: systems[process.platform] ?? process.platform, arch: arches[process.arch] ?? process.arch };
}

/** Drone's legacy names, copied to the current one when only the legacy one is set. */
const LEGACY: Array<[string, string]> = [
  ['DRONE_MACHINE', 'DRONE_RUNNER_NAME'],
  ['DRONE_RUNNER_OS', 'DRONE_PLATFORM_OS'],
  ['DRONE_RUNNER_ARCH', 'DRONE_PLATFORM_ARCH'],
  ['DRONE_LOGS_DEBUG', 'DRONE_DEBUG'],
  ['DRONE_LOGS_TRACE', 'DRONE_TRACE'],
  // drone-runner-docker's spelling of DRONE_RUNNER_ENVFILE.
  ['DRONE_RUNNER_ENV_FILE', 'DRONE_RUNNER_ENVFILE'],
  ['DRONE_LIMIT_MEM', 'DRONE_MEMORY_LIMIT'],
  ['DRONE_LIMIT_MEM_SWAP', 'DRONE_MEMORY_SWAP_LIMIT'],
  ['DRONE_LIMIT_CPU_QUOTA', 'DRONE_CPU_QUOTA'],
  ['DRONE_LIMIT_CPU_SHARES', 'DRONE_CPU_SHARES'],
  ['DRONE_LIMIT_CPU_SET', 'DRONE_CPU_SET'],
];

export function loadDockerRunnerConfig(input: Env): DockerRunnerConfig {
  const env = withCurrentNames(input);
  const bytes = (name: string) => int(env, name, 0, { min: 0, max: Number.MAX_SAFE_INTEGER });
  return {
    ...loadRunnerConfig(env),
    docker: {
      engine: { DOCKER_HOST: str(env, 'DOCKER_HOST'), DOCKER_TLS_VERIFY: str(env, 'DOCKER_TLS_VERIFY'), DOCKER_CERT_PATH: str(env, 'DOCKER_CERT_PATH') },
      network: oneOf(env, 'HANGAR_DOCKER_NETWORK', ['bridge', 'shared'] as const, 'bridge'),
      sandboxImage: str(env, 'HANGAR_DOCKER_SANDBOX_IMAGE', 'busybox:latest'),
      volumes: map(env, 'DRONE_RUNNER_VOLUMES'),
      networks: list(env, 'DRONE_RUNNER_NETWORKS'),
      networkOptions: map(env, 'DRONE_RUNNER_NETWORK_OPTS'),
      privilegedImages: list(env, 'DRONE_RUNNER_PRIVILEGED_IMAGES'),
      cloneImage: str(env, 'DRONE_RUNNER_CLONE_IMAGE'),
      netrcCloneOnly: bool(env, 'DRONE_NETRC_CLONE_ONLY'),
      secrets: map(env, 'DRONE_RUNNER_SECRETS'),
      dockerConfig: str(env, 'DRONE_DOCKER_CONFIG'),
      resources: {
        memory: bytes('DRONE_MEMORY_LIMIT'),
        memorySwap: bytes('DRONE_MEMORY_SWAP_LIMIT'),
        cpuQuota: bytes('DRONE_CPU_QUOTA'),
        cpuPeriod: bytes('DRONE_CPU_PERIOD'),
        cpuShares: bytes('DRONE_CPU_SHARES'),
        cpuSet: list(env, 'DRONE_CPU_SET'),
        shmSize: bytes('DRONE_SHM_SIZE'),
      },
    },
  };
}

function withCurrentNames(input: Env): Env {
  const env: Env = { ...input };
  for (const [legacy, current] of LEGACY) if (!env[current] && env[legacy]) env[current] = env[legacy];
  return env;
}

export function loadRunnerConfig(input: Env): RunnerConfig {
  const env = withCurrentNames(input);

  const host = str(env, 'DRONE_RPC_HOST');
  if (!host) throw new ConfigError('DRONE_RPC_HOST', 'required: the server address the runner connects to (host[:port])');
  const secret = str(env, 'DRONE_RPC_SECRET');
  if (!secret) throw new ConfigError('DRONE_RPC_SECRET', "required: the server's DRONE_RPC_SECRET");
  const proto = str(env, 'DRONE_RPC_PROTO', 'http');
  if (proto !== 'http' && proto !== 'https') throw new ConfigError('DRONE_RPC_PROTO', `"${proto}" is not http or https`);

  const environ = { ...envFile(env), ...map(env, 'DRONE_RUNNER_ENVIRON') };
  const path = str(env, 'DRONE_RUNNER_PATH');
  if (path) environ.PATH = path;
  const platform = hostPlatform();

  return {
    rpc: {
      address: `${proto}://${host.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '')}`,
      secret,
      skipVerify: bool(env, 'DRONE_RPC_SKIP_VERIFY'),
      mode: oneOf(env, 'HANGAR_RUNNER_MODE', ['auto', 'hangar', 'drone'] as const, 'auto'),
      retry: retryOverrides(env),
    },
    name: str(env, 'DRONE_RUNNER_NAME', os.hostname()),
    capacity: int(env, 'DRONE_RUNNER_CAPACITY', 2, { min: 1, max: 1000 }),
    maxProcs: int(env, 'DRONE_RUNNER_MAX_PROCS', 0, { min: 0 }),
    labels: map(env, 'DRONE_RUNNER_LABELS'),
    environ,
    root: str(env, 'DRONE_RUNNER_ROOT', os.tmpdir()),
    platform: { os: str(env, 'DRONE_PLATFORM_OS', platform.os), arch: str(env, 'DRONE_PLATFORM_ARCH', platform.arch) },
    limits: { repos: list(env, 'DRONE_LIMIT_REPOS'), events: list(env, 'DRONE_LIMIT_EVENTS'), trusted: bool(env, 'DRONE_LIMIT_TRUSTED') },
    symlinks: map(env, 'DRONE_RUNNER_SYMLINKS'),
    logs: { debug: bool(env, 'DRONE_DEBUG'), trace: bool(env, 'DRONE_TRACE') },
    logFlushMs: duration(env, 'HANGAR_LOG_FLUSH', DEFAULT_LOG_FLUSH_MS),
  };
}

function retryOverrides(env: Env): RetryOverrides {
  const read = (name: string) => (str(env, name) === '' ? undefined : duration(env, name, 0));
  const overrides: RetryOverrides = {
    pollSleepMs: read('HANGAR_RPC_POLL_SLEEP'),
    retryMinMs: read('HANGAR_RPC_RETRY_MIN'),
    retryMaxMs: read('HANGAR_RPC_RETRY_MAX'),
  };
  if (overrides.retryMinMs !== undefined && overrides.retryMaxMs !== undefined && overrides.retryMinMs > overrides.retryMaxMs) {
    throw new ConfigError('HANGAR_RPC_RETRY_MIN', `${overrides.retryMinMs}ms is above HANGAR_RPC_RETRY_MAX (${overrides.retryMaxMs}ms)`);
  }
  return Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as RetryOverrides;
}

/** DRONE_RUNNER_ENVFILE: a dotenv file merged into the step environment. */
function envFile(env: Env): Record<string, string> {
  const file = str(env, 'DRONE_RUNNER_ENVFILE');
  if (!file) return {};
  try {
    return dotenv.parse(fs.readFileSync(file));
  } catch (err) {
    throw new ConfigError('DRONE_RUNNER_ENVFILE', `cannot read ${file}: ${(err as Error).message}`);
  }
}
