// The repository a webhook names: by the SCM's id when the payload carries one (a repository renamed or
// moved on the SCM keeps its builds), else by its slug. The names in a payload are never stored as they
// are: a rename is asked of the SCM (RepoActivation.followRename).

import type { HookRepo } from '../../core/scm.js';
import type { RepoWithKeys } from '../../core/types.js';
import type { ServerContext } from '../context.js';

export async function findHookRepo(ctx: Pick<ServerContext, 'store'>, named: HookRepo): Promise<RepoWithKeys | undefined> {
  const byUid = named.uid ? await ctx.store.repos.findByUid(named.uid) : undefined;
  return byUid ?? (await ctx.store.repos.findBySlug(named.slug));
}
