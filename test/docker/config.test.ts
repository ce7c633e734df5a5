// `hangar runner docker` reads drone-runner-docker's variables, with its names, legacy names and defaults.

import { describe, expect, it } from 'vitest';
import { loadDockerRunnerConfig } from '../../src/config/runner.js';
import { dockerRunnerOptions } from '../../src/runner/docker-runner.js';

const REQUIRED = { DRONE_RPC_HOST: 'drone.example.com', DRONE_RPC_SECRET: 'secret' };

describe('docker runner configuration', () => {
  it("has drone-runner-docker's defaults", () => {
    const config = loadDockerRunnerConfig(REQUIRED);
    expect(config.capacity).toBe(2);
    expect(config.docker).toMatchObject({ network: 'bridge', volumes: {}, networks: [], privilegedImages: [], cloneImage: '', netrcCloneOnly: false });
    expect(config.docker.resources).toEqual({ memory: 0, memorySwap: 0, cpuQuota: 0, cpuPeriod: 0, cpuShares: 0, cpuSet: [], shmSize: 0 });
  });

  it('reads the runner, resource and engine variables, legacy names included', () => {
    const config = loadDockerRunnerConfig({
      ...REQUIRED,
      DRONE_RUNNER_CAPACITY: '4',
      DRONE_RUNNER_NAME: 'builder-1',
      DRONE_RUNNER_LABELS: 'zone:eu,size:large',
      DRONE_RUNNER_ENVIRON: 'GOPROXY:off',
      DRONE_RUNNER_VOLUMES: '/var/cache/go:/go/pkg',
      DRONE_RUNNER_NETWORKS: 'shared-db,proxy',
      DRONE_RUNNER_PRIVILEGED_IMAGES: 'plugins/dind',
      DRONE_RUNNER_MAX_PROCS: '3',
      DRONE_LIMIT_MEM: '1073741824',
      DRONE_CPU_SHARES: '512',
      DRONE_CPU_SET: '0,1',
      DOCKER_HOST: 'unix:///run/podman/podman.sock',
    });
    expect(config).toMatchObject({ capacity: 4, name: 'builder-1', maxProcs: 3, labels: { zone: 'eu', size: 'large' }, environ: { GOPROXY: 'off' } });
    expect(config.docker).toMatchObject({
      engine: { DOCKER_HOST: 'unix:///run/podman/podman.sock' },
      volumes: { '/var/cache/go': '/go/pkg' },
      networks: ['shared-db', 'proxy'],
      privilegedImages: ['plugins/dind'],
      resources: { memory: 1073741824, cpuShares: 512, cpuSet: ['0', '1'] },
    });
    expect(dockerRunnerOptions(config.docker)).toMatchObject({ volumes: { '/var/cache/go': '/go/pkg' }, networks: ['shared-db', 'proxy'], registries: [] });
  });

  it('refuses an unknown network mode', () => {
    expect(() => loadDockerRunnerConfig({ ...REQUIRED, HANGAR_DOCKER_NETWORK: 'overlay' })).toThrow(/HANGAR_DOCKER_NETWORK/);
  });
});
