// The GitLab provider: not built yet (placeholder so the composition compiles).

import type { Scm } from '../../core/scm.js';

export interface GitLabSettings {
  server: string; clientId: string; clientSecret: string; redirectUrl: string; skipVerify: boolean; timeoutMs: number;
}

export function createGitLab(_settings: GitLabSettings): Scm {
  throw new Error('the GitLab provider is not built yet');
}
