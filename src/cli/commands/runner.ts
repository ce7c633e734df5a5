// `hangar runner exec`: an exec runner configured like drone-runner-exec (DRONE_RPC_*, DRONE_RUNNER_*),
// speaking only the RPC protocol, so it works against Hangar or a stock Drone server.

import { Command } from 'commander';
import { ConfigError, loadEnv } from '../../config/env.js';
import { loadRunnerConfig, type RunnerConfig } from '../../config/runner.js';
import { createLogger } from '../../server/logger.js';

export type { StartedRunner } from '../../runner/start.js';

export function runnerCommand(): Command {
  const runner = new Command('runner').description('run pipelines for a Hangar or Drone server');
  runner
    .command('exec')
    .description('an exec runner: runs `type: exec` pipelines as processes on this machine')
    .argument('[envfile]', 'a dotenv file read before the environment (variables already set win)', '.env')
    .option('--grace <seconds>', 'on SIGTERM/SIGINT, how long running stages may take to finish before they are cancelled', '60')
    .action(async (envFile: string, options: { grace: string }) => {
      const config = readConfig(envFile);
      const graceSeconds = Number(options.grace);
      if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
        console.error(`hangar runner exec: --grace: "${options.grace}" is not a number of seconds`);
        process.exit(1);
      }
      const log = createLogger({ debug: config.logs.debug, trace: config.logs.trace, pretty: false, text: false }, 'hangar-runner');
      const { startExecRunner } = await import('../../runner/start.js');
      const started = startExecRunner(config, log);
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
  return runner;
}

function readConfig(envFile: string): RunnerConfig {
  try {
    return loadRunnerConfig(loadEnv(envFile));
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`hangar runner exec: invalid configuration: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}
