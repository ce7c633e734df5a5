// What every transition needs: the database, its dialect, and the clock for Drone's second columns.

import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from '../dialect.js';
import type { Database } from '../schema.js';

export interface TransitionContext {
  db: Kysely<Database>;
  dialect: Dialect;
}

export type Trx = Transaction<Database>;

/** Drone's time columns: Unix seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
