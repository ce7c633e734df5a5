// The REST shapes GitHub set and Gitea and Gogs copied: a repository with the asking user's
// `{pull, push, admin}` permissions, a commit with its git author under `commit.author` and the matched
// account under `author`, and the pull request webhook. Each provider says how it names a user and how it
// tells visibility.

import type { Commit, HookBuild, RemoteRepo } from '../../core/scm.js';
import { pullRequestMessage, splitSlug } from './hook-body.js';
import { field, flag, num, text } from './json.js';

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

/**
 * A pull request event (GitHub's and Gitea's shape; `actions` maps the provider's action words to Drone's);
 * a string says why nothing is built.
 */
export function familyPullRequest(payload: unknown, actions: Record<string, string>, dialect: Pick<FamilyDialect, 'loginOf'>): HookBuild | string {
  const action = actions[text(payload, 'action')];
  if (!action) return `pull request action "${text(payload, 'action')}" builds nothing`;
  const pr = field(payload, 'pull_request');
  const number = num(pr, 'number') || num(payload, 'number');
  const title = text(pr, 'title');
  const user = field(pr, 'user');
  return {
    event: 'pull_request',
    action,
    ref: `refs/pull/${number}/head`,
    before: text(pr, 'base', 'sha'),
    after: text(pr, 'head', 'sha'),
    source: text(pr, 'head', 'ref'),
    target: text(pr, 'base', 'ref'),
    pullRequest: number,
    sourceRepo: text(pr, 'head', 'repo', 'full_name'),
    title,
    message: pullRequestMessage(title, text(pr, 'body')),
    link: text(pr, 'html_url'),
    author: { login: dialect.loginOf(user), name: text(user, 'full_name'), email: text(user, 'email'), avatar: text(user, 'avatar_url') || text(payload, 'sender', 'avatar_url') },
    sender: dialect.loginOf(field(payload, 'sender')),
  };
}
