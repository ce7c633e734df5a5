// A compiled docker step as the Engine API's create-container body, as drone-runner-docker builds it.

import { describe, expect, it } from 'vitest';
import { containerOptions } from '../../src/runner/engines/docker/convert.js';
import type { DockerSpec, DockerStep } from '../../src/pipeline/docker-spec.js';

function step(extra: Partial<DockerStep> = {}): DockerStep {
  return {
    id: 'drone-step',
    name: 'build',
    image: 'docker.io/library/golang:1.22',
    environment: { GOFLAGS: '-mod=vendor', TOKEN: 'from-environment' },
    secrets: [
      { name: 'token', env: 'TOKEN', data: 's3cret', mask: true },
      { data: 'mask-only', mask: true },
    ],
    labels: { 'io.drone': 'true' },
    err_policy: 'fail',
    run_policy: 'on-success',
    pull: 'default',
    volumes: [
      { name: '_workspace', path: '/drone/src' },
      { name: 'cache', path: '/cache' },
      { name: 'scratch', path: '/scratch' },
      { name: 'docker', path: '/var/run/docker.sock' },
    ],
    entrypoint: ['/bin/sh', '-c'],
    args: ['echo "$DRONE_SCRIPT" | /bin/sh'],
    working_dir: '/drone/src',
    user: '1000',
    ...extra,
  };
}

const spec: DockerSpec = {
  platform: {},
  network: { id: 'drone-network', labels: {} },
  steps: [],
  volumes: [
    { temp: { id: 'drone-workspace', name: '_workspace' } },
    { temp: { id: 'drone-cache', name: 'cache' } },
    { temp: { id: 'drone-scratch', name: 'scratch', medium: 'memory', size_limit: 1048576 } },
    { host: { id: 'drone-docker', name: 'docker', path: '/var/run/docker.sock', read_only: true } },
  ],
};

describe('docker step → container', () => {
  it('maps the command, environment (secrets win), user, workdir, labels and volumes', () => {
    const options = containerOptions(spec, step(), { kind: 'bridge', id: 'drone-network' });
    expect(options).toMatchObject({
      name: 'drone-step',
      Image: 'docker.io/library/golang:1.22',
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: ['echo "$DRONE_SCRIPT" | /bin/sh'],
      WorkingDir: '/drone/src',
      User: '1000',
      Labels: { 'io.drone': 'true' },
      NetworkingConfig: { EndpointsConfig: { 'drone-network': { Aliases: ['build'] } } },
    });
    expect(options.Env).toEqual(['GOFLAGS=-mod=vendor', 'TOKEN=s3cret']);
    expect(options.HostConfig).toMatchObject({
      NetworkMode: 'drone-network',
      Binds: ['drone-workspace:/drone/src', 'drone-cache:/cache', '/var/run/docker.sock:/var/run/docker.sock:ro'],
      Mounts: [{ Type: 'tmpfs', Target: '/scratch', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o700 } }],
    });
  });

  it('applies resource limits and privileges only when set', () => {
    const plain = containerOptions(spec, step(), { kind: 'bridge', id: 'drone-network' }).HostConfig ?? {};
    expect(plain.Memory).toBeUndefined();
    expect(plain.Privileged).toBeUndefined();
    const limited = containerOptions(spec, step({ mem_limit: 64 << 20, memswap_limit: 128 << 20, shm_size: 1 << 20, cpu_shares: 512, cpu_set: ['0', '1'], privileged: true }), {
      kind: 'bridge',
      id: 'drone-network',
    }).HostConfig;
    expect(limited).toMatchObject({ Memory: 64 << 20, MemorySwap: 128 << 20, ShmSize: 1 << 20, CpuShares: 512, CpusetCpus: '0,1', Privileged: true });
  });

  it("joins a shared namespace with the stage's hosts file, and keeps a step's own network_mode", () => {
    const shared = containerOptions(spec, step(), { kind: 'shared', container: 'drone-network', hostsFile: '/tmp/drone-network.hosts' });
    expect(shared.NetworkingConfig).toBeUndefined();
    expect(shared.HostConfig?.NetworkMode).toBe('container:drone-network');
    expect(shared.HostConfig?.Binds?.[0]).toBe('/tmp/drone-network.hosts:/etc/hosts:ro');
    const own = containerOptions(spec, step({ network: 'host' }), { kind: 'shared', container: 'drone-network', hostsFile: '/tmp/drone-network.hosts' });
    expect(own.HostConfig?.NetworkMode).toBe('host');
    expect(own.HostConfig?.Binds).not.toContain('/tmp/drone-network.hosts:/etc/hosts:ro');
  });
});
