// Accept: the only claim of a stage (DESIGN §3.3). One conditional UPDATE: it succeeds only while the
// stage is pending and unclaimed, so of two runners accepting one stage exactly one wins. It grants the
// short accept lease; the time since the stage became pending is the dispatch latency.

import { type Kysely, sql } from 'kysely';
import { sqlNowMs } from '../dialect.js';
import { queryShape } from '../query-shape.js';
import type { Database } from '../schema.js';
import type { StageRow } from '../rows.js';

const accepted = queryShape((db: Kysely<Database>, v: { stageId: number; machine: string; updated: number; leaseMs: number }, dialect) => {
  const now = sqlNowMs(dialect);
  return db
    .updateTable('stages')
    .set({
      stage_machine: v.machine,
      stage_version: sql<number>`stage_version + 1`,
      stage_updated: v.updated,
      hangar_lease_until: sql<number>`${now} + ${v.leaseMs}`,
      hangar_reserved_until: 0,
    })
    .where('stage_id', '=', v.stageId)
    .where('stage_machine', '=', '')
    .where('stage_status', '=', 'pending')
    .returningAll()
    .returning(sql<number>`${now} - hangar_pending_ms`.as('waited_ms'));
});

export async function acceptStage(
  db: Kysely<Database>,
  stageId: number,
  machine: string,
  leaseMs: number,
): Promise<{ row: StageRow; waitedMs: number } | undefined> {
  const row = await accepted.first(db, { stageId, machine, updated: Math.floor(Date.now() / 1000), leaseMs });
  if (!row) return undefined;
  const { waited_ms, ...stage } = row;
  return { row: stage, waitedMs: Math.max(0, Number(waited_ms)) };
}
