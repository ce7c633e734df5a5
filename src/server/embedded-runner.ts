// `hangar server` with DRONE_RUNNER_CAPACITY > 0 runs an exec runner in-process, speaking the same RPC
// protocol to its own server over loopback, so the demo needs no second process.

import type { Logger } from 'pino';
import { loadRunnerConfig } from '../config/runner.js';
import type { ServerConfig } from '../config/server.js';
import { startExecRunner } from '../runner/start.js';

export async function startEmbeddedRunner(config: ServerConfig, serverUrl: string, log: Logger): Promise<{ stop(): Promise<void> }> {
  const env = {
    ...process.env,
    DRONE_RPC_PROTO: 'http',
    DRONE_RPC_HOST: new URL(serverUrl).host,
    DRONE_RPC_SECRET: config.rpc.secret,
    DRONE_RUNNER_CAPACITY: String(config.runner.capacity),
    DRONE_RUNNER_NAME: config.runner.name,
    DRONE_RUNNER_ROOT: config.runner.root,
    // It talks to its own Hangar server: no need to ask GET /version which retry timing to use.
    HANGAR_RUNNER_MODE: 'hangar',
  };
  return startExecRunner(loadRunnerConfig(env), log.child({ component: 'embedded-runner' }));
}
