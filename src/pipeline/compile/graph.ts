// How Drone's compilers order steps: without any `depends_on` the steps (clone, services, steps) run one
// after another; as soon as one step declares dependencies the stage becomes a graph, in which every step
// without dependencies waits for the clone step (if there is one).

interface GraphStep {
  name: string;
  depends_on?: string[];
}

export function isGraph(steps: GraphStep[]): boolean {
  return steps.some((step) => (step.depends_on?.length ?? 0) > 0);
}

/** Applies Drone's ordering rules in place. */
export function orderSteps(steps: GraphStep[], cloneDisabled: boolean): void {
  if (!isGraph(steps)) {
    for (let i = 1; i < steps.length; i++) steps[i].depends_on = [steps[i - 1].name];
    return;
  }
  if (!cloneDisabled) {
    for (const step of steps) {
      if (step.name === 'clone') continue;
      if ((step.depends_on?.length ?? 0) === 0) step.depends_on = ['clone'];
    }
    return;
  }
  if (steps.some((step) => step.name === 'clone')) return;
  for (const step of steps) {
    if (step.depends_on?.length === 1 && step.depends_on[0] === 'clone') step.depends_on = [];
  }
}
