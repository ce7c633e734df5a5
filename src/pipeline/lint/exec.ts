// The exec runner's rules (drone-runner-exec engine/resource/parser.go): named, unique steps, no images.
// Hangar adds one: `clone` is reserved while the clone step is enabled (Drone would run two steps of
// that name and confuse their dependencies).

import { configError, type ConfigError } from '../internal/position.js';
import type { Pipeline } from '../manifest/types.js';
import { stepPosition } from './docker.js';

export function lintExecPipeline(pipeline: Pipeline): ConfigError[] {
  const errors: ConfigError[] = [];
  const names = new Set<string>();
  pipeline.steps.forEach((step, i) => {
    if (!step) {
      errors.push(configError(`Linter: step ${i + 1} is empty`, pipeline.keyPositions.steps ?? pipeline.position));
      return;
    }
    if (step.name === '') {
      errors.push(configError(`Linter: invalid or missing step name (step ${i + 1})`, stepPosition(step, pipeline, 'name')));
    } else if (names.has(step.name)) {
      errors.push(configError(`Linter: duplicate step name: ${step.name}`, stepPosition(step, pipeline, 'name')));
    } else if (step.name === 'clone' && !pipeline.clone.disable) {
      errors.push(configError('Linter: the step name clone is reserved for the clone step unless clone.disable is set', stepPosition(step, pipeline, 'name')));
    }
    if (step.image !== '') {
      errors.push(configError('Linter: cannot define images for an exec pipeline', stepPosition(step, pipeline, 'image')));
    }
    names.add(step.name);
  });
  return errors;
}
