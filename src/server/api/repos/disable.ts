// DELETE /api/repos/{owner}/{name}: disables the repository (its history stays); `?remove=true` deletes it
// with its history, secrets and crons. With an SCM its webhook is removed first; when the SCM cannot remove
// it, the repository is disabled all the same and the warning is logged (deliveries to a disabled
// repository build nothing). Answers the repository as it was last.

import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { RepoWithKeys, User } from '../../../core/types.js';
import type { ServerContext } from '../../context.js';
import { loadRepo, publicRepo, requireUser } from '../access.js';
import { notFound } from '../errors.js';
import { type ApiApp, QueryFlag, RepoParams } from '../schemas.js';

const Query = z.object({ remove: QueryFlag.optional() });

export function registerDisableRepo(app: ApiApp, ctx: ServerContext): void {
  app.delete('/repos/:owner/:name', { schema: { params: RepoParams, querystring: Query } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'admin');
    const disabled = await disable(ctx, requireUser(request), repo, request.log);
    if (request.query.remove) {
      await ctx.store.buildQueries.removeRepository(repo.id);
      request.log.info({ repo: repo.slug }, 'repository removed');
    }
    return publicRepo(disabled);
  });
}

async function disable(ctx: ServerContext, user: User, repo: RepoWithKeys, log: FastifyBaseLogger): Promise<RepoWithKeys> {
  if (ctx.scm.repos) {
    const { repo: disabled, warning } = await ctx.activation.disable(user, repo);
    if (warning) log.warn({ repo: repo.slug }, warning);
    return disabled;
  }
  const updated = await ctx.store.repos.update(repo.id, { active: false });
  if (!updated) throw notFound();
  return updated;
}
