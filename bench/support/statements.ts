// Statements the servers send PostgreSQL, counted by the database itself (pg_stat_statements, loaded by
// scripts/postgres-start.sh): BEGIN and COMMIT count as statements, and so does every background statement
// (sweep, heartbeats) issued while the window is open, so the count per build is what the database pays.

import pg from 'pg';

export interface StatementCount {
  /** Every statement executed in the database during the window. */
  statements: number;
  /** Transactions committed in the database during the window (pg_stat_database.xact_commit). */
  commits: number;
  /** The statements executed most often, for the profile section of the report. */
  top: Array<{ calls: number; meanMs: number; query: string }>;
}

/** Opens a counting window on the database at `databaseUrl`; `stop()` returns what ran since. */
export async function countStatements(databaseUrl: string): Promise<{ stop(): Promise<StatementCount> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await client.query('SELECT pg_stat_statements_reset()');
  const commitsBefore = await commits(client);
  return {
    async stop() {
      try {
        // pg_stat_database is a snapshot per transaction: a fresh one is read outside any.
        await client.query('SELECT pg_stat_clear_snapshot()');
        const committed = (await commits(client)) - commitsBefore;
        const { rows } = await client.query<{ calls: string; mean_exec_time: number; query: string }>(
          `SELECT calls, mean_exec_time, query FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND query NOT LIKE '%pg_stat%' ORDER BY calls DESC`,
        );
        const statements = rows.reduce((sum, row) => sum + Number(row.calls), 0);
        return { statements, commits: committed, top: rows.slice(0, 40).map((row) => ({ calls: Number(row.calls), meanMs: row.mean_exec_time, query: row.query.replace(/\s+/g, ' ').slice(0, 160) })) };
      } finally {
        await client.end();
      }
    },
  };
}

async function commits(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ xact_commit: string }>('SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()');
  return Number(rows[0].xact_commit);
}
