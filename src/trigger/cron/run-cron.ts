// One run of a cron job, for the scheduler and for `POST /api/repos/{owner}/{name}/cron/{cron}`: the
// branch's head commit becomes a build with Drone's cron fields (research/drone-server.md §8.1) — trigger
// `@cron`, event `cron`, ref `refs/heads/<branch>`, target the branch, sender the commit's author.

import type { ScmCredentials } from '../../accounts/credentials.js';
import type { Commit, Scm } from '../../core/scm.js';
import type { Build, RepoWithKeys } from '../../core/types.js';
import type { HookInput, TriggerOptions, Triggerer } from '../trigger.js';

export interface CronRunDeps {
  scm: Pick<Scm, 'contents'>;
  credentials: Pick<ScmCredentials, 'forUser'>;
  triggerer: Pick<Triggerer, 'trigger'>;
}

export interface CronJob {
  name: string;
  branch: string;
}

/** The build, or null when no pipeline runs for this cron event. */
export async function runCronJob(deps: CronRunDeps, repo: RepoWithKeys, job: CronJob, options: TriggerOptions = {}): Promise<Build | null> {
  const commit = await deps.scm.contents.findCommit(await deps.credentials.forUser(repo.user_id), repo, `refs/heads/${job.branch}`);
  return deps.triggerer.trigger(repo, cronHook(job, commit), options);
}

export function cronHook(job: CronJob, commit: Commit): HookInput {
  return {
    trigger: '@cron',
    event: 'cron',
    link: commit.link,
    message: commit.message,
    after: commit.sha,
    ref: `refs/heads/${job.branch}`,
    source: '',
    target: job.branch,
    author_login: commit.author.login,
    author_name: commit.author.name,
    author_email: commit.author.email,
    author_avatar: commit.author.avatar,
    cron: job.name,
    sender: commit.author.login,
  };
}
