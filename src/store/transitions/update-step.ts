// PUT /rpc/v2/step: a step starts or finishes. It begins with a conditional update of its stage row
// (`… WHERE stage_status = 'running'`), which renews the stage's lease, records that a step started (so an
// expired stage is failed, not re-queued) and serialises the stage's writers (DESIGN §3.2). Zero rows: the
// stage was cancelled, expired or finished — a replay of what is stored gets 200, anything else 409.

import { sql } from 'kysely';
import type { UpdateOutcome } from '../../core/store.js';
import type { Step } from '../../core/types.js';
import { sqlNowMs, writeTransaction } from '../dialect.js';
import { MAX_ERROR, type StepRow, rowToStep, toNumber, truncate } from '../rows.js';
import { type TransitionContext, type Trx } from './context.js';
import { stepMatches } from './replay.js';

export async function updateStep(ctx: TransitionContext, body: Step, leaseMs: number): Promise<UpdateOutcome<Step>> {
  return writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const before = await findStep(trx, body.id);
    if (!before) return { kind: 'not_found' };
    const starting = body.status === 'running';
    const stage = await trx
      .updateTable('stages')
      .set({
        hangar_lease_until: sql<number>`${sqlNowMs(ctx.dialect)} + ${leaseMs}`,
        ...(starting ? { hangar_steps_started: true } : {}),
      })
      .where('stage_id', '=', before.step_stage_id)
      .where('stage_status', '=', 'running')
      .returning('stage_id')
      .executeTakeFirst();
    // Read again under the stage's lock: another writer of this stage may have committed meanwhile.
    const current = stage ? await findStep(trx, body.id) : before;
    if (!current) return { kind: 'not_found' };
    if (!stage || toNumber(current.step_version) !== body.version) {
      if (stepMatches(current, body)) return { kind: 'replay', value: rowToStep(current) };
      return { kind: 'conflict', reason: stage ? `step is at version ${current.step_version}` : 'stage is not running' };
    }
    const updated = await trx
      .updateTable('steps')
      .set({
        step_name: body.name || current.step_name,
        step_status: body.status,
        step_error: truncate(body.error, MAX_ERROR),
        step_errignore: Boolean(body.errignore),
        step_exit_code: body.exit_code ?? 0,
        step_started: body.started ?? 0,
        step_stopped: body.stopped ?? 0,
        step_schema: body.schema ?? '',
        step_version: sql<number>`step_version + 1`,
      })
      .where('step_id', '=', current.step_id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { kind: 'applied', value: rowToStep(updated) };
  });
}

function findStep(trx: Trx, stepId: number): Promise<StepRow | undefined> {
  return trx.selectFrom('steps').selectAll().where('step_id', '=', stepId).executeTakeFirst();
}
