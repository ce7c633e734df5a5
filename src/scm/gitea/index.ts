// The Gitea provider: not built yet (placeholder so the composition compiles).

import type { Scm } from '../../core/scm.js';

export interface GiteaSettings {
  server: string; clientId: string; clientSecret: string; redirectUrl: string; scope: string[]; skipVerify: boolean; timeoutMs: number;
}

export function createGitea(_settings: GiteaSettings): Scm {
  throw new Error('the Gitea provider is not built yet');
}
