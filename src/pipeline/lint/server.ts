// The server's rules (drone-yaml linter): `Manifest` is what Drone's trigger applies before creating a
// build; `lintContainers` is drone-yaml's per-pipeline linter, which `hangar lint` also applies.

import { configError, type ConfigError } from '../internal/position.js';
import type { Pipeline, Platform } from '../manifest/types.js';
import { stepPosition } from './docker.js';

const OS = new Set(['linux', 'windows']);
const ARCH = new Set(['arm', 'arm64', 'amd64', 'ppc64le', 's390x']);

/** Unique pipeline names, dependencies on earlier pipelines only, valid docker platforms. */
export function lintManifest(pipelines: Pipeline[]): ConfigError[] {
  const errors: ConfigError[] = [];
  const names = new Set<string>();
  for (const pipeline of pipelines) {
    const at = pipeline.keyPositions.name ?? pipeline.position;
    if (names.has(pipeline.name)) {
      errors.push(configError(`linter: duplicate pipeline names: ${pipeline.name || '(unnamed)'}`, at));
    }
    names.add(pipeline.name);
    for (const dep of pipeline.depends_on) {
      const depAt = pipeline.keyPositions.depends_on ?? pipeline.position;
      if (!names.has(dep)) {
        errors.push(
          configError(`linter: invalid or unknown pipeline dependency: ${pipeline.name} depends on ${dep}, which is not defined before it`, depAt),
        );
      } else if (dep === pipeline.name) {
        errors.push(configError(`linter: pipeline cannot have a dependency on itself: ${dep}`, depAt));
      }
    }
    if ((pipeline.kind === 'pipeline' || pipeline.kind === '') && (pipeline.type === '' || pipeline.type === 'docker')) {
      errors.push(...lintPlatform(pipeline));
    }
  }
  return errors;
}

function lintPlatform(pipeline: Pipeline): ConfigError[] {
  const platform: Platform = pipeline.platform;
  const at = pipeline.keyPositions.platform ?? pipeline.position;
  const errors: ConfigError[] = [];
  if (platform.os !== '' && !OS.has(platform.os)) errors.push(configError(`linter: unsupported os: ${platform.os}`, at));
  if (platform.arch !== '' && !ARCH.has(platform.arch)) {
    errors.push(configError(`linter: unsupported architecture: ${platform.arch}`, at));
  }
  return errors;
}

/** drone-yaml's per-pipeline linter (volumes, platform, then steps and services). */
export function lintContainers(pipeline: Pipeline, trusted: boolean): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const volume of pipeline.volumes) {
    if (!volume) continue;
    const at = volume.position ?? pipeline.position;
    if (volume.temp && !trusted && volume.temp.medium === 'memory') {
      errors.push(configError('linter: untrusted repositories cannot mount in-memory volumes', at));
    }
    if (volume.host && !trusted) errors.push(configError('linter: untrusted repositories cannot mount host volumes', at));
    if (['workspace', '_workspace', '_docker_socket'].includes(volume.name)) {
      errors.push(configError(`linter: invalid volume name: ${volume.name}`, at));
    }
  }
  errors.push(...lintPlatform(pipeline));
  const names = new Set<string>();
  if (!pipeline.clone.disable) names.add('clone');
  const check = (withDeps: boolean) => (step: Pipeline['steps'][number]) => {
    if (!step) {
      errors.push(configError('linter: nil step', pipeline.position));
      return;
    }
    if (names.has(step.name)) errors.push(configError(`linter: duplicate step names: ${step.name}`, stepPosition(step, pipeline, 'name')));
    names.add(step.name);
    const at = (key: string) => stepPosition(step, pipeline, key);
    if (!trusted && step.ports.some((p) => p.host !== 0)) {
      errors.push(configError('linter: untrusted repositories cannot map to a host port', at('ports')));
    }
    if (!step.build && step.image === '') errors.push(configError('linter: invalid or missing image', at('image')));
    if (step.build && step.build.image === '') errors.push(configError('linter: invalid or missing build image', at('build')));
    if (step.name === '') errors.push(configError('linter: invalid or missing name', at('name')));
    if (!trusted) {
      if (step.privileged) errors.push(configError('linter: untrusted repositories cannot enable privileged mode', at('privileged')));
      if (step.devices.length > 0) errors.push(configError('linter: untrusted repositories cannot mount devices', at('devices')));
      if (step.dns.length > 0) errors.push(configError('linter: untrusted repositories cannot configure dns', at('dns')));
      if (step.dns_search.length > 0) errors.push(configError('linter: untrusted repositories cannot configure dns_search', at('dns_search')));
      if (step.extra_hosts.length > 0) errors.push(configError('linter: untrusted repositories cannot configure extra_hosts', at('extra_hosts')));
      if (step.network_mode !== '') errors.push(configError('linter: untrusted repositories cannot configure network_mode', at('network_mode')));
    }
    for (const mount of step.volumes) {
      if (['workspace', '_workspace', '_docker_socket'].includes(mount.name)) {
        errors.push(configError(`linter: invalid volume name: ${mount.name}`, at('volumes')));
      }
    }
    if (!withDeps) return;
    for (const dep of step.depends_on) {
      if (!names.has(dep)) errors.push(configError(`linter: invalid or unknown step dependency: ${step.name} references ${dep}`, at('depends_on')));
      else if (dep === step.name) errors.push(configError(`linter: cyclical step dependency detected: ${dep}`, at('depends_on')));
    }
  };
  pipeline.steps.forEach(check(true));
  pipeline.services.forEach(check(false));
  return errors;
}
