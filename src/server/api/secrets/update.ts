// PATCH /api/repos/{owner}/{name}/secrets/{secret}: {data?, pull_request?, pull_request_push?}.

import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { notFound } from '../errors.js';
import type { ApiApp } from '../schemas.js';
import { RepoSecretParams, UpdateSecretBody, withoutValue } from './schema.js';

export function registerUpdateSecret(app: ApiApp, ctx: ServerContext): void {
  app.patch('/repos/:owner/:name/secrets/:secret', { schema: { params: RepoSecretParams, body: UpdateSecretBody } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    const secret = await ctx.store.secrets.updateRepo(repo.id, request.params.secret, request.body);
    if (!secret) throw notFound();
    return withoutValue(secret);
  });
}
