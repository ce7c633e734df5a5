// PATCH /api/repos/{owner}/{name}/secrets/{secret}: {data?, pull_request?, pull_request_push?}.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { type RepoParams, loadRepo } from '../access.js';
import { notFound } from '../errors.js';
import { parseBody } from '../validate.js';
import { UpdateSecretBody, withoutValue } from './schema.js';

export function registerUpdateSecret(app: FastifyInstance, ctx: ServerContext): void {
  app.patch<{ Params: RepoParams & { secret: string } }>('/repos/:owner/:name/secrets/:secret', async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    const patch = parseBody(UpdateSecretBody, request.body ?? {});
    const secret = await ctx.store.secrets.updateRepo(repo.id, request.params.secret, patch);
    if (!secret) throw notFound();
    return withoutValue(secret);
  });
}
