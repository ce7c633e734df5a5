// Commits and files through GitLab's REST API: `GET /projects/{id}/repository/commits/{ref}` resolves a
// branch, tag or sha; `GET /projects/{id}/repository/files/{path}?ref=` answers a file base64-encoded. The
// file path is one escaped segment (slashes and dots too, as GitLab's documentation shows:
// `app%2Fmodels%2Fkey%2Erb`), and so is a branch name with slashes.

import { NotFoundError } from '../../core/errors.js';
import type { Commit, ContentService, RepoRef, Token } from '../../core/scm.js';
import type { ApiClient } from '../internal/api-client.js';
import { trimRef } from '../internal/hook-body.js';
import { text } from '../internal/json.js';
import { toCommit } from './convert.js';
import { projectPath } from './project.js';

export class GitLabContents implements ContentService {
  constructor(private readonly api: ApiClient) {}

  findCommit(token: Token | undefined, repo: RepoRef, ref: string): Promise<Commit> {
    return this.commit(token, repo, trimRef(ref));
  }

  async commit(token: Token | undefined, repo: RepoRef, sha: string): Promise<Commit> {
    return toCommit(await this.api.get(`${projectPath(repo)}/repository/commits/${encodeURIComponent(sha)}`, { token }));
  }

  async readFile(token: Token | undefined, repo: RepoRef, sha: string, path: string): Promise<string | undefined> {
    const file = encodeURIComponent(path.replace(/^\.?\//, '')).replace(/\./g, '%2E');
    let json: unknown;
    try {
      json = await this.api.get(`${projectPath(repo)}/repository/files/${file}`, { token, query: { ref: sha } });
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
    const content = text(json, 'content');
    return text(json, 'encoding') === 'base64' ? Buffer.from(content, 'base64').toString('utf8') : content;
  }
}
