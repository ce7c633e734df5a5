// `.drone.star` (and `.starlark`, `.script`) → configuration text, as Drone's server converts it: the script's
// main(ctx) result written as JSON documents (see starlark/drone.ts), then read like a `.drone.yml`.

import type { DroneContext } from '../starlark/context.js';
import { runDroneScript } from '../starlark/drone.js';
import type { ConversionResult } from './jsonnet.js';

export interface StarlarkInput {
  enabled: boolean;
  /** ctx.repo / ctx.build as Drone fills them (starlark/context.ts droneContext). */
  context: DroneContext;
  /** DRONE_STARLARK_STEP_LIMIT; 0 or unset → Drone's default. */
  stepLimit?: number;
  /** DRONE_STARLARK_SIZE_LIMIT; 0 or unset → Drone's default. */
  sizeLimit?: number;
}

export const STARLARK_PATH = /\.(star|starlark|script)$/;

export function convertStarlark(source: string, filename: string, input: Omit<StarlarkInput, 'enabled'>): ConversionResult {
  const result = runDroneScript(source, filename, input.context, { stepLimit: input.stepLimit, sizeLimit: input.sizeLimit });
  return result.ok ? { ok: true, yaml: result.text } : { ok: false, error: result.error };
}
