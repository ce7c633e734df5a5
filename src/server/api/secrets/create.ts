// POST /api/repos/{owner}/{name}/secrets: {name, data, pull_request, pull_request_push}; 409 if the name exists.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { type RepoParams, loadRepo } from '../access.js';
import { conflict } from '../errors.js';
import { parseBody } from '../validate.js';
import { CreateSecretBody, withoutValue } from './schema.js';

export function registerCreateSecret(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: RepoParams }>('/repos/:owner/:name/secrets', async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    const body = parseBody(CreateSecretBody, request.body ?? {});
    if (await ctx.store.secrets.findRepo(repo.id, body.name)) throw conflict(`secret ${body.name} already exists`);
    return withoutValue(await ctx.store.secrets.createRepo(repo.id, body));
  });
}
