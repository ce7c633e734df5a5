// The servers' CPU profiles for a profile run: node's flags for the servers' environment, and, once the
// measurement is done, the servers stopped (node writes its profile on exit) and their profiles summarised.
// Profiles that are not always wanted are asked for with HANGAR_PROFILE_CPU=1; HANGAR_PROFILE_DIR should be
// empty or new.

import type { BenchSetup } from '../support/setup.js';
import { stopGracefully } from './stop.js';
import { summariseCpuProfiles } from './summarise-cpu.js';

export interface ServerProfiling {
  /** For startSetup's env: empty when not profiling. */
  env: Record<string, string>;
  /** Stops the servers and prints where their time went; does nothing when not profiling. */
  report(setup: BenchSetup): Promise<void>;
}

export function serverProfiling(options: { always?: boolean } = {}): ServerProfiling {
  const dir = process.env.HANGAR_PROFILE_DIR ?? '/tmp/hangar-prof';
  const on = options.always === true || process.env.HANGAR_PROFILE_CPU === '1';
  return {
    env: on ? { HANGAR_NODE_FLAGS: `--cpu-prof --cpu-prof-dir=${dir}` } : {},
    async report(setup) {
      if (!on) return;
      await stopGracefully(setup);
      console.log(summariseCpuProfiles(dir).join('\n'));
    },
  };
}
