// The REST shapes GitHub set and Gitea and Gogs copied: a repository with the asking user's
// `{pull, push, admin}` permissions, and a commit with its git author under `commit.author` and the matched
// account under `author`. Each provider says how it names a user and how it tells visibility.

import type { Commit, RemoteRepo } from '../../core/scm.js';
import { splitSlug } from './hook-body.js';
import { field, flag, text } from './json.js';

export interface FamilyDialect {
  /** The login of a user object (`login` on GitHub, `login` or `username` on Gitea and Gogs). */
  loginOf(user: unknown): string;
  /** public, private or internal, from the repository object. */
  visibilityOf(repo: unknown): RemoteRepo['visibility'];
}

export function familyRepo(json: unknown, dialect: FamilyDialect): RemoteRepo {
  const slug = text(json, 'full_name');
  const { namespace, name } = splitSlug(slug);
  return {
    uid: text(json, 'id'),
    namespace: dialect.loginOf(field(json, 'owner')) || namespace,
    name: text(json, 'name') || name,
    slug,
    git_http_url: text(json, 'clone_url'),
    git_ssh_url: text(json, 'ssh_url'),
    link: text(json, 'html_url'),
    default_branch: text(json, 'default_branch') || 'master',
    private: flag(json, 'private'),
    visibility: dialect.visibilityOf(json),
    archived: flag(json, 'archived'),
    permissions: {
      read: flag(json, 'permissions', 'pull'),
      write: flag(json, 'permissions', 'push'),
      admin: flag(json, 'permissions', 'admin'),
    },
  };
}

/** The link is the commit's web page (`html_url`); the API `commit.url` only where no page is given. */
export function familyCommit(json: unknown, dialect: Pick<FamilyDialect, 'loginOf'>): Commit {
  return {
    sha: text(json, 'sha'),
    message: text(json, 'commit', 'message'),
    link: text(json, 'html_url') || text(json, 'commit', 'url'),
    author: {
      login: dialect.loginOf(field(json, 'author')),
      name: text(json, 'commit', 'author', 'name'),
      email: text(json, 'commit', 'author', 'email'),
      avatar: text(json, 'author', 'avatar_url'),
    },
  };
}
