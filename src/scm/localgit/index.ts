// The local git provider: repositories are registered by URL (`POST /api/repos/{owner}/{name}` with a
// `git_http_url`), pushes arrive from a post-receive hook in GitHub's push format
// (scripts/git-post-receive.sh), and there are no logins, repository lists or commit statuses. Runners clone
// with DRONE_GIT_USERNAME / DRONE_GIT_PASSWORD when those are set.

import type { Scm } from '../../core/scm.js';
import { githubWebhooks } from '../github/webhooks.js';
import { LocalGitContents } from './contents.js';

export interface LocalGitSettings {
  /** Where the bare caches of the repositories live. */
  cacheDir: string;
}

export function createLocalGit(settings: LocalGitSettings): Scm {
  return {
    name: 'git',
    hooks: githubWebhooks,
    contents: new LocalGitContents({ cacheDir: settings.cacheDir }),
  };
}
