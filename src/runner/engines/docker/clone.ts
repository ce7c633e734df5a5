// The clone step's behaviour, as the stock drone/git image's posix script has it (research/drone-runner.md
// §6.2), brought by the runner as the step's command, so any image with `sh` and `git` clones
// (DRONE_RUNNER_CLONE_IMAGE): a netrc from DRONE_NETRC_*, the author from DRONE_COMMIT_AUTHOR_*, then by
// DRONE_COMMIT_REF a tag (fetched, checked out detached), a pull request (its target branch, then the ref
// merged) or a commit (checked out as its branch), each fetch retried PLUGIN_RETRIES times, to
// PLUGIN_DEPTH when set.

import type { DockerSpec } from '../../../pipeline/docker-spec.js';

const SCRIPT = `set -e
if [ -n "$DRONE_NETRC_MACHINE" ]; then
  printf 'machine %s\\nlogin %s\\npassword %s\\n' "$DRONE_NETRC_MACHINE" "$DRONE_NETRC_USERNAME" "$DRONE_NETRC_PASSWORD" > "$HOME/.netrc"
  chmod 600 "$HOME/.netrc"
fi
unset DRONE_NETRC_MACHINE DRONE_NETRC_USERNAME DRONE_NETRC_PASSWORD
export GIT_AUTHOR_NAME="\${DRONE_COMMIT_AUTHOR_NAME:-drone}" GIT_AUTHOR_EMAIL="\${DRONE_COMMIT_AUTHOR_EMAIL:-drone@localhost}"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
mkdir -p "$DRONE_WORKSPACE" && cd "$DRONE_WORKSPACE"
if [ ! -d .git ]; then
  git -c init.defaultBranch=master init -q
  git remote add origin "$DRONE_REMOTE_URL"
fi
depth=\${PLUGIN_DEPTH:+--depth=$PLUGIN_DEPTH}
fetch() {
  tries=$((\${PLUGIN_RETRIES:-0} + 1))
  until git fetch $depth origin "$@"; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || return 1
  done
}
case "$DRONE_COMMIT_REF" in
refs/tags/*)
  fetch "+$DRONE_COMMIT_REF:"
  git checkout -qf FETCH_HEAD
  ;;
refs/pull/* | refs/pull-request/* | refs/merge-requests/*)
  fetch "+refs/heads/$DRONE_COMMIT_BRANCH:"
  git checkout "$DRONE_COMMIT_BRANCH"
  fetch "$DRONE_COMMIT_REF:"
  git merge "$DRONE_COMMIT_SHA"
  ;;
*)
  if [ -z "$DRONE_COMMIT_BRANCH" ]; then
    fetch
    git checkout -qf "$DRONE_COMMIT_SHA"
  elif [ -z "$DRONE_COMMIT_SHA" ]; then
    fetch "+refs/heads/$DRONE_COMMIT_BRANCH:"
    git checkout -b "$DRONE_COMMIT_BRANCH" "origin/$DRONE_COMMIT_BRANCH"
  else
    fetch "+refs/heads/$DRONE_COMMIT_BRANCH:"
    git checkout "$DRONE_COMMIT_SHA" -b "$DRONE_COMMIT_BRANCH"
  fi
  ;;
esac
`;

/** Gives the compiled clone step (the one without a script of its own) the clone script as its command. */
export function withCloneScript(spec: DockerSpec): DockerSpec {
  for (const step of spec.steps) {
    if (step.name !== 'clone' || step.entrypoint || step.args || step.environment.DRONE_SCRIPT !== undefined) continue;
    step.entrypoint = ['/bin/sh', '-c'];
    step.args = [SCRIPT];
  }
  return spec;
}
