// How an API client command runs: -s/--server and -t/--token on the command (and before it, on `hangar`
// itself, as `drone -s … -t … build ls` takes them), a client built from them, and the parsed arguments.

import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { clientSettings, DroneClient } from '../client.js';
import { exitWithUsageCodeHere, UsageError } from './exit-codes.js';
import { withClient } from './output.js';

/** The arguments as declared (`<repo> [build]`): a missing optional one is undefined. */
export type Args = (string | undefined)[];

export type ClientHandler<O> = (drone: DroneClient, args: Args, options: O) => Promise<void>;

/**
 * Gives the root program -s/--server and -t/--token, read only before the subcommand (`hangar -s URL build ls`),
 * and makes its own usage errors (`hangar nosuch`) exit 2.
 */
export function withGlobalClientOptions(program: Command): Command {
  return exitWithUsageCodeHere(withClient(program).enablePositionalOptions());
}

/**
 * Runs `handler` with a client for -s/-t (of the command, else of `hangar`, else DRONE_SERVER/DRONE_TOKEN).
 * `ownsToken`: the command has its own --token (`user add --token`), so its API token comes only from
 * `hangar -t …` or DRONE_TOKEN, as in drone's CLI.
 */
export function clientAction<O extends object>(command: Command, handler: ClientHandler<O>, { ownsToken = false } = {}): Command {
  return withClient(command, { token: !ownsToken }).action(async (...received: unknown[]) => {
    const self = received[received.length - 1] as Command;
    const options = self.optsWithGlobals<O & ConnectionOptions>();
    const connection = ownsToken ? { server: options.server, token: self.parent?.optsWithGlobals<ConnectionOptions>().token } : options;
    await handler(new DroneClient(clientSettings(connection)), self.processedArgs as Args, options);
  });
}

type ConnectionOptions = { server?: string; token?: string };

/** A required positional argument that drone declares optional (`[name]`), checked as drone does. */
export function required(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

/** A build, stage or step number. */
export function integer(value: string | undefined, what: string): number {
  if (!value || !/^[+-]?\d+$/.test(value)) throw new UsageError(`${what} must be a number, not "${value ?? ''}"`);
  return Number(value);
}

/** `@path` → the file's content (drone's convention for --data and secret values); anything else as given. */
export function dataArgument(value: string | undefined): string | undefined {
  if (!value?.startsWith('@')) return value;
  try {
    return readFileSync(value.slice(1), 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${value.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** `-p KEY=value` pairs as drone's ParseKeyPair reads them: entries without `=` are ignored. */
export function keyPairs(pairs: string[] | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const at = pair.indexOf('=');
    if (at > 0) params[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return params;
}

/** Commander collector for repeatable options (`-p A=1 -p B=2`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The value of a `--flag [bool]` option: alone it means true; `--flag false` turns the setting off. */
export function parseBool(value: string): boolean {
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new InvalidArgumentError('expected true or false.');
}
