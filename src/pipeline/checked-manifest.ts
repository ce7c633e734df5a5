// A configuration parsed and linted for the server's trigger, kept by its text: parsing and linting depend
// on the text alone, and most builds of a repository share one `.drone.yml`, so a busy repository's builds
// skip both (about half of planning a build). What is kept is frozen: a consumer that tried to change it
// would change every later build of that text, and fails loudly instead.

import { BoundedMap } from '../core/bounded-map.js';
import type { ConfigError } from './internal/position.js';
import { lintManifest } from './lint/server.js';
import { type ManifestResult, parseManifest } from './manifest/parse.js';

export interface CheckedManifest {
  parsed: ManifestResult;
  /** The lint's findings on the pipelines; empty when the text did not parse. */
  lintErrors: ConfigError[];
}

const ENTRIES = 64;
/** Larger texts are parsed each time: keeping them would hold megabytes for a rare repository. */
const MAX_KEPT_BYTES = 256 * 1024;
const kept = new BoundedMap<string, CheckedManifest>(ENTRIES);

export function checkedManifest(config: string): CheckedManifest {
  const known = kept.get(config);
  if (known) return known;
  const parsed = parseManifest(config, 'server');
  const checked: CheckedManifest = { parsed, lintErrors: parsed.ok ? lintManifest(parsed.manifest.pipelines) : [] };
  if (config.length <= MAX_KEPT_BYTES) kept.set(config, deepFreeze(checked));
  return checked;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
