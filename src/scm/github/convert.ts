// GitHub's JSON → the core's shapes: repositories with permissions, commits, accounts.

import type { Commit, RemoteRepo, RemoteUser } from '../../core/scm.js';
import { type FamilyDialect, familyCommit, familyRepo } from '../internal/github-family.js';
import { flag, seconds, text } from '../internal/json.js';

const GITHUB: FamilyDialect = {
  loginOf: (user) => text(user, 'login'),
  visibilityOf: (repo) => (text(repo, 'visibility') === 'internal' ? 'internal' : flag(repo, 'private') ? 'private' : 'public'),
};

export function toRemoteRepo(json: unknown): RemoteRepo {
  return familyRepo(json, GITHUB);
}

export function toCommit(json: unknown): Commit {
  return familyCommit(json, GITHUB);
}

export function toRemoteUser(json: unknown): RemoteUser {
  return { login: text(json, 'login'), email: text(json, 'email'), avatar: text(json, 'avatar_url'), created: seconds(json, 'created_at') };
}
