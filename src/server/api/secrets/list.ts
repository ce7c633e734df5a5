// GET /api/repos/{owner}/{name}/secrets: the repository's secrets, without their values.

import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { type ApiApp, RepoParams } from '../schemas.js';
import { withoutValue } from './schema.js';

export function registerListSecrets(app: ApiApp, ctx: ServerContext): void {
  app.get('/repos/:owner/:name/secrets', { schema: { params: RepoParams } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    return (await ctx.store.secrets.listRepo(repo.id)).map(withoutValue);
  });
}
