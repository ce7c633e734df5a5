// Commit statuses through `POST /projects/{id}/statuses/{sha}`. GitLab knows pending, running, success,
// failed and canceled; every other Drone state (failure, error, skipped, unknown) is failed, as go-scm maps
// them. GitLab refuses to set a status to the state it already has ("Cannot transition status via :run
// from :running", 400): the status is then what was asked, so that answer counts as done.

import { UpstreamError } from '../../core/errors.js';
import type { CommitState, CommitStatus, RepoRef, StatusService, Token } from '../../core/scm.js';
import type { ApiClient } from '../internal/api-client.js';
import { text } from '../internal/json.js';
import { projectPath } from './project.js';

const STATES: Partial<Record<CommitState, string>> = { pending: 'pending', running: 'running', success: 'success', canceled: 'canceled' };

const SAME_STATE = /cannot transition status/i;

export class GitLabStatuses implements StatusService {
  constructor(private readonly api: ApiClient) {}

  async setStatus(token: Token | undefined, repo: RepoRef, status: CommitStatus): Promise<void> {
    const answer = await this.api.call(
      'POST',
      `${projectPath(repo)}/statuses/${encodeURIComponent(status.sha)}`,
      { token, body: { state: STATES[status.state] ?? 'failed', name: status.context, target_url: status.target, description: status.description } },
      [400],
    );
    if (answer.status === 400 && !SAME_STATE.test(text(answer.json, 'message') || answer.text)) {
      throw new UpstreamError(`GitLab: POST ${projectPath(repo)}/statuses: 400 ${text(answer.json, 'message') || answer.text.slice(0, 200)}`);
    }
  }
}
