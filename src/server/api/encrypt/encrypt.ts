// POST /api/repos/{owner}/{name}/encrypt and …/encrypt/secret (write access): {data, pull_request?,
// pull_request_push?} → {data: base64(nonce ‖ AES-GCM ciphertext ‖ tag)}, keyed with the repository's
// secret, for a `kind: secret` document whose value only this repository's builds can read. The flags are
// accepted and, as in Drone, not part of the value: who gets the secret is decided when a build runs.

import { z } from 'zod';
import { encryptSecret } from '../../../pipeline/index.js';
import type { ServerContext } from '../../context.js';
import { loadRepo } from '../access.js';
import { badRequest } from '../errors.js';
import { type ApiApp, RepoParams } from '../schemas.js';

const DATA_MAX = 1_000_000;

const EncryptBody = z.object({
  data: z.string().min(1, 'data is required').max(DATA_MAX),
  pull_request: z.boolean().nullish(),
  pull_request_push: z.boolean().nullish(),
});

export function registerEncryptSecret(app: ApiApp, ctx: ServerContext): void {
  const options = { schema: { params: RepoParams, body: EncryptBody } };
  for (const path of ['/repos/:owner/:name/encrypt', '/repos/:owner/:name/encrypt/secret']) {
    app.post(path, options, async (request) => {
      const repo = await loadRepo(ctx, request, 'write');
      const data = encryptSecret(request.body.data, repo.secret);
      if (data === undefined) throw badRequest('the repository has no valid encryption key; repair it');
      return { data };
    });
  }
}
