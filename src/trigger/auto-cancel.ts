// Auto-cancel (research/drone-server.md §8.2 CancelPending): once a push or pull-request build is created
// on a repository that asks for it, the older builds of the same event and ref that have not started — or
// also the running ones with `auto_cancel_running` — end as skipped. Runs after the new build committed and
// never fails the trigger: a build it cannot cancel just runs.

import type { Logger } from 'pino';
import type { Store } from '../core/store.js';
import type { Build, Repo } from '../core/types.js';
import type { AfterCommit } from '../scheduler/after-commit.js';

export function autoCancels(repo: Repo, build: Build): boolean {
  return (build.event === 'push' && repo.auto_cancel_pushes) || (build.event === 'pull_request' && repo.auto_cancel_pull_requests);
}

export async function cancelSuperseded(
  deps: { store: Store; afterCommit: Pick<AfterCommit, 'buildCancelled'> },
  repo: Repo,
  build: Build,
  log: Logger,
): Promise<void> {
  try {
    const statuses = repo.auto_cancel_running ? ['pending', 'running'] : ['pending'];
    for (const buildId of await deps.store.buildQueries.superseded(build, statuses)) {
      const cancelled = await deps.store.transitions.cancelBuild(buildId, 'skipped');
      if (!cancelled.changed) continue;
      deps.afterCommit.buildCancelled(cancelled.build, cancelled.endedStepIds);
      log.info({ repo: repo.slug, build: cancelled.build.number, by: build.number }, 'superseded build cancelled');
    }
  } catch (err) {
    log.warn({ err, repo: repo.slug, build: build.number }, 'auto-cancel failed');
  }
}
