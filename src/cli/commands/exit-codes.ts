// The exit codes of the API client commands (docs/cli.md), so scripts can tell a typo from a missing build.

import type { Command } from 'commander';
import { ApiClientError, InvalidSlugError, ServerUnreachableError } from '../client.js';

export const EXIT = {
  ok: 0,
  /** The server answered an error not listed below (400, 409, 5xx…), or an answer the CLI can't read. */
  failed: 1,
  /** Wrong arguments or flags: nothing was sent. */
  usage: 2,
  unauthorized: 3,
  forbidden: 4,
  notFound: 5,
  /** No answer: connection refused, DNS, TLS, a redirect (wrong DRONE_SERVER). */
  unreachable: 6,
} as const;

/** A mistake in the command line, caught before any request. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const BY_STATUS: Record<number, number> = { 401: EXIT.unauthorized, 403: EXIT.forbidden, 404: EXIT.notFound };

export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError || err instanceof InvalidSlugError) return EXIT.usage;
  if (err instanceof ServerUnreachableError) return EXIT.unreachable;
  if (err instanceof ApiClientError) return BY_STATUS[err.status] ?? EXIT.failed;
  return EXIT.failed;
}

/**
 * Commander prints its own usage errors (unknown option, missing argument) and then exits 1; make those exit
 * with EXIT.usage instead, on `command` and every command below it. Help and --version still exit 0.
 */
export function exitWithUsageCode(command: Command): Command {
  exitWithUsageCodeHere(command);
  for (const sub of command.commands) exitWithUsageCode(sub);
  return command;
}

/** The same for `command` alone (the root program: its other commands keep their own habits). */
export function exitWithUsageCodeHere(command: Command): Command {
  return command.exitOverride((err) => {
    process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
  });
}
