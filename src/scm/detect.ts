// Which kind of server sent a webhook: the provider whose parser accepts it. Each parser knows its headers,
// and that Gitea sends Gogs' and GitHub's too and Gogs GitHub's (research/drone-clients.md §4.3).

import type { ScmName, WebhookDelivery, WebhookParser } from '../core/scm.js';
import { giteaWebhooks } from './gitea/webhooks.js';
import { githubWebhooks } from './github/webhooks.js';
import { gitlabWebhooks } from './gitlab/webhooks.js';
import { gogsWebhooks } from './gogs/webhooks.js';

/** How people call each provider (for messages). */
export const PROVIDER_LABELS: Record<ScmName, string> = { git: 'the local git provider', github: 'GitHub', gitea: 'Gitea', gitlab: 'GitLab', gogs: 'Gogs' };

const PARSERS: Array<[string, WebhookParser]> = [
  [PROVIDER_LABELS.gitea, giteaWebhooks],
  [PROVIDER_LABELS.gogs, gogsWebhooks],
  [PROVIDER_LABELS.gitlab, gitlabWebhooks],
  [PROVIDER_LABELS.github, githubWebhooks],
];

/** The provider that sent the delivery, by name; undefined when none would read it. */
export function detectSender(delivery: WebhookDelivery): string | undefined {
  return PARSERS.find(([, parser]) => parser.accepts(delivery))?.[0];
}
