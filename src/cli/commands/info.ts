// `hangar info`: who the token belongs to (GET /api/user).

import { Command } from 'commander';
import type { User } from '../../core/types.js';
import { clientAction } from './action.js';
import { exitWithUsageCode } from './exit-codes.js';
import { type PrintOptions, printItem, withOutput } from './output.js';

const INFO_TEMPLATE = `User: {{ .Login }}
Email: {{ .Email }}`;

export function infoCommand(): Command {
  const info = withOutput(new Command('info').description('show the current user'), 'Login, Email, Admin, Active, Machine');
  clientAction<PrintOptions>(info, async (drone, _args, options) => printItem(await drone.get<User>('/api/user'), options, INFO_TEMPLATE));
  return exitWithUsageCode(info);
}
