// The `hangar` command tree. Each subcommand lives in its own module under commands/.

import { Command } from 'commander';
import { withGlobalClientOptions } from './commands/action.js';
import { buildCommand } from './commands/build.js';
import { clientCommands } from './commands/client-commands.js';
import { exitQuietlyWhenOutputCloses } from './commands/closed-output.js';
import { demoCommand } from './commands/demo.js';
import { execCommand } from './commands/exec.js';
import { exitCodeFor } from './commands/exit-codes.js';
import { lintCommand } from './commands/lint.js';
import { repoCommand } from './commands/repo.js';
import { secretCommand } from './commands/secret.js';
import { runnerCommand } from './commands/runner.js';
import { serverCommand } from './commands/server.js';
import { starlarkCommand } from './commands/starlark.js';
import { VERSION } from '../version.js';

export function buildProgram(): Command {
  const program = new Command('hangar')
    .description('Hangar: a highly available, drop-in replacement for the Drone CI server')
    .version(VERSION);
  program.addCommand(serverCommand());
  program.addCommand(runnerCommand());
  program.addCommand(lintCommand());
  program.addCommand(execCommand());
  program.addCommand(starlarkCommand());
  program.addCommand(repoCommand());
  program.addCommand(buildCommand());
  program.addCommand(secretCommand());
  program.addCommand(demoCommand());
  for (const command of clientCommands()) program.addCommand(command);
  withGlobalClientOptions(program);
  return program;
}

exitQuietlyWhenOutputCloses();
try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  console.error(`hangar: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = exitCodeFor(err);
}
