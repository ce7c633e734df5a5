// Starting a runner: `hangar runner exec` (and the runner `hangar server` embeds when DRONE_RUNNER_CAPACITY
// > 0) or `hangar runner docker`. The runner starts in the background: it pings the server until it
// answers, prepares its pipeline driver (the docker runner's sweep), picks its retry policy
// (HANGAR_RUNNER_MODE), then polls with DRONE_RUNNER_CAPACITY workers.

import pino, { type Logger } from 'pino';
import type { RunnerConfig } from '../config/runner.js';
import type { Filter } from '../core/types.js';
import { HANGAR_RETRY, RUNNER_GO_RETRY, type RetryPolicy, RpcClient } from './client.js';
import type { PipelineDriver } from './engine.js';
import { ExecDriver } from './engines/exec/driver.js';
import { Poller, waitForServer } from './poller.js';
import { StageRunner } from './stage-runner.js';

export interface StartedRunner {
  /** Settles once the server answered and the workers poll (at once if stopped before). */
  ready: Promise<void>;
  /** Stops polling; running stages get `graceMs` (default 5 s) to finish before they are cancelled. */
  stop(graceMs?: number): Promise<void>;
}

export function startExecRunner(config: RunnerConfig, log: Logger = pino({ level: 'info' })): StartedRunner {
  return startRunner(config, new ExecDriver(config), log);
}

export function startRunner(config: RunnerConfig, driver: PipelineDriver, log: Logger = pino({ level: 'info' })): StartedRunner {
  const client = new RpcClient({ address: config.rpc.address, secret: config.rpc.secret, skipVerify: config.rpc.skipVerify });
  const poller = new Poller(client, new StageRunner(client, config, log, driver), runnerFilter(config, driver.type), log);
  const stopping = new AbortController();

  const ready = (async () => {
    if (!(await waitForServer(client, stopping.signal, log))) return;
    await driver.start?.(stopping.signal);
    const hangar = config.rpc.mode === 'hangar' || (config.rpc.mode === 'auto' && (await client.isHangarServer(stopping.signal)));
    client.retryPolicy = retryPolicy(hangar, config.rpc.retry);
    if (stopping.signal.aborted) return;
    poller.start(config.capacity);
    log.info({ server: config.rpc.address, capacity: config.capacity, name: config.name, mode: hangar ? 'hangar' : 'drone' }, `${driver.type} runner polling`);
  })();

  return {
    ready,
    async stop(graceMs = 5_000) {
      stopping.abort();
      await ready;
      await poller.stop(graceMs);
      await driver.close?.();
      client.close();
    },
  };
}

/** What the runner asks the server for: pipelines of its type and platform with exactly these labels. */
export function runnerFilter(config: RunnerConfig, type = 'exec'): Filter {
  return {
    kind: 'pipeline',
    type,
    os: config.platform.os,
    arch: config.platform.arch,
    variant: '',
    kernel: '',
    ...(Object.keys(config.labels).length > 0 ? { labels: config.labels } : {}),
  };
}

function retryPolicy(hangar: boolean, overrides: Partial<RetryPolicy>): RetryPolicy {
  const base = hangar ? HANGAR_RETRY : RUNNER_GO_RETRY;
  const policy = { ...base, ...overrides };
  return { ...policy, retryMaxMs: Math.max(policy.retryMaxMs, policy.retryMinMs) };
}
