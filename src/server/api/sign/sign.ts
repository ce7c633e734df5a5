// POST /api/repos/{owner}/{name}/sign (write access): {data: yaml} → {data: hex HMAC-SHA256}, keyed with
// the repository's secret, exactly as the server verifies a `kind: signature` document of a protected
// repository (research/drone-server.md §8.4).

import { z } from 'zod';
import { signatureOf } from '../../../pipeline/index.js';
import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { badRequest } from '../errors.js';
import { type ApiApp, RepoParams } from '../schemas.js';

const CONFIG_MAX = 1_000_000;

const SignBody = z.object({ data: z.string().max(CONFIG_MAX) });

export function registerSignConfig(app: ApiApp, ctx: ServerContext): void {
  app.post('/repos/:owner/:name/sign', { schema: { params: RepoParams, body: SignBody } }, async (request) => {
    const repo = await loadRepo(ctx, request, 'write');
    const hmac = signatureOf(request.body.data, repo.secret);
    if (hmac === undefined) throw badRequest('cannot sign: a document of the configuration cannot be parsed, or the repository key is shorter than 32 bytes');
    return { data: hmac };
  });
}
