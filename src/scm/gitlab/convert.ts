// GitLab's JSON → the core's shapes: projects with the user's permissions, commits, accounts.
//
// Permissions follow go-scm: GitLab answers a project only to a user who can see it, so read is always
// granted; Developer (30) and above may push, Maintainer (40) and above administer. The level is the
// higher of the project's and the group's membership (either may be null).

import type { Commit, RemoteRepo, RemoteUser } from '../../core/scm.js';
import { splitSlug } from '../internal/hook-body.js';
import { flag, num, seconds, text } from '../internal/json.js';

const DEVELOPER = 30;
const MAINTAINER = 40;

export function toRemoteRepo(json: unknown): RemoteRepo {
  const slug = text(json, 'path_with_namespace');
  const parts = splitSlug(slug);
  const visibility = toVisibility(text(json, 'visibility'));
  const level = Math.max(num(json, 'permissions', 'project_access', 'access_level'), num(json, 'permissions', 'group_access', 'access_level'));
  return {
    uid: text(json, 'id'),
    namespace: text(json, 'namespace', 'full_path') || parts.namespace,
    name: text(json, 'path') || parts.name,
    slug,
    git_http_url: text(json, 'http_url_to_repo'),
    git_ssh_url: text(json, 'ssh_url_to_repo'),
    link: text(json, 'web_url'),
    default_branch: text(json, 'default_branch') || 'master',
    private: visibility !== 'public',
    visibility,
    archived: flag(json, 'archived'),
    permissions: { read: true, write: level >= DEVELOPER, admin: level >= MAINTAINER },
  };
}

function toVisibility(value: string): RemoteRepo['visibility'] {
  return value === 'public' || value === 'internal' ? value : 'private';
}

/** GitLab's commits name no account: the author's name stands in for the login, as in go-scm. */
export function toCommit(json: unknown): Commit {
  const name = text(json, 'author_name');
  return {
    sha: text(json, 'id'),
    message: text(json, 'message'),
    link: text(json, 'web_url'),
    author: { login: name, name, email: text(json, 'author_email'), avatar: '' },
  };
}

export function toRemoteUser(json: unknown): RemoteUser {
  return { login: text(json, 'username'), email: text(json, 'email'), avatar: text(json, 'avatar_url'), created: seconds(json, 'created_at') };
}
