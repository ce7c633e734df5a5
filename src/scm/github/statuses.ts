// Commit statuses through `POST /repos/{slug}/statuses/{sha}`. GitHub knows pending, success, failure and
// error: a running build is pending, a cancelled or unknown one is an error (go-scm's mapping).

import type { CommitState, CommitStatus, RepoRef, StatusService, Token } from '../../core/scm.js';
import type { ApiClient } from '../internal/api-client.js';

const STATES: Partial<Record<CommitState, string>> = { pending: 'pending', running: 'pending', success: 'success', failure: 'failure' };

export class GitHubStatuses implements StatusService {
  constructor(private readonly api: ApiClient) {}

  async setStatus(token: Token | undefined, repo: RepoRef, status: CommitStatus): Promise<void> {
    await this.api.call('POST', `/repos/${repo.slug}/statuses/${status.sha}`, {
      token,
      body: { state: STATES[status.state] ?? 'error', target_url: status.target, description: status.description, context: status.context },
    });
  }
}
