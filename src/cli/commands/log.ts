// `hangar log view|purge`: one step's log, as the drone CLI reads and deletes it.

import { Command } from 'commander';
import type { Line } from '../../core/types.js';
import { repoPath } from '../client.js';
import { type Args, clientAction, integer } from './action.js';
import { printLines } from './build.js';
import { exitWithUsageCode } from './exit-codes.js';
import { printJson } from './output.js';

const STEP_ARGS = '<repo> <build> <stage> <step>';

/** `/api/repos/{o}/{n}/builds/{build}/logs/{stage}/{step}` from the four arguments. */
function logPath([slug, build, stage, step]: Args): string {
  return `/api/repos/${repoPath(slug ?? '')}/builds/${integer(build, 'build')}/logs/${integer(stage, 'stage')}/${integer(step, 'step')}`;
}

export function logCommand(): Command {
  const log = new Command('log').description('manage logs');
  clientAction<{ json?: boolean }>(
    log.command(`view ${STEP_ARGS}`).description("print a step's log").option('--json', "print the server's JSON (lines with pos, out, time)"),
    async (drone, args, options) => {
      const lines = await drone.list<Line>(logPath(args));
      if (options.json) printJson(lines);
      else printLines(lines);
    },
  );
  clientAction(log.command(`purge ${STEP_ARGS}`).description("delete a step's log"), async (drone, args) => {
    await drone.delete(logPath(args));
    console.log(`Purging logs for build ${args[0]}#${args[1]}`);
  });
  return exitWithUsageCode(log);
}
