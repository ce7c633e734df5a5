// drone-runner-exec's configuration variables, read with its names, defaults and legacy names; a bad
// value stops the start with an error naming the variable.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/env.js';
import { hostPlatform, loadRunnerConfig } from '../../../src/config/runner.js';

const required = { DRONE_RPC_HOST: 'drone.example.com', DRONE_RPC_SECRET: 'shared' };

function configError(env: Record<string, string>): ConfigError {
  try {
    loadRunnerConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('no ConfigError');
}

describe('runner configuration', () => {
  it("uses drone-runner-exec's defaults", () => {
    const config = loadRunnerConfig(required);
    expect(config.rpc).toMatchObject({ address: 'http://drone.example.com', secret: 'shared', skipVerify: false, mode: 'auto', retry: {} });
    expect(config.name).toBe(os.hostname());
    expect(config.capacity).toBe(2);
    expect(config.maxProcs).toBe(0);
    expect(config.root).toBe(os.tmpdir());
    expect(config.platform).toEqual(hostPlatform());
    expect(config.labels).toEqual({});
    expect(config.limits).toEqual({ repos: [], events: [], trusted: false });
    expect(config.logFlushMs).toBe(50);
  });

  it('requires the server address and the shared secret', () => {
    expect(configError({ DRONE_RPC_SECRET: 'x' }).variable).toBe('DRONE_RPC_HOST');
    expect(configError({ DRONE_RPC_HOST: 'x' }).variable).toBe('DRONE_RPC_SECRET');
  });

  it('reads every setting it knows', () => {
    const config = loadRunnerConfig({
      ...required,
      DRONE_RPC_PROTO: 'https',
      DRONE_RPC_HOST: 'ci.example.com:8443',
      DRONE_RPC_SKIP_VERIFY: 'true',
      DRONE_RUNNER_NAME: 'builder-7',
      DRONE_RUNNER_CAPACITY: '5',
      DRONE_RUNNER_MAX_PROCS: '3',
      DRONE_RUNNER_LABELS: 'zone:eu,disk:ssd',
      DRONE_RUNNER_ENVIRON: 'GOPROXY:off,CI_TIER:two',
      DRONE_RUNNER_PATH: '/opt/bin:/usr/bin',
      DRONE_RUNNER_ROOT: '/dev/shm/builds',
      DRONE_RUNNER_SYMLINKS: '/opt/cache:cache',
      DRONE_PLATFORM_OS: 'linux',
      DRONE_PLATFORM_ARCH: 'arm64',
      DRONE_LIMIT_REPOS: 'octo/*,acme/app',
      DRONE_LIMIT_EVENTS: 'push,tag',
      DRONE_LIMIT_TRUSTED: 'true',
      DRONE_DEBUG: 'true',
      HANGAR_LOG_FLUSH: '250ms',
      HANGAR_RUNNER_MODE: 'drone',
      HANGAR_RPC_POLL_SLEEP: '2s',
    });
    expect(config.rpc).toMatchObject({ address: 'https://ci.example.com:8443', skipVerify: true, mode: 'drone', retry: { pollSleepMs: 2000 } });
    expect(config).toMatchObject({ name: 'builder-7', capacity: 5, maxProcs: 3, root: '/dev/shm/builds', logFlushMs: 250 });
    expect(config.labels).toEqual({ zone: 'eu', disk: 'ssd' });
    expect(config.environ).toEqual({ GOPROXY: 'off', CI_TIER: 'two', PATH: '/opt/bin:/usr/bin' });
    expect(config.symlinks).toEqual({ '/opt/cache': 'cache' });
    expect(config.platform).toEqual({ os: 'linux', arch: 'arm64' });
    expect(config.limits).toEqual({ repos: ['octo/*', 'acme/app'], events: ['push', 'tag'], trusted: true });
    expect(config.logs.debug).toBe(true);
  });

  it('merges DRONE_RUNNER_ENVFILE under DRONE_RUNNER_ENVIRON', async () => {
    const dir = await mkdtemp(join(os.tmpdir(), 'hangar-envfile-'));
    try {
      const file = join(dir, 'runner.env');
      await writeFile(file, 'DEPLOY_URL=https://deploy.example.com:8443/x\nTIER=file\n');
      const config = loadRunnerConfig({ ...required, DRONE_RUNNER_ENVFILE: file, DRONE_RUNNER_ENVIRON: 'TIER:environ' });
      expect(config.environ).toEqual({ DEPLOY_URL: 'https://deploy.example.com:8443/x', TIER: 'environ' });
      expect(configError({ ...required, DRONE_RUNNER_ENVFILE: join(dir, 'missing.env') }).variable).toBe('DRONE_RUNNER_ENVFILE');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("accepts Drone's legacy names, the current name winning", () => {
    const legacy = loadRunnerConfig({ ...required, DRONE_MACHINE: 'old-name', DRONE_RUNNER_OS: 'windows', DRONE_LOGS_DEBUG: 'true' });
    expect(legacy).toMatchObject({ name: 'old-name', platform: { os: 'windows' }, logs: { debug: true } });
    expect(loadRunnerConfig({ ...required, DRONE_MACHINE: 'old-name', DRONE_RUNNER_NAME: 'new-name' }).name).toBe('new-name');
  });

  it('names the variable of a bad value', () => {
    expect(configError({ ...required, DRONE_RUNNER_CAPACITY: 'lots' }).variable).toBe('DRONE_RUNNER_CAPACITY');
    expect(configError({ ...required, DRONE_RUNNER_CAPACITY: '0' }).variable).toBe('DRONE_RUNNER_CAPACITY');
    expect(configError({ ...required, DRONE_RPC_PROTO: 'ftp' }).variable).toBe('DRONE_RPC_PROTO');
    expect(configError({ ...required, DRONE_RPC_SKIP_VERIFY: 'maybe' }).variable).toBe('DRONE_RPC_SKIP_VERIFY');
    expect(configError({ ...required, DRONE_RUNNER_LABELS: 'a:b:c' }).variable).toBe('DRONE_RUNNER_LABELS');
    expect(configError({ ...required, HANGAR_LOG_FLUSH: 'fast' }).variable).toBe('HANGAR_LOG_FLUSH');
    expect(configError({ ...required, HANGAR_RUNNER_MODE: 'turbo' }).variable).toBe('HANGAR_RUNNER_MODE');
    expect(configError({ ...required, HANGAR_RPC_RETRY_MIN: '10s', HANGAR_RPC_RETRY_MAX: '1s' }).variable).toBe('HANGAR_RPC_RETRY_MIN');
  });
});
