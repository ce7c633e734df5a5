// Constants written into a statement's text instead of bound as parameters. A partial index (the stages
// pending and unclaimed, the stages or builds pending or running) serves a query only when the query's
// text names the index's constants: neither SQLite nor PostgreSQL's generic plan of a prepared statement
// can know that a parameter will be 'pending', and without the index a query reads the whole history.

import { type RawBuilder, sql } from 'kysely';

/** One constant: `'pending'`. */
export function literal<T extends string | number>(value: T): RawBuilder<T> {
  return sql.lit(value);
}

/** A list of constants for `in`: `('pending', 'running')`. */
export function literalList<T extends string>(values: readonly T[]): RawBuilder<T> {
  return sql<T>`(${sql.join(values.map((value) => sql.lit(value)))})`;
}
