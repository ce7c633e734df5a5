// The steps a runner reports for a compiled stage (runner algorithm step 12): every compiled step but
// those whose `when` never matches, numbered from 1 in plan order, pending, with the stage's id in `step_id`.

import type { Step } from '../core/types.js';
import { ErrPolicy, RunPolicy } from '../pipeline/spec.js';
import type { PlannedStep } from './engine.js';
import { errPolicyOf, runPolicyOf } from './execute.js';

export function reportedSteps(spec: { steps: PlannedStep[] }, stageId: number): Step[] {
  const steps: Step[] = [];
  for (const step of spec.steps) {
    if (runPolicyOf(step.run_policy) === RunPolicy.Never) continue;
    steps.push({
      id: 0,
      step_id: stageId,
      number: steps.length + 1,
      name: step.name,
      status: 'pending',
      exit_code: 0,
      version: 0,
      errignore: errPolicyOf(step.err_policy) === ErrPolicy.Ignore,
      detached: step.detach ?? false,
      depends_on: step.depends_on ?? [],
    });
  }
  return steps;
}
