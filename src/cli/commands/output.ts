// Shared pieces of the API client commands: the --server/--token options and JSON output.

import type { Command } from 'commander';

export function withClient(command: Command): Command {
  return command
    .option('-s, --server <url>', 'server address (default: $DRONE_SERVER or http://localhost:8080)')
    .option('-t, --token <token>', 'API token (default: $DRONE_TOKEN)');
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}
