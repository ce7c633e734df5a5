// Dependency checks of a compiled step graph, which Drone only discovers when the stage runs ("missing
// vertex", "dependency cycle detected"). We report them before running, with the step's position.

import { configError, type ConfigError, type Position } from '../internal/position.js';

interface Vertex {
  name: string;
  depends_on?: string[];
  position?: Position;
}

export function lintStepGraph(steps: Vertex[]): ConfigError[] {
  const errors: ConfigError[] = [];
  const byName = new Map<string, Vertex>();
  for (const step of steps) byName.set(step.name, step);
  for (const step of steps) {
    for (const dep of step.depends_on ?? []) {
      if (!byName.has(dep)) errors.push(configError(`step ${step.name} depends on unknown step ${dep}`, step.position));
    }
  }
  const cycle = findCycle(steps, byName);
  if (cycle) {
    const first = byName.get(cycle[0]);
    errors.push(configError(`dependency cycle detected: ${cycle.join(' -> ')}`, first?.position));
  }
  return errors;
}

/** A cycle as a list of names (first name repeated at the end), or undefined. Iterative DFS. */
export function findCycle(vertices: Vertex[], byName: Map<string, Vertex>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of vertices) {
    if (state.has(start.name)) continue;
    const stack: Array<{ name: string; next: number }> = [{ name: start.name, next: 0 }];
    state.set(start.name, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const deps = byName.get(top.name)?.depends_on ?? [];
      if (top.next >= deps.length) {
        state.set(top.name, 'done');
        stack.pop();
        continue;
      }
      const dep = deps[top.next++];
      if (!byName.has(dep)) continue;
      const s = state.get(dep);
      if (s === 'visiting') {
        const names = stack.map((f) => f.name);
        return [...names.slice(names.indexOf(dep)), dep];
      }
      if (s === undefined) {
        state.set(dep, 'visiting');
        stack.push({ name: dep, next: 0 });
      }
    }
  }
  return undefined;
}
