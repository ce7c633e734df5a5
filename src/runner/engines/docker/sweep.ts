// What a runner that died mid-stage (kill -9, a crash, a lost machine) left on the engine: every container,
// volume and network carrying its runner label is removed when it starts again, before it polls. So two
// runners sharing an engine need different names (DRONE_RUNNER_NAME), or one's start removes the other's
// running stages.

import type Docker from 'dockerode';
import { ignoreGone } from './client.js';
import type { DockerEngine } from './engine.js';

/** The label every resource of a Hangar docker runner carries, with the runner's name (DRONE_RUNNER_NAME). */
export const RUNNER_LABEL = 'io.hangar.runner.name';

export interface SweepResult {
  containers: number;
  volumes: number;
  networks: number;
}

export async function sweepRunnerResources(engine: DockerEngine, runnerName: string): Promise<SweepResult> {
  const docker: Docker = engine.docker;
  const filters = JSON.stringify({ label: ['io.drone=true', `${RUNNER_LABEL}=${runnerName}`] });
  const containers = await docker.listContainers({ all: true, filters });
  // Steps before the shared namespaces' sandboxes (no step label, named by the stage's network id): the
  // engine refuses to remove a namespace other containers still use.
  const isStep = (c: Docker.ContainerInfo) => 'io.drone.step.name' in (c.Labels ?? {});
  await Promise.all(containers.filter(isStep).map((c) => engine.removeContainer(c.Id)));
  await Promise.all(containers.filter((c) => !isStep(c)).map((c) => engine.removeSandbox(c.Names[0]?.replace(/^\//, '') ?? c.Id)));
  const { Volumes: volumes } = await docker.listVolumes({ filters });
  await Promise.all((volumes ?? []).map((v) => ignoreGone(docker.getVolume(v.Name).remove())));
  const networks = await docker.listNetworks({ filters });
  await Promise.all(networks.map((n) => ignoreGone(docker.getNetwork(n.Id).remove())));
  return { containers: containers.length, volumes: volumes?.length ?? 0, networks: networks.length };
}
