// The drone CLI's client command groups that Hangar adds beside its older build, repo and secret commands.

import type { Command } from 'commander';
import { cronCommand } from './cron.js';
import { encryptCommand } from './encrypt.js';
import { infoCommand } from './info.js';
import { logCommand } from './log.js';
import { orgSecretCommand } from './orgsecret.js';
import { queueCommand } from './queue.js';
import { signCommand } from './sign.js';
import { templateCommand } from './template.js';
import { userCommand } from './user.js';

export function clientCommands(): Command[] {
  return [logCommand(), orgSecretCommand(), cronCommand(), userCommand(), templateCommand(), queueCommand(), infoCommand(), signCommand(), encryptCommand()];
}
