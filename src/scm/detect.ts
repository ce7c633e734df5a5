// Which kind of server sent a webhook, by its headers. Gitea sends Gogs' and GitHub's headers too, and Gogs
// sends GitHub's, so the most specific is checked first (research/drone-clients.md §4.3).

import type { ScmName } from '../core/scm.js';

export type WebhookSender = 'Gitea' | 'Gogs' | 'GitLab' | 'GitHub';

export function detectSender(headers: Readonly<Record<string, string | undefined>>): WebhookSender | undefined {
  if (headers['x-gitea-event']) return 'Gitea';
  if (headers['x-gogs-event']) return 'Gogs';
  if (headers['x-gitlab-event']) return 'GitLab';
  if (headers['x-github-event']) return 'GitHub';
  return undefined;
}

/** How people call each provider (for messages). */
export const PROVIDER_LABELS: Record<ScmName, string> = { git: 'the local git provider', github: 'GitHub', gitea: 'Gitea', gitlab: 'GitLab', gogs: 'Gogs' };
