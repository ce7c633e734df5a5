// GitHub's JSON → the core's shapes: repositories with permissions, commits, accounts.

import type { Commit, RemoteRepo, RemoteUser } from '../../core/scm.js';
import { splitSlug } from '../internal/hook-body.js';
import { flag, seconds, text } from '../internal/json.js';

export function toRemoteRepo(json: unknown): RemoteRepo {
  const slug = text(json, 'full_name');
  const { namespace, name } = splitSlug(slug);
  const isPrivate = flag(json, 'private');
  const visibility = text(json, 'visibility');
  return {
    uid: text(json, 'id'),
    namespace: text(json, 'owner', 'login') || namespace,
    name: text(json, 'name') || name,
    slug,
    git_http_url: text(json, 'clone_url'),
    git_ssh_url: text(json, 'ssh_url'),
    link: text(json, 'html_url'),
    default_branch: text(json, 'default_branch') || 'master',
    private: isPrivate,
    visibility: visibility === 'internal' ? 'internal' : isPrivate ? 'private' : 'public',
    archived: flag(json, 'archived'),
    permissions: {
      read: flag(json, 'permissions', 'pull'),
      write: flag(json, 'permissions', 'push'),
      admin: flag(json, 'permissions', 'admin'),
    },
  };
}

export function toCommit(json: unknown): Commit {
  return {
    sha: text(json, 'sha'),
    message: text(json, 'commit', 'message'),
    link: text(json, 'html_url'),
    author: {
      login: text(json, 'author', 'login'),
      name: text(json, 'commit', 'author', 'name'),
      email: text(json, 'commit', 'author', 'email'),
      avatar: text(json, 'author', 'avatar_url'),
    },
  };
}

export function toRemoteUser(json: unknown): RemoteUser {
  return { login: text(json, 'login'), email: text(json, 'email'), avatar: text(json, 'avatar_url'), created: seconds(json, 'created_at') };
}
