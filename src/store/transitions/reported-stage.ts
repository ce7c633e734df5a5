// What a runner reports of a stage when it starts or ends it, as the values of a query shape and as the
// columns the stage update sets.

import { sql } from 'kysely';
import type { Stage } from '../../core/types.js';
import { MAX_ERROR, truncate } from '../rows.js';

export interface ReportedStage {
  stageId: number;
  status: string;
  error: string;
  errignore: boolean;
  exitCode: number;
  started: number;
  stopped: number;
  /** Drone's `stage_updated`, in seconds. */
  now: number;
}

export function reportedStage(body: Stage, times: { started: number; stopped: number; now: number }): ReportedStage {
  return {
    stageId: body.id,
    status: body.status,
    error: truncate(body.error, MAX_ERROR),
    errignore: Boolean(body.errignore),
    exitCode: body.exit_code ?? 0,
    ...times,
  };
}

/** The stage columns a report sets, its version bumped. */
export function reportedStageColumns(v: ReportedStage) {
  return {
    stage_status: v.status,
    stage_error: v.error,
    stage_errignore: v.errignore,
    stage_exit_code: v.exitCode,
    stage_started: v.started,
    stage_stopped: v.stopped,
    stage_updated: v.now,
    stage_version: sql<number>`stage_version + 1`,
  };
}
