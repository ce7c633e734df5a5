// The shape of one of Drone's migrations, and Drone's own bookkeeping table.
//
// Drone (store/shared/migrate/*/ddl_gen.go) records each applied statement by name in `migrations`,
// a one-column table with a UNIQUE name and no primary key. On start it applies, in list order, every
// statement whose name is missing (set membership, not order) and records the name right after it.

/** One of Drone's migration statements, under the exact name Drone records for it. */
export interface DroneMigration {
  readonly name: string;
  readonly sql: string;
}

/** Drone's `migrations` table, the same text on SQLite and PostgreSQL. */
export const DRONE_MIGRATIONS_TABLE_SQL = `
CREATE TABLE IF NOT EXISTS migrations (
 name VARCHAR(255)
,UNIQUE(name)
)
`;
