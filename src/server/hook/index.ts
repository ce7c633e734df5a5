// POST /hook: webhooks (research/drone-server.md §7.1). The local git provider's post-receive hook sends
// GitHub's push payload with `X-GitHub-Event`, `X-GitHub-Delivery` and `X-Hub-Signature-256` (HMAC-SHA256
// of the body with the repository's signer). A delivery builds once across every server: its id is the
// build's idempotency key, inserted in the build's own transaction; a repeat answers the first build.

import { verify } from '@octokit/webhooks-methods';
import type { FastifyError, FastifyInstance } from 'fastify';
import { NotFoundError } from '../../core/errors.js';
import { type PushPayload, parsePushHook, pushRepository } from '../../scm/github/push-hook.js';
import type { ServerContext } from '../context.js';

export async function hookPlugin(app: FastifyInstance, options: { ctx: ServerContext }): Promise<void> {
  const { ctx } = options;
  // The signature covers the exact bytes: keep the raw body.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 25 * 1024 * 1024 }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error instanceof NotFoundError ? 404 : typeof error.statusCode === 'number' && error.statusCode < 500 ? error.statusCode : 503;
    if (status >= 500) request.log.warn({ err: error }, 'hook failed');
    return reply.code(status).send({ message: status === 503 ? 'service unavailable, retry later' : error.message });
  });

  app.post('/hook', async (request, reply) => {
    const body = typeof request.body === 'string' ? request.body : '';
    const event = String(request.headers['x-github-event'] ?? '');
    if (event === 'ping') return reply.code(200).send();
    let payload: PushPayload;
    try {
      payload = JSON.parse(body) as PushPayload;
    } catch {
      return reply.code(400).send({ message: 'invalid JSON payload' });
    }
    const slug = pushRepository(payload);
    if (!slug) return reply.code(400).send({ message: 'the payload names no repository' });
    const repo = await ctx.store.repos.findBySlug(slug);
    if (!repo) return reply.code(404).send({ message: `repository ${slug} not found` });
    const signature = String(request.headers['x-hub-signature-256'] ?? '');
    if (!signature || !(await verify(repo.signer, body, signature).catch(() => false))) {
      return reply.code(400).send({ message: 'invalid or missing X-Hub-Signature-256' });
    }
    if (!repo.active) return reply.code(200).send();
    if (event !== 'push') return reply.code(200).send();
    const hook = parsePushHook(payload);
    if (!hook) return reply.code(200).send();
    const delivery = String(request.headers['x-github-delivery'] ?? '');
    const build = await ctx.triggerer.trigger(repo, hook, delivery ? { dedupKey: `github:${delivery}` } : {});
    return reply.code(200).send(build);
  });
}
