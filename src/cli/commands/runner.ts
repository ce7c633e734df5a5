// `hangar runner exec` and `hangar runner docker`: runners configured like drone-runner-exec and
// drone-runner-docker (DRONE_RPC_*, DRONE_RUNNER_*, DOCKER_HOST, ...), speaking only the RPC protocol, so
// they work against Hangar or a stock Drone server.

import { Command } from 'commander';
import type { Logger } from 'pino';
import { ConfigError, type Env, loadEnv } from '../../config/env.js';
import { loadDockerRunnerConfig, loadRunnerConfig, type RunnerConfig } from '../../config/runner.js';
import type { StartedRunner } from '../../runner/start.js';
import { createLogger } from '../../server/logger.js';

export type { StartedRunner } from '../../runner/start.js';

type Starter<C extends RunnerConfig> = (config: C, log: Logger) => Promise<StartedRunner>;

export function runnerCommand(): Command {
  const runner = new Command('runner').description('run pipelines for a Hangar or Drone server');
  runnerSubcommand(runner, 'exec', 'an exec runner: runs `type: exec` pipelines as processes on this machine', loadRunnerConfig, async (config, log) => {
    const { startExecRunner } = await import('../../runner/start.js');
    return startExecRunner(config, log);
  });
  runnerSubcommand(runner, 'docker', 'a docker runner: runs `type: docker` pipelines in containers of the engine at DOCKER_HOST', loadDockerRunnerConfig, async (config, log) => {
    const { startDockerRunner } = await import('../../runner/docker-runner.js');
    return startDockerRunner(config, log);
  });
  return runner;
}

function runnerSubcommand<C extends RunnerConfig>(parent: Command, name: string, description: string, load: (env: Env) => C, start: Starter<C>): void {
  parent
    .command(name)
    .description(description)
    .argument('[envfile]', 'a dotenv file read before the environment (variables already set win)', '.env')
    .option('--grace <seconds>', 'on SIGTERM/SIGINT, how long running stages may take to finish before they are cancelled', '60')
    .action(async (envFile: string, options: { grace: string }) => {
      const config = readConfig(name, envFile, load);
      const graceSeconds = Number(options.grace);
      if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
        console.error(`hangar runner ${name}: --grace: "${options.grace}" is not a number of seconds`);
        process.exit(1);
      }
      const log = createLogger({ debug: config.logs.debug, trace: config.logs.trace, pretty: false, text: false }, 'hangar-runner');
      const started = await start(config, log);
      started.ready.catch((err: unknown) => {
        log.error({ err }, 'cannot start the runner');
        process.exit(1);
      });
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) {
          log.warn({ signal }, 'second signal: exiting now');
          process.exit(1);
        }
        stopping = true;
        log.info({ signal, graceSeconds }, 'stopping: no new stages; running ones may finish (signal again to exit now)');
        started.stop(graceSeconds * 1000).then(
          () => process.exit(0),
          (err: unknown) => {
            log.error({ err }, 'unclean shutdown');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
    });
}

function readConfig<C>(name: string, envFile: string, load: (env: Env) => C): C {
  try {
    return load(loadEnv(envFile));
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`hangar runner ${name}: invalid configuration: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}
