// Gitea's JSON → the core's shapes: repositories with the asking user's permissions, commits, accounts.
// Gitea names a user by `login` and, for Gogs compatibility, `username` too; either may be the only one.

import type { Commit, RemoteRepo, RemoteUser } from '../../core/scm.js';
import { type FamilyDialect, familyCommit, familyRepo } from '../internal/github-family.js';
import { flag, seconds, text } from '../internal/json.js';

/** The login of a Gitea user object. */
export function loginOf(user: unknown): string {
  return text(user, 'login') || text(user, 'username');
}

const GITEA: FamilyDialect = {
  loginOf,
  // `internal` (visible to every signed-in user) arrived in Gitea 1.13; older servers omit it.
  visibilityOf: (repo) => (flag(repo, 'internal') ? 'internal' : flag(repo, 'private') ? 'private' : 'public'),
};

export function toRemoteRepo(json: unknown): RemoteRepo {
  return familyRepo(json, GITEA);
}

/** `GET /repos/{slug}/git/commits/{sha}`: the login and avatar are the Gitea account the author matched (none: ''). */
export function toCommit(json: unknown): Commit {
  return familyCommit(json, GITEA);
}

/** `GET /user`; older servers send no `created`, which leaves DRONE_MIN_AGE nothing to check (0). */
export function toRemoteUser(json: unknown): RemoteUser {
  return { login: loginOf(json), email: text(json, 'email'), avatar: text(json, 'avatar_url'), created: seconds(json, 'created') };
}
