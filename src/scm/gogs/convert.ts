// Gogs' JSON → the core's shapes: repositories with permissions, commits, accounts. Gogs names a user by
// `username` and, in most answers, `login` too; older servers send only one of them (go-scm prefers
// `username`).

import type { Commit, RemoteRepo, RemoteUser } from '../../core/scm.js';
import { type FamilyDialect, familyCommit, familyRepo } from '../internal/github-family.js';
import { flag, text } from '../internal/json.js';

export function userLogin(user: unknown): string {
  return text(user, 'username') || text(user, 'login');
}

const GOGS: FamilyDialect = { loginOf: userLogin, visibilityOf: (repo) => (flag(repo, 'private') ? 'private' : 'public') };

export function toRemoteRepo(json: unknown): RemoteRepo {
  return familyRepo(json, GOGS);
}

/** `GET /repos/{slug}/commits/{sha}`: the login and avatar are the Gogs account of the author's email (none: ''). */
export function toCommit(json: unknown): Commit {
  return familyCommit(json, GOGS);
}

/** Gogs' user API carries no creation date, so DRONE_MIN_AGE cannot hold anyone back (as in Drone). */
export function toRemoteUser(json: unknown): RemoteUser {
  return { login: userLogin(json), email: text(json, 'email'), avatar: text(json, 'avatar_url'), created: 0 };
}
