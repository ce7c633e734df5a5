// The docker runner's rules (drone-runner-docker engine/resource/parser.go and engine/linter), in Drone's
// order, with Drone's messages. Drone stops at the first broken rule; we report them all, first one first.

import { configError, type ConfigError, type Position } from '../internal/position.js';
import type { Pipeline, Step } from '../manifest/types.js';
import { cleanPath } from '../internal/paths.js';

const RESERVED_VOLUMES = new Set(['workspace', '_workspace', '_docker_socket']);

/** Checks done while parsing: steps only (not services), applied to every docker pipeline of the file. */
export function lintDockerParse(pipeline: Pipeline): ConfigError[] {
  const errors: ConfigError[] = [];
  const names = new Set<string>();
  pipeline.steps.forEach((step, i) => {
    if (!step) {
      errors.push(configError('Linter: detected nil step', pipeline.keyPositions.steps ?? pipeline.position));
      return;
    }
    const at = stepPosition(step, pipeline, 'name');
    if (step.name === '') errors.push(configError(`Linter: invalid or missing step name (step ${i + 1})`, at));
    else if ([...step.name].length > 100) errors.push(configError('Linter: step name cannot exceed 100 characters', at));
    else if (names.has(step.name)) errors.push(configError(`Linter: duplicate step name: ${step.name}`, at));
    names.add(step.name);
  });
  return errors;
}

/** The docker runner's linter for the pipeline it is about to run. */
export function lintDockerPipeline(pipeline: Pipeline, trusted: boolean): ConfigError[] {
  return [...checkSteps(pipeline, trusted), ...checkVolumes(pipeline, trusted)];
}

function checkSteps(pipeline: Pipeline, trusted: boolean): ConfigError[] {
  const errors: ConfigError[] = [];
  const names = new Set<string>();
  if (!pipeline.clone.disable) names.add('clone');
  for (const step of [...pipeline.services, ...pipeline.steps]) {
    if (!step) {
      errors.push(configError('linter: nil step', pipeline.position));
      continue;
    }
    if (names.has(step.name)) {
      const reserved = step.name === 'clone' ? ' (clone is reserved for the clone step unless clone.disable is set)' : '';
      errors.push(configError(`linter: duplicate step names: ${step.name}${reserved}`, stepPosition(step, pipeline, 'name')));
    }
    names.add(step.name);
    errors.push(...checkStep(step, pipeline, trusted));
    errors.push(...checkDeps(step, pipeline, names));
  }
  return errors;
}

function checkStep(step: Step, pipeline: Pipeline, trusted: boolean): ConfigError[] {
  const errors: ConfigError[] = [];
  const at = (key: string): Position | undefined => stepPosition(step, pipeline, key);
  if (step.image === '') errors.push(configError('linter: invalid or missing image', at('image')));
  if (!trusted) {
    if (step.privileged) errors.push(configError('linter: untrusted repositories cannot enable privileged mode', at('privileged')));
    if (step.devices.length > 0) errors.push(configError('linter: untrusted repositories cannot mount devices', at('devices')));
    if (step.dns.length > 0) errors.push(configError('linter: untrusted repositories cannot configure dns', at('dns')));
    if (step.dns_search.length > 0) errors.push(configError('linter: untrusted repositories cannot configure dns_search', at('dns_search')));
    if (step.extra_hosts.length > 0) errors.push(configError('linter: untrusted repositories cannot configure extra_hosts', at('extra_hosts')));
    if (step.network_mode !== '') errors.push(configError('linter: untrusted repositories cannot configure network_mode', at('network_mode')));
    if (step.shm_size > 0) errors.push(configError('linter: untrusted repositories cannot configure shm_size', at('shm_size')));
  }
  for (const mount of step.volumes) {
    if (RESERVED_VOLUMES.has(mount.name)) {
      errors.push(configError(`linter: invalid volume name: ${mount.name}`, at('volumes')));
    } else if (cleanPath(mount.path).startsWith('/run/drone')) {
      errors.push(configError('linter: cannot mount volume at /run/drone', at('volumes')));
    }
  }
  return errors;
}

function checkDeps(step: Step, pipeline: Pipeline, declared: Set<string>): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const dep of step.depends_on) {
    const at = stepPosition(step, pipeline, 'depends_on');
    if (!declared.has(dep)) {
      errors.push(configError(`linter: unknown step dependency detected: ${step.name} references ${dep}`, at));
    } else if (dep === step.name) {
      errors.push(configError(`linter: cyclical step dependency detected: ${dep}`, at));
    }
  }
  return errors;
}

function checkVolumes(pipeline: Pipeline, trusted: boolean): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const volume of pipeline.volumes) {
    if (!volume) continue;
    const at = volume.position ?? pipeline.keyPositions.volumes;
    if (volume.temp && !trusted && volume.temp.medium === 'memory') {
      errors.push(configError('linter: untrusted repositories cannot mount in-memory volumes', at));
    }
    if (volume.host && !trusted) errors.push(configError('linter: untrusted repositories cannot mount host volumes', at));
    if (volume.name === '') errors.push(configError('linter: missing volume name', at));
    else if (RESERVED_VOLUMES.has(volume.name)) errors.push(configError(`linter: invalid volume name: ${volume.name}`, at));
  }
  return errors;
}

export function stepPosition(step: Step, pipeline: Pipeline, key: string): Position | undefined {
  return step.keyPositions[key] ?? step.position ?? pipeline.position;
}
