// Every rule Drone applies to a configuration, server and runners together, reporting all problems at once
// (Drone stops at the first, and finds the runner's ones only when a stage runs). Used by `hangar lint`.

import { orderSteps } from '../compile/graph.js';
import { configError, type ConfigError, type Position } from '../internal/position.js';
import { parseManifest, prepareSource, type Manifest } from '../manifest/parse.js';
import type { Pipeline } from '../manifest/types.js';
import { lintDockerParse, lintDockerPipeline } from './docker.js';
import { lintExecPipeline } from './exec.js';
import { lintStepGraph } from './graph.js';
import { lintManifest } from './server.js';

export interface LintOptions {
  /** Lint as a trusted repository (privileged mode, host volumes... allowed). */
  trusted: boolean;
}

export function lintConfig(text: string, options: LintOptions): ConfigError[] {
  const source = prepareSource(text);
  const server = parseManifest(source, 'server');
  if (!server.ok) return sortErrors(server.errors);
  const errors: ConfigError[] = [...truncation(server.manifest), ...lintManifest(server.manifest.pipelines)];

  const docker = parseManifest(source, 'docker');
  if (!docker.ok) errors.push(...docker.errors);
  else {
    for (const pipeline of docker.manifest.pipelines) {
      errors.push(...lintDockerParse(pipeline), ...lintDockerPipeline(pipeline, options.trusted));
    }
  }

  const exec = parseManifest(source, 'exec');
  if (!exec.ok) errors.push(...exec.errors);
  else {
    for (const pipeline of exec.manifest.pipelines) {
      const execErrors = lintExecPipeline(pipeline);
      errors.push(...execErrors);
      if (execErrors.length === 0) errors.push(...lintGraph(pipeline));
    }
  }
  return sortErrors(dedupe(errors));
}

function truncation(manifest: Manifest): ConfigError[] {
  if (manifest.truncatedAtLine === undefined) return [];
  return [
    configError('this line is 64 KiB or longer: Drone stops reading the file here and ignores the rest', {
      line: manifest.truncatedAtLine,
      column: 1,
    }),
  ];
}

function lintGraph(pipeline: Pipeline): ConfigError[] {
  const vertices: Array<{ name: string; depends_on: string[]; position?: Position }> = pipeline.steps.flatMap((s) =>
    s ? [{ name: s.name, depends_on: [...s.depends_on], position: s.keyPositions.depends_on ?? s.position }] : [],
  );
  if (!pipeline.clone.disable) vertices.unshift({ name: 'clone', depends_on: [] });
  orderSteps(vertices, pipeline.clone.disable);
  return lintStepGraph(vertices);
}

function dedupe(errors: ConfigError[]): ConfigError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.position?.line}:${e.position?.column}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sortErrors(errors: ConfigError[]): ConfigError[] {
  return [...errors].sort((a, b) => (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.column ?? 0) - (b.position?.column ?? 0));
}
