// POST /api/repos/{owner}/{name}/secrets: {name, data, pull_request, pull_request_push}; 409 if the name exists.

import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { conflict } from '../errors.js';
import { type ApiApp, RepoParams } from '../schemas.js';
import { CreateSecretBody, withoutValue } from './schema.js';

export function registerCreateSecret(app: ApiApp, ctx: ServerContext): void {
  app.post('/repos/:owner/:name/secrets', { schema: { params: RepoParams, body: CreateSecretBody } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    const body = request.body;
    if (await ctx.store.secrets.findRepo(repo.id, body.name)) throw conflict(`secret ${body.name} already exists`);
    return withoutValue(await ctx.store.secrets.createRepo(repo.id, body));
  });
}
