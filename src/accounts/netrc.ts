// Clone credentials for a runner (research/drone-server.md §1.7): none for a public repository unless
// DRONE_GIT_ALWAYS_AUTH; DRONE_GIT_USERNAME / DRONE_GIT_PASSWORD when set; else the repository owner's
// token in the form the provider's git server takes. The machine is the clone URL's host. Drone renews the
// token at every stage; Hangar renews it when it would expire within half an hour, so a stage's later
// fetches still work without a renewal (an SCM call) per stage.

import type { Scm } from '../core/scm.js';
import type { Netrc, Repo } from '../core/types.js';
import type { ScmCredentials } from './credentials.js';

const CLONE_VALIDITY_SECONDS = 30 * 60;

export interface NetrcDeps {
  scm: Pick<Scm, 'cloneLogin'>;
  credentials: Pick<ScmCredentials, 'forUser'>;
  git: { alwaysAuth: boolean; username: string; password: string };
  /** Told when the owner's token could not be had. */
  onError?: (err: unknown) => void;
}

export async function netrcFor(deps: NetrcDeps, repo: Repo): Promise<Netrc | null> {
  if (!repo.private && !deps.git.alwaysAuth) return null;
  const machine = hostOf(repo.git_http_url);
  if (!machine) return null;
  if (deps.git.username && deps.git.password) return { machine, login: deps.git.username, password: deps.git.password };
  if (!deps.scm.cloneLogin) return null;
  let token;
  try {
    token = await deps.credentials.forUser(repo.user_id, { validForSeconds: CLONE_VALIDITY_SECONDS });
  } catch (err) {
    // A revoked or unrenewable token must not keep the stage from starting (it would be re-queued forever):
    // the runner gets no credentials, and its clone step fails with git's own message.
    deps.onError?.(err);
    return null;
  }
  if (!token) return null;
  return { machine, ...deps.scm.cloneLogin(token) };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
