// Commits and files through Gitea's REST API. A branch resolves through `GET /repos/{slug}/branches/{name}`
// (its `commit.id`), a tag through `GET /repos/{slug}/git/refs/tags/{name}` (go-scm's call, and the one the
// recorded answers come from; it matches by prefix, so the exact ref is picked out); the commit is then
// `GET /repos/{slug}/git/commits/{sha}`, which peels an annotated tag's object to its commit. Files come
// base64-encoded from `GET /repos/{slug}/contents/{path}?ref=`; where a server leaves `content` empty for a
// non-empty file (a blob above its API size limit) the raw endpoint answers instead.

import { NotFoundError } from '../../core/errors.js';
import type { Commit, ContentService, RepoRef, Token } from '../../core/scm.js';
import type { ApiClient } from '../internal/api-client.js';
import { asArray, num, text } from '../internal/json.js';
import { toCommit } from './convert.js';
import { escapePath, repoPath } from './paths.js';

export class GiteaContents implements ContentService {
  constructor(private readonly api: ApiClient) {}

  async findCommit(token: Token | undefined, repo: RepoRef, ref: string): Promise<Commit> {
    if (ref.startsWith('refs/tags/')) return this.commit(token, repo, await this.tagSha(token, repo, ref));
    if (ref.startsWith('refs/heads/') || !ref.startsWith('refs/')) return this.commit(token, repo, await this.branchSha(token, repo, ref.replace(/^refs\/heads\//, '')));
    // Another full ref (refs/pull/…): the commits endpoint resolves it, sent as one segment as go-scm does.
    return this.commit(token, repo, ref);
  }

  async commit(token: Token | undefined, repo: RepoRef, sha: string): Promise<Commit> {
    return toCommit(await this.api.get(`${repoPath(repo.slug)}/git/commits/${encodeURIComponent(sha)}`, { token }));
  }

  async readFile(token: Token | undefined, repo: RepoRef, sha: string, path: string): Promise<string | undefined> {
    let json: unknown;
    try {
      json = await this.api.get(`${repoPath(repo.slug)}/contents/${escapePath(path)}`, { token, query: { ref: sha } });
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
    // A directory answers a list, a symlink or submodule another type: none is a file to read.
    if (text(json, 'type') !== 'file') return undefined;
    const content = text(json, 'content');
    if (content === '' && num(json, 'size') > 0) {
      return (await this.api.call('GET', `${repoPath(repo.slug)}/raw/${escapePath(path)}`, { token, query: { ref: sha } })).text;
    }
    return text(json, 'encoding') === 'base64' ? Buffer.from(content, 'base64').toString('utf8') : content;
  }

  private async branchSha(token: Token | undefined, repo: RepoRef, branch: string): Promise<string> {
    const sha = text(await this.api.get(`${repoPath(repo.slug)}/branches/${escapePath(branch)}`, { token }), 'commit', 'id');
    if (!sha) throw new NotFoundError(`Gitea: branch ${branch} of ${repo.slug} names no commit`);
    return sha;
  }

  /** A list of the refs the name prefixes, or one object when exactly that ref alone matches. */
  private async tagSha(token: Token | undefined, repo: RepoRef, ref: string): Promise<string> {
    const json = await this.api.get(`${repoPath(repo.slug)}/git/${escapePath(ref)}`, { token });
    const refs = Array.isArray(json) ? asArray(json) : [json];
    const sha = text(refs.find((entry) => text(entry, 'ref') === ref), 'object', 'sha');
    if (!sha) throw new NotFoundError(`Gitea: ${ref} not found in ${repo.slug}`);
    return sha;
  }
}
