// The web UI (web/, built by Vite into dist/web/): content-hashed files under /assets/, cached for a year
// as immutable, and index.html — never cached, so a new release is picked up at once — at each of Drone's
// page addresses (the app routes them in the browser). The page says how to sign in here (a meta tag), as
// Drone's server writes its own globals into index.html. The server's own routes (/api, /rpc, /login, …)
// are never shadowed: an address under them that no route answers stays the API's 404.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROVIDER_LABELS } from '../../scm/detect.js';
import type { ServerContext } from '../context.js';
import { escapeHtml } from './pages.js';
import { notBuiltPage } from './not-built-page.js';

/** dist/web/ of the package, from src/server/web/ (tests) and from dist/server/web/ (the build) alike. */
export const WEB_ROOT = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

/** Drone's page addresses (research/drone-ui-reference.md); /login and /logout are the server's. */
export const PAGE_ROUTES = [
  '/',
  '/welcome',
  '/account',
  '/:owner/:name',
  '/:owner/:name/settings',
  '/:owner/:name/settings/:section',
  '/:owner/:name/:build',
  '/:owner/:name/:build/:stage/:step',
];

/** First segments that belong to the server, not to a repository owner. */
const SERVER_PREFIXES = new Set(['api', 'rpc', 'hook', 'login', 'logout', 'healthz', 'version', 'metrics', 'assets']);

export async function webPlugin(app: FastifyInstance, options: { ctx: ServerContext; root?: string }): Promise<void> {
  const { ctx, root = WEB_ROOT } = options;
  const index = await readFile(join(root, 'index.html'), 'utf8').catch(() => undefined);
  if (index) {
    await app.register(fastifyStatic, { root: join(root, 'assets'), prefix: '/assets/', immutable: true, maxAge: '365d', index: false, decorateReply: false });
  }
  const page = index ? withLoginMeta(index, ctx) : notBuiltPage();
  const handler = async (request: FastifyRequest<{ Params: { owner?: string } }>, reply: FastifyReply) => {
    if (request.params.owner && SERVER_PREFIXES.has(request.params.owner)) return reply.code(404).send({ message: 'Not Found' });
    return reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(page);
  };
  for (const url of PAGE_ROUTES) app.get(url, handler);
}

/** index.html with how to sign in: through /login with the SCM (oauth or password), or with an API token. */
function withLoginMeta(index: string, ctx: ServerContext): string {
  const login = ctx.scm.login;
  const mode = !login ? 'token' : login.kind === 'password' ? 'password' : 'oauth';
  const meta = `<meta name="hangar-login" content="${mode}" /><meta name="hangar-provider" content="${escapeHtml(PROVIDER_LABELS[ctx.scm.name])}" />`;
  return index.replace(/<meta name="hangar-login" content="" \/>/, meta);
}
