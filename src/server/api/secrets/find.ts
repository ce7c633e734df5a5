// GET /api/repos/{owner}/{name}/secrets/{secret}: one secret, without its value.

import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { notFound } from '../errors.js';
import type { ApiApp } from '../schemas.js';
import { RepoSecretParams, withoutValue } from './schema.js';

export function registerFindSecret(app: ApiApp, ctx: ServerContext): void {
  app.get('/repos/:owner/:name/secrets/:secret', { schema: { params: RepoSecretParams } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    const secret = await ctx.store.secrets.findRepo(repo.id, request.params.secret);
    if (!secret) throw notFound();
    return withoutValue(secret);
  });
}
