// A query built and compiled once per dialect, then run with new values. Kysely builds an immutable tree
// and compiles it to SQL on every call; on the hot paths (the runner's calls, a build's creation, the
// API's token lookup) that was a sixth of a server's CPU (docs/PERFORMANCE.md).
//
// The builder runs once, with stand-ins for its values; the compiled statement remembers which of its
// parameters each stand-in became, and every later call only fills in the parameters. So a builder's
// values must reach the query as parameters, untouched: no branching on them, no arithmetic, no arrays
// spread into `in (…)` (the shape would depend on the value). A stand-in that does not come out as a
// parameter fails at the first call, and so does an undefined value (which would have dropped an insert
// column from the shape). Anything else in the builder is frozen at its first call: a time computed
// there (Date.now()) would be the same for ever, so it must be one of the values.

import { type CompiledQuery, type Compilable, type Kysely, PostgresAdapter, type QueryResult } from 'kysely';
import type { Dialect } from './dialect.js';

/** Where a value read by the builder ended up: the stand-in's key, recognised among the parameters. */
class StandIn {
  constructor(readonly key: string) {}
}

type Values = Record<string, unknown>;
type Slot = { key: string } | { constant: unknown };
type Template = { compiled: CompiledQuery; slots: readonly Slot[] };

export interface QueryShape<DB, V extends object, R> {
  /** Every row the statement returns. */
  rows(db: Kysely<DB>, values: V): Promise<R[]>;
  /** The first row, if any. */
  first(db: Kysely<DB>, values: V): Promise<R | undefined>;
  /** The first row of a statement that must return one (a write to a row its transaction holds locked). */
  one(db: Kysely<DB>, values: V): Promise<R>;
  /** The whole result (affected rows of a write without RETURNING). */
  run(db: Kysely<DB>, values: V): Promise<QueryResult<R>>;
}

/**
 * `build` receives the database, the values by name and the database's dialect, e.g.
 * `queryShape((db: Kysely<Database>, v: { id: number }) => db.selectFrom('repos').selectAll().where('repo_id', '=', v.id))`.
 */
type Builder<DB, V, R> = (db: Kysely<DB>, values: V, dialect: Dialect) => Compilable<R>;

export function queryShape<DB, V extends object, R>(build: Builder<DB, V, R>): QueryShape<DB, V, R> {
  // One template per dialect: a transaction shares its database's adapter, so it finds the same entry.
  const templates = new WeakMap<object, Template>();
  const compiledFor = (db: Kysely<DB>, values: V): CompiledQuery<R> => {
    const adapter = db.getExecutor().adapter;
    let template = templates.get(adapter);
    if (!template) {
      template = compileTemplate(db, build);
      templates.set(adapter, template);
    }
    return { ...template.compiled, parameters: fill(template.slots, values as Values) } as CompiledQuery<R>;
  };
  return {
    rows: async (db, values) => (await db.executeQuery(compiledFor(db, values))).rows,
    first: async (db, values) => (await db.executeQuery(compiledFor(db, values))).rows[0],
    one: async (db, values) => {
      const query = compiledFor(db, values);
      const row = (await db.executeQuery(query)).rows[0];
      if (row === undefined) throw new Error(`query shape: no row from: ${query.sql}`);
      return row;
    },
    run: (db, values) => db.executeQuery(compiledFor(db, values)),
  };
}

function compileTemplate<DB, V extends object, R>(db: Kysely<DB>, build: Builder<DB, V, R>): Template {
  const read = new Set<string>();
  const standIns = new Proxy({} as V, {
    get(_target, key) {
      if (typeof key !== 'string') return undefined;
      read.add(key);
      return new StandIn(key);
    },
  });
  const dialect: Dialect = db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
  const compiled = build(db, standIns, dialect).compile();
  const slots: Slot[] = compiled.parameters.map((p) => (p instanceof StandIn ? { key: p.key } : { constant: p }));
  const placed = new Set(slots.flatMap((slot) => ('key' in slot ? [slot.key] : [])));
  const lost = [...read].filter((key) => !placed.has(key));
  if (lost.length > 0) throw new Error(`query shape: ${lost.join(', ')} did not become a parameter of: ${compiled.sql}`);
  return { compiled, slots };
}

function fill(slots: readonly Slot[], values: Values): unknown[] {
  const parameters = new Array<unknown>(slots.length);
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    if ('constant' in slot) {
      parameters[i] = slot.constant;
      continue;
    }
    const value = values[slot.key];
    if (value === undefined) throw new Error(`query shape: no value for ${slot.key}`);
    parameters[i] = value;
  }
  return parameters;
}

/**
 * Rows to insert as values by name (`0.build_title`, …) and the shape's key: the columns each row sets.
 * A row's undefined column is left out, so the table's default applies, as with a plain Kysely insert.
 */
export function insertValues(rows: readonly object[]): { key: string; values: Record<string, unknown> } {
  const values: Record<string, unknown> = {};
  const columnsOfRows = rows.map((row, index) => {
    const columns: string[] = [];
    for (const [column, value] of Object.entries(row)) {
      if (value === undefined) continue;
      columns.push(column);
      values[`${index}.${column}`] = value;
    }
    return columns.join(',');
  });
  return { key: columnsOfRows.join('|'), values };
}

/** Inside a builder: the rows of `insertValues`'s key, each column a stand-in. */
export function insertRows(key: string, values: Record<string, unknown>): Record<string, unknown>[] {
  return key.split('|').map((columns, index) => Object.fromEntries(columns.split(',').map((column) => [column, values[`${index}.${column}`]])));
}

/**
 * One shape per key, for a query whose form depends on a few cases (which filter fields a runner sent,
 * which columns an insert sets). Keys must come from a small set: each is kept for the process's life.
 */
export function shapesByKey<S>(make: (key: string) => S): (key: string) => S {
  const shapes = new Map<string, S>();
  return (key) => {
    let shape = shapes.get(key);
    if (!shape) {
      shape = make(key);
      shapes.set(key, shape);
    }
    return shape;
  };
}
