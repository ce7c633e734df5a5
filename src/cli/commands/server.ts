// `hangar server`: the CI server, configured by DRONE_* variables (and an optional .env file).

import { Command } from 'commander';
import { ConfigError, loadEnv } from '../../config/env.js';
import { loadServerConfig } from '../../config/server.js';
import { createLogger } from '../../server/logger.js';

export function serverCommand(): Command {
  return new Command('server')
    .description('start the Hangar server (configured by DRONE_* variables, as Drone is)')
    .option('--env-file <path>', 'a dotenv file read before the environment (variables already set win)', '.env')
    .action(async (options: { envFile: string }) => {
      let config;
      try {
        config = loadServerConfig(loadEnv(options.envFile));
      } catch (err) {
        if (err instanceof ConfigError) {
          console.error(`hangar server: invalid configuration: ${err.message}`);
          process.exit(1);
        }
        throw err;
      }
      const log = createLogger(config.logs);
      let server;
      try {
        // Loaded only here: every other command of the CLI starts without the server's modules.
        const { startServer } = await import('../../server/compose.js');
        server = await startServer(config, log);
      } catch (err) {
        log.fatal({ err }, 'hangar server failed to start');
        process.exit(1);
      }
      const shutdown = (signal: string) => {
        log.info({ signal }, 'shutting down');
        server.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            log.error({ err }, 'unclean shutdown');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    });
}
