// The repository a webhook names: by the SCM's id when the payload carries one (a repository renamed or
// moved on the SCM keeps its builds), else by its slug. A rename is recorded once the delivery's signature
// has been checked (by the caller, before it builds anything).

import type { HookRepo } from '../../core/scm.js';
import type { RepoWithKeys } from '../../core/types.js';
import type { ServerContext } from '../context.js';

export async function findHookRepo(ctx: Pick<ServerContext, 'store'>, named: HookRepo): Promise<RepoWithKeys | undefined> {
  const byUid = named.uid ? await ctx.store.repos.findByUid(named.uid) : undefined;
  return byUid ?? (await ctx.store.repos.findBySlug(named.slug));
}

/** Records the SCM's new name of a repository found by its id (call only after the signature was checked). */
export async function followRename(ctx: Pick<ServerContext, 'store' | 'log'>, repo: RepoWithKeys, named: HookRepo): Promise<RepoWithKeys> {
  if (!named.slug || named.slug === repo.slug || !named.uid || named.uid !== repo.uid) return repo;
  try {
    const renamed = await ctx.store.repos.update(repo.id, { namespace: named.namespace, name: named.name, slug: named.slug });
    ctx.log.info({ from: repo.slug, to: named.slug }, 'repository renamed on the SCM');
    return renamed ?? repo;
  } catch (err) {
    // Another row already holds the new name (a repository of that name was synced first): keep building this one.
    ctx.log.warn({ err, from: repo.slug, to: named.slug }, 'repository rename not recorded');
    return repo;
  }
}
