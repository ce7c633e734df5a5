// Accept: the only claim of a stage (DESIGN §3.3). One conditional UPDATE: it succeeds only while the
// stage is pending and unclaimed, so of two runners accepting one stage exactly one wins. It grants the
// short accept lease; the time since the stage became pending is the dispatch latency.

import { type Kysely, sql } from 'kysely';
import { type Dialect, sqlNowMs } from '../dialect.js';
import type { Database } from '../schema.js';
import type { StageRow } from '../rows.js';

export async function acceptStage(
  db: Kysely<Database>,
  dialect: Dialect,
  stageId: number,
  machine: string,
  leaseMs: number,
): Promise<{ row: StageRow; waitedMs: number } | undefined> {
  const now = sqlNowMs(dialect);
  const row = await db
    .updateTable('stages')
    .set({
      stage_machine: machine,
      stage_version: sql<number>`stage_version + 1`,
      stage_updated: Math.floor(Date.now() / 1000),
      hangar_lease_until: sql<number>`${now} + ${leaseMs}`,
      hangar_reserved_until: 0,
    })
    .where('stage_id', '=', stageId)
    .where('stage_machine', '=', '')
    .where('stage_status', '=', 'pending')
    .returningAll()
    .returning(sql<number>`${now} - hangar_pending_ms`.as('waited_ms'))
    .executeTakeFirst();
  if (!row) return undefined;
  const { waited_ms, ...stage } = row;
  return { row: stage, waitedMs: Math.max(0, Number(waited_ms)) };
}
