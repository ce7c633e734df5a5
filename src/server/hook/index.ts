// POST /hook: webhooks (research/drone-server.md §7.1), read by the configured provider's parser. The
// repository is found by the SCM's id first, so a repository renamed on the SCM keeps its builds; the
// signature is checked with its secret before anything else is believed. A delivery builds once across every
// server: its id is the build's idempotency key, inserted in the build's own transaction; a repeat answers
// the first build. When the SCM fails while the build is prepared the answer is 502 and nothing is stored,
// so the delivery can be sent again and builds once.

import type { FastifyError, FastifyInstance } from 'fastify';
import type { WebhookDelivery } from '../../core/scm.js';
import { PROVIDER_LABELS, detectSender } from '../../scm/detect.js';
import { hookInput } from '../../trigger/hook-input.js';
import type { ServerContext } from '../context.js';
import { errorMessage, errorStatus } from '../error-status.js';
import { findHookRepo } from './find-repo.js';

export async function hookPlugin(app: FastifyInstance, options: { ctx: ServerContext }): Promise<void> {
  const { ctx } = options;
  // The signature covers the exact bytes: keep the raw body.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 25 * 1024 * 1024 }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = errorStatus(error);
    if (status >= 500) request.log.warn({ err: error }, 'hook failed');
    return reply.code(status).send({ message: errorMessage(status, error, { showUpstream: true }) });
  });

  app.post('/hook', async (request, reply) => {
    const delivery: WebhookDelivery = { headers: headersOf(request.headers), body: typeof request.body === 'string' ? request.body : '' };
    const { hooks, name } = ctx.scm;
    if (!hooks.accepts(delivery)) {
      const sender = detectSender(delivery);
      const message = sender ? `this server is connected to ${PROVIDER_LABELS[name]}, but the delivery comes from ${sender}` : 'not a webhook delivery this server understands';
      return reply.code(400).send({ message });
    }
    const parsed = hooks.parse(delivery);
    if (!parsed.repo) return reply.code(200).send();
    const found = await findHookRepo(ctx, parsed.repo);
    if (!found) return reply.code(404).send({ message: `repository ${parsed.repo.slug} not found` });
    if (!(await hooks.verify(delivery, found.signer))) return reply.code(400).send({ message: 'invalid or missing webhook signature' });
    const repo = await ctx.activation.followRename(found, parsed.repo.slug).catch((err: unknown) => {
      request.log.warn({ err, repo: found.slug, named: parsed.repo?.slug }, 'hook: rename on the SCM not followed');
      return found;
    });
    if (parsed.kind === 'ignored' || !repo.active) {
      request.log.debug({ repo: repo.slug, reason: parsed.kind === 'ignored' ? parsed.reason : 'inactive repository' }, 'hook ignored');
      return reply.code(200).send();
    }
    const build = await ctx.triggerer.trigger(repo, hookInput(parsed.build), parsed.delivery ? { dedupKey: `${name}:${parsed.delivery}` } : {});
    return reply.code(200).send(build);
  });
}

function headersOf(raw: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  // Node gives header names in lower case already.
  for (const [key, value] of Object.entries(raw)) headers[key] = Array.isArray(value) ? value[0] : value;
  return headers;
}
