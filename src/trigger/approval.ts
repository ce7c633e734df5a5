// Protected repositories (research/drone-server.md §8.4): a build started by a webhook whose configuration
// (as converted) carries no valid `kind: signature` document for the repository's secret waits, every stage
// `blocked`, until a repository admin approves or declines it. Builds started by a user (API, restart,
// promote) and by cron are not held, as in Drone.

import type { NewBuildFields, NewStage } from '../core/store.js';
import type { RepoWithKeys } from '../core/types.js';
import { verifySignature } from '../pipeline/index.js';

export function needsApproval(repo: RepoWithKeys, build: Pick<NewBuildFields, 'trigger'>, config: string): boolean {
  return repo.protected && build.trigger === '@hook' && !verifySignature(config, repo.secret);
}

export function blocked(stages: NewStage[]): NewStage[] {
  return stages.map((stage) => ({ ...stage, status: 'blocked' }));
}
