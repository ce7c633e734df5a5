// Telling a replay from a conflict (DESIGN §3a): a runner whose response was lost sends the same update
// again with its old version. If the stored row already says what the body says, the update happened:
// answer 200 with the stored row. Otherwise it is a real conflict (409).

import type { Stage, Step } from '../../core/types.js';
import { MAX_ERROR, type StageRow, type StepRow, toNumber, toText, truncate } from '../rows.js';

export function stageMatches(row: StageRow, body: Stage): boolean {
  return (
    row.stage_status === body.status &&
    toNumber(row.stage_started) === (body.started ?? 0) &&
    toNumber(row.stage_stopped) === (body.stopped ?? 0) &&
    toNumber(row.stage_exit_code) === (body.exit_code ?? 0) &&
    toText(row.stage_error) === truncate(body.error, MAX_ERROR) &&
    (!body.machine || toText(row.stage_machine) === body.machine)
  );
}

export function stepMatches(row: StepRow, body: Step): boolean {
  return (
    row.step_status === body.status &&
    toNumber(row.step_started) === (body.started ?? 0) &&
    toNumber(row.step_stopped) === (body.stopped ?? 0) &&
    toNumber(row.step_exit_code) === (body.exit_code ?? 0) &&
    toText(row.step_error) === truncate(body.error, MAX_ERROR) &&
    toText(row.step_schema) === (body.schema ?? '')
  );
}

/** The columns of a step that a runner's final word on its stage sets (those stepMatches compares). */
export function finalStepColumns(body: Step) {
  return {
    step_status: body.status,
    step_error: truncate(body.error, MAX_ERROR),
    step_exit_code: body.exit_code ?? 0,
    step_started: body.started ?? 0,
    step_stopped: body.stopped ?? 0,
    step_schema: body.schema ?? '',
  };
}
