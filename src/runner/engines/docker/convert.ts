// A compiled docker step as the Engine API's create-container body (drone-runner-docker's convert.go):
// environment and secrets, entrypoint and command, working directory, user, labels, privileges, resources,
// DNS and hosts, and the stage's volumes as binds (docker volumes, host paths) or tmpfs mounts.

import type Docker from 'dockerode';
import type { DockerSpec, DockerStep, DockerVolume } from '../../../pipeline/docker-spec.js';

/** Where a step's container gets its network: Drone's per-stage bridge, or one shared namespace. */
export type StageNetwork = { kind: 'bridge'; id: string } | { kind: 'shared'; container: string; hostsFile: string };

export function containerOptions(spec: DockerSpec, step: DockerStep, network: StageNetwork): Docker.ContainerCreateOptions {
  const options: Docker.ContainerCreateOptions = {
    name: step.id,
    Image: step.image,
    Env: environmentOf(step),
    Labels: step.labels,
    HostConfig: hostConfig(spec, step, network),
  };
  if (step.entrypoint && step.entrypoint.length > 0) options.Entrypoint = step.entrypoint;
  if (step.args && step.args.length > 0) options.Cmd = step.args;
  if (step.working_dir) options.WorkingDir = step.working_dir;
  if (step.user) options.User = step.user;
  if (!step.network && network.kind === 'bridge') {
    options.NetworkingConfig = { EndpointsConfig: { [network.id]: { Aliases: [step.name] } } };
  }
  return options;
}

/** KEY=VALUE of the variables, then the secrets that have a variable (a secret wins over a variable). */
function environmentOf(step: DockerStep): string[] {
  const env: Record<string, string> = { ...step.environment };
  for (const secret of step.secrets) if (secret.env) env[secret.env] = secret.data;
  return Object.entries(env).map(([name, value]) => `${name}=${value}`);
}

function hostConfig(spec: DockerSpec, step: DockerStep, network: StageNetwork): Docker.HostConfig {
  const config: Docker.HostConfig = {
    NetworkMode: step.network || (network.kind === 'bridge' ? network.id : `container:${network.container}`),
    LogConfig: { Type: 'json-file', Config: {} },
    Binds: [],
    Mounts: [],
  };
  if (step.privileged) config.Privileged = true;
  if (step.shm_size) config.ShmSize = step.shm_size;
  if (step.dns?.length) config.Dns = step.dns;
  if (step.dns_search?.length) config.DnsSearch = step.dns_search;
  if (step.extra_hosts?.length) config.ExtraHosts = step.extra_hosts;
  if (step.mem_limit) config.Memory = step.mem_limit;
  if (step.memswap_limit) config.MemorySwap = step.memswap_limit;
  if (step.cpu_period) config.CpuPeriod = step.cpu_period;
  if (step.cpu_quota) config.CpuQuota = step.cpu_quota;
  if (step.cpu_shares) config.CpuShares = step.cpu_shares;
  if (step.cpu_set?.length) config.CpusetCpus = step.cpu_set.join(',');
  if (network.kind === 'shared' && !step.network) config.Binds?.push(`${network.hostsFile}:/etc/hosts:ro`);
  for (const mount of step.volumes) {
    const volume = spec.volumes.find((v) => (v.temp ?? v.host)?.name === mount.name);
    if (volume) addMount(config, volume, mount.path);
  }
  for (const device of step.devices ?? []) {
    const volume = spec.volumes.find((v) => v.host?.name === device.name);
    if (volume?.host) config.Devices = [...(config.Devices ?? []), { PathOnHost: volume.host.path, PathInContainer: device.path, CgroupPermissions: 'rwm' }];
  }
  return config;
}

function addMount(config: Docker.HostConfig, volume: DockerVolume, target: string): void {
  if (volume.temp?.medium === 'memory') {
    config.Mounts?.push({ Type: 'tmpfs', Source: '', Target: target, TmpfsOptions: { SizeBytes: volume.temp.size_limit ?? 0, Mode: 0o700 } });
  } else if (volume.temp) {
    config.Binds?.push(`${volume.temp.id}:${target}`);
  } else if (volume.host) {
    config.Binds?.push(`${volume.host.path}:${target}${volume.host.read_only ? ':ro' : ''}`);
  }
}
