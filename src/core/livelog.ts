// Live log streams (DESIGN §3.6 tier a): one positioned stream per step. A line is identified by its `pos`,
// so a repeated or late line never shows twice; the stored log (tier c) is the authority, this is a view.

import type { Unsubscribe } from './bus.js';
import type { Line } from './types.js';

export interface LiveLog {
  /** A step started: its stream exists from now on (idempotent). */
  open(stepId: number): void;
  /**
   * Appends lines; lines at or below the stream's highest position are dropped (from the live view only).
   * Resolves once the lines are in the stream, or could not be written (it never rejects): a caller that
   * waits keeps consecutive batches in order even when they reach different servers.
   */
  write(stepId: number, lines: Line[]): Promise<void>;
  /** The step ended: every tail of the stream, on every server, gets its end. */
  close(stepId: number): void;
  /**
   * Follows a step: the retained lines after position `after` (-1 for all), in order, then every new one,
   * until the stream ends (`onEnd`) or the returned function is called. A stream nobody opened yet is waited for.
   */
  tail(stepId: number, after: number, onLine: (line: Line) => void, onEnd: () => void): Unsubscribe;
  /** Streams open on this server (metrics). */
  size(): number;
  /** Stops background work (the Redis tailer) at shutdown. */
  shutdown?(): Promise<void>;
}
