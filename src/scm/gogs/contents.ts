// Commits and files through Gogs' API. `GET /repos/{slug}/commits/{sha}` takes only a commit id, so a branch
// is first resolved with `GET /repos/{slug}/branches/{name}` (its `commit.id`, as go-scm does) and a tag with
// `GET /repos/{slug}/commits/refs/tags/{name}`, which answers the tag's commit id as plain text. Gogs has no
// API that resolves a pull request's ref. Files come raw from `GET /repos/{slug}/raw/{sha}/{path}`.

import { BadRequestError, NotFoundError } from '../../core/errors.js';
import type { Commit, ContentService, RepoRef, Token } from '../../core/scm.js';
import type { ApiClient } from '../internal/api-client.js';
import { text } from '../internal/json.js';
import { toCommit } from './convert.js';

const COMMIT_ID = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/i;

export class GogsContents implements ContentService {
  constructor(private readonly api: ApiClient) {}

  async findCommit(token: Token | undefined, repo: RepoRef, ref: string): Promise<Commit> {
    if (COMMIT_ID.test(ref)) return this.commit(token, repo, ref);
    if (ref.startsWith('refs/tags/')) {
      const answer = await this.api.call('GET', `/repos/${repo.slug}/commits/refs/tags/${path(ref.slice('refs/tags/'.length))}`, { token });
      return this.commit(token, repo, answer.text.trim());
    }
    if (ref.startsWith('refs/') && !ref.startsWith('refs/heads/')) throw new NotFoundError(`Gogs cannot resolve ${ref}: name a branch, a tag or a commit`);
    const branch = await this.api.get(`/repos/${repo.slug}/branches/${path(ref.replace(/^refs\/heads\//, ''))}`, { token });
    const sha = text(branch, 'commit', 'id');
    if (!sha) throw new NotFoundError(`Gogs names no commit for branch ${ref}`);
    return this.commit(token, repo, sha);
  }

  async commit(token: Token | undefined, repo: RepoRef, sha: string): Promise<Commit> {
    return toCommit(await this.api.get(`/repos/${repo.slug}/commits/${encodeURIComponent(sha)}`, { token }));
  }

  async readFile(token: Token | undefined, repo: RepoRef, sha: string, file: string): Promise<string | undefined> {
    // Gogs' pull request webhooks carry no commit id: say so rather than read the file at nothing.
    if (!sha) throw new BadRequestError(`Gogs named no commit to read ${file} at`);
    const answer = await this.api.call('GET', `/repos/${repo.slug}/raw/${encodeURIComponent(sha)}/${path(file.replace(/^\.?\//, ''))}`, { token }, [404]);
    return answer.status === 404 ? undefined : answer.text;
  }
}

/** A path whose segments are escaped but whose slashes stay (branch names and file paths hold slashes). */
function path(value: string): string {
  return value.split('/').map(encodeURIComponent).join('/');
}
