// provideScm: the one source-code host of this server, chosen from the DRONE_* variables in Drone's order
// (config/server.ts parseScm). Everything else in the server talks to it through the core/scm.ts ports.

import type { ScmSettings } from '../config/scm.js';
import type { Scm } from '../core/scm.js';
import { createGitea } from './gitea/index.js';
import { createGitHub } from './github/index.js';
import { createGitLab } from './gitlab/index.js';
import { createGogs } from './gogs/index.js';
import { createLocalGit } from './localgit/index.js';

export interface ScmRuntime {
  /** Where the local git provider keeps its bare caches. */
  cacheDir: string;
  /** How long a call to the provider's API may take (ms). */
  timeoutMs: number;
}

export function provideScm(settings: ScmSettings, runtime: ScmRuntime): Scm {
  switch (settings.provider) {
    case 'git':
      return createLocalGit({ cacheDir: runtime.cacheDir });
    case 'github':
      return createGitHub({ ...settings, timeoutMs: runtime.timeoutMs });
    case 'gitea':
      return createGitea({ ...settings, timeoutMs: runtime.timeoutMs });
    case 'gitlab':
      return createGitLab({ ...settings, timeoutMs: runtime.timeoutMs });
    case 'gogs':
      return createGogs({ ...settings, timeoutMs: runtime.timeoutMs });
  }
}
