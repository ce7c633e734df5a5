// The pipelines a configuration defines, by name and type, in file order (for `hangar exec`'s default
// pipeline and its error messages). The file is read as the server reads it.

import { parseManifest } from './manifest/parse.js';

export interface PipelineSummary {
  name: string;
  type: string;
}

export function listPipelines(source: string): PipelineSummary[] {
  const { manifest } = parseManifest(source, 'server');
  return manifest.pipelines.map((pipeline) => ({ name: pipeline.name || 'default', type: pipeline.type || 'docker' }));
}
