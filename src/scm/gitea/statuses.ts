// Commit statuses through `POST /repos/{slug}/statuses/{sha}`. Gitea knows pending, success, error, failure
// and warning; as go-scm maps them, a running build is pending and every other state (cancelled, skipped,
// unknown) is an error, so a Gitea page shows what it showed under Drone.

import type { CommitState, CommitStatus, RepoRef, StatusService, Token } from '../../core/scm.js';
import type { ApiClient } from '../internal/api-client.js';
import { repoPath } from './paths.js';

const STATES: Partial<Record<CommitState, string>> = { pending: 'pending', running: 'pending', success: 'success', failure: 'failure' };

export class GiteaStatuses implements StatusService {
  constructor(private readonly api: ApiClient) {}

  async setStatus(token: Token | undefined, repo: RepoRef, status: CommitStatus): Promise<void> {
    await this.api.call('POST', `${repoPath(repo.slug)}/statuses/${encodeURIComponent(status.sha)}`, {
      token,
      body: { state: STATES[status.state] ?? 'error', target_url: status.target, description: status.description, context: status.context },
    });
  }
}
