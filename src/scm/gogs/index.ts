// The Gogs provider: not built yet (placeholder so the composition compiles).

import type { Scm } from '../../core/scm.js';

export interface GogsSettings {
  server: string; skipVerify: boolean; timeoutMs: number;
}

export function createGogs(_settings: GogsSettings): Scm {
  throw new Error('the Gogs provider is not built yet');
}
