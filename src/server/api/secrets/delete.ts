// DELETE /api/repos/{owner}/{name}/secrets/{secret}: 204.

import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { notFound } from '../errors.js';
import type { ApiApp } from '../schemas.js';
import { RepoSecretParams } from './schema.js';

export function registerDeleteSecret(app: ApiApp, ctx: ServerContext): void {
  app.delete('/repos/:owner/:name/secrets/:secret', { schema: { params: RepoSecretParams } }, async (request, reply) => {
    const repo = await loadRepo(ctx, request, 'write');
    if (!(await ctx.store.secrets.deleteRepo(repo.id, request.params.secret))) throw notFound();
    return reply.code(204).send();
  });
}
