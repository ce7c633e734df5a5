// Throwaway podman for docker-runner tests: its Docker-compatible API service started and stopped through
// scripts/podman-*.sh, with storage under the test run's directory and the local busybox image imported.
// Helpers list what runners left on it, by their runner label.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import type Docker from 'dockerode';
import type { DockerRunnerOptions } from '../../src/pipeline/compile/docker.js';
import type { DockerSpec } from '../../src/pipeline/docker-spec.js';
import { compileDockerStage } from '../../src/pipeline/index.js';
import { localStageDetails } from '../../src/runner/local.js';

const run = promisify(execFile);
const scripts = fileURLToPath(new URL('../../scripts/', import.meta.url));

export interface PodmanService {
  /** Holds the storage, containers.conf, the socket and the pidfile. */
  dir: string;
  /** unix://…/podman.sock */
  dockerHost: string;
}

/** The image the scripts build from busybox-static, under the name pipelines use. */
export const BUSYBOX = 'busybox:1.36';

export async function startPodman(dir?: string): Promise<PodmanService> {
  const serviceDir = dir ?? (await mkdtemp(join(tmpdir(), 'hangar-podman-')));
  const { stdout } = await run(join(scripts, 'podman-start.sh'), [serviceDir], { timeout: 300_000 });
  const dockerHost = stdout.trim().split('\n').pop() ?? '';
  if (!dockerHost.startsWith('unix://')) throw new Error(`podman-start.sh printed no DOCKER_HOST: ${stdout}`);
  return { dir: serviceDir, dockerHost };
}

/** The podman command line on the service's storage (as scripts/podman-common.sh runs it). */
export async function podmanCli(service: PodmanService, args: string[]): Promise<string> {
  const runroot = (await readFile(join(service.dir, 'runroot'), 'utf8')).trim();
  const storage = ['--root', join(service.dir, 'root'), '--runroot', runroot, '--tmpdir', join(service.dir, 'tmp'), '--network-config-dir', join(service.dir, 'net'), '--volumepath', join(service.dir, 'vol')];
  const { stdout } = await run('podman', [...storage, ...args], { env: { ...process.env, CONTAINERS_CONF: join(service.dir, 'containers.conf') }, timeout: 60_000 });
  return stdout;
}

export async function stopPodman(dir: string): Promise<void> {
  await run(join(scripts, 'podman-stop.sh'), [dir], { timeout: 120_000 });
}

export interface Leftovers {
  containers: string[];
  volumes: string[];
  networks: string[];
}

/** Containers (running or not), volumes and networks with this label (`name=value`). */
export async function leftovers(docker: Docker, label: string): Promise<Leftovers> {
  const filters = JSON.stringify({ label: [label] });
  const containers = await docker.listContainers({ all: true, filters });
  const { Volumes: volumes } = await docker.listVolumes({ filters });
  const networks = await docker.listNetworks({ filters });
  return {
    containers: containers.map((c) => c.Names.join(',')),
    volumes: (volumes ?? []).map((v) => v.Name),
    networks: networks.map((n) => n.Name),
  };
}

export const NOTHING_LEFT: Leftovers = { containers: [], volumes: [], networks: [] };

/** A `type: docker` pipeline named default, compiled as `hangar exec` would for a local push. */
export function compileLocalDocker(config: string, runner: DockerRunnerOptions = {}): { spec: DockerSpec; details: ReturnType<typeof localStageDetails> } {
  const details = localStageDetails({
    name: 'repo',
    pipeline: 'default',
    type: 'docker',
    event: 'push',
    branch: 'main',
    sha: '',
    message: '',
    author: { login: '', name: '', email: '' },
    trusted: false,
    secrets: {},
    version: 'test',
  });
  const compiled = compileDockerStage({ config, details, environ: {}, runner });
  if (!compiled.ok) throw new Error(compiled.error);
  return { spec: compiled.spec, details };
}
