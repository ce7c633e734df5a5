// Commits and files through GitHub's REST API: `GET /repos/{slug}/commits/{ref}` resolves a branch, tag or
// sha; `GET /repos/{slug}/contents/{path}?ref=` answers a file base64-encoded, or (above 1 MB) only its blob
// sha, which `GET /repos/{slug}/git/blobs/{sha}` then answers.

import { NotFoundError } from '../../core/errors.js';
import type { Commit, ContentService, RepoRef, Token } from '../../core/scm.js';
import type { ApiClient } from '../internal/api-client.js';
import { text } from '../internal/json.js';
import { toCommit } from './convert.js';

export class GitHubContents implements ContentService {
  constructor(private readonly api: ApiClient) {}

  async findCommit(token: Token | undefined, repo: RepoRef, ref: string): Promise<Commit> {
    const name = ref.replace(/^refs\/(heads|tags)\//, '');
    return toCommit(await this.api.get(`/repos/${repo.slug}/commits/${encodeURIComponent(name)}`, { token }));
  }

  async commit(token: Token | undefined, repo: RepoRef, sha: string): Promise<Commit> {
    return toCommit(await this.api.get(`/repos/${repo.slug}/commits/${encodeURIComponent(sha)}`, { token }));
  }

  async readFile(token: Token | undefined, repo: RepoRef, sha: string, path: string): Promise<string | undefined> {
    const file = path.replace(/^\.?\//, '');
    let json: unknown;
    try {
      json = await this.api.get(`/repos/${repo.slug}/contents/${file.split('/').map(encodeURIComponent).join('/')}`, { token, query: { ref: sha } });
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
    if (text(json, 'type') !== 'file') return undefined;
    let content = text(json, 'content');
    if (text(json, 'encoding') !== 'base64') {
      content = text(await this.api.get(`/repos/${repo.slug}/git/blobs/${text(json, 'sha')}`, { token }), 'content');
    }
    return Buffer.from(content, 'base64').toString('utf8');
  }
}
