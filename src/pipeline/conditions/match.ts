// Evaluation of `when` (steps) and `trigger` (pipelines) conditions, and the run policy a step's
// `when.status` turns into. Each field: a value matching any exclude pattern fails; else a value matching
// an include pattern passes; else it passes only if there are no include patterns. Fields are ANDed.

import type { Condition, Conditions } from '../manifest/types.js';
import { globMatch } from './glob.js';

/** The values a build offers to conditions. */
export interface MatchInput {
  action: string;
  branch: string;
  cron: string;
  event: string;
  instance: string;
  ref: string;
  repo: string;
  target: string;
}

export function conditionMatches(condition: Condition, value: string): boolean {
  if (condition.exclude.some((pattern) => globMatch(pattern, value))) return false;
  if (condition.include.some((pattern) => globMatch(pattern, value))) return true;
  return condition.include.length === 0;
}

export function isEmptyCondition(condition: Condition): boolean {
  return condition.include.length === 0 && condition.exclude.length === 0;
}

/** A step's `when` as the runners evaluate it (`status` and `paths` are not part of it). */
export function stepConditionsMatch(when: Conditions, input: MatchInput): boolean {
  return (
    conditionMatches(when.cron, input.cron) &&
    conditionMatches(when.ref, input.ref) &&
    conditionMatches(when.repo, input.repo) &&
    conditionMatches(when.instance, input.instance) &&
    conditionMatches(when.target, input.target) &&
    conditionMatches(when.event, input.event) &&
    conditionMatches(when.branch, input.branch) &&
    conditionMatches(when.action, input.action)
  );
}

/** A pipeline's `trigger` as the server evaluates it: like a step's, but without `instance`. */
export function triggerMatches(trigger: Conditions, input: Omit<MatchInput, 'instance'>): boolean {
  return stepConditionsMatch({ ...trigger, instance: { include: [], exclude: [] } }, { ...input, instance: '' });
}

export type RunPolicyName = 'on-success' | 'on-failure' | 'always';

/** `when.status` → run policy: both success and failure → always; failure → on-failure; else on-success. */
export function runPolicyOf(status: Condition): RunPolicyName {
  if (isEmptyCondition(status)) return 'on-success';
  const onFailure = conditionMatches(status, 'failure');
  if (onFailure && conditionMatches(status, 'success')) return 'always';
  return onFailure ? 'on-failure' : 'on-success';
}

/** `trigger.status` → the stage's on_success / on_failure flags (on_failure false unless status is set). */
export function stageRunFlags(status: Condition): { on_success: boolean; on_failure: boolean } {
  return {
    on_success: conditionMatches(status, 'success'),
    on_failure: isEmptyCondition(status) ? false : conditionMatches(status, 'failure'),
  };
}
