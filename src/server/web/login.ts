// GET|POST /login and /logout (research/drone-server.md §8.7, drone-ui-reference.md "How the browser was
// logged in"). OAuth2 providers: /login sends the browser to the provider with a random state kept in a
// signed, short-lived `_oauth_state_` cookie; the provider returns to /login with a code, the state is
// checked, the code exchanged, the account admitted or created, and the `_session_` cookie set. Gogs: a form
// posts the user name and password, which the provider turns into a token. Logins are rate-limited per
// address. A user whose repositories were never synced, or not for a week, is synced in the background.

import { randomBytes } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LoginRefused, admitLogin } from '../../accounts/admission.js';
import { UnauthorizedError, UpstreamError } from '../../core/errors.js';
import type { LoginService, OAuthLogin, Token } from '../../core/scm.js';
import { PROVIDER_LABELS } from '../../scm/detect.js';
import type { ServerContext } from '../context.js';
import { escapeHtml, htmlPage, loginForm, retryPage } from './pages.js';
import { endSession, ownOrigins, requestSource, sessionOf, startSession } from './session.js';

const STATE_COOKIE = '_oauth_state_';
const STATE_TTL_SECONDS = 600;

export async function loginPlugin(app: FastifyInstance, options: { ctx: ServerContext }): Promise<void> {
  const { ctx } = options;
  await app.register(rateLimit, { global: false });
  const limited = { config: { rateLimit: { max: ctx.config.accounts.loginRateLimit, timeWindow: 60_000 } } };

  app.get('/login', limited, async (request, reply) => {
    const login = ctx.scm.login;
    if (!login) return reply.code(404).type('text/html').send(noLoginPage());
    if (login.kind === 'password') return reply.type('text/html').send(loginForm(PROVIDER_LABELS[ctx.scm.name]));
    return oauthStep(ctx, login, request as FastifyRequest<{ Querystring: Record<string, string | undefined> }>, reply);
  });

  app.post<{ Body: Record<string, string | undefined> }>('/login', limited, async (request, reply) => {
    const login = ctx.scm.login;
    if (!login || login.kind !== 'password') return reply.code(405).type('text/html').send(htmlPage('Sign in', '<p>Sign in with GET /login.</p>'));
    // Login CSRF: a password form posted from another site would sign the browser in as someone else.
    if (requestSource(request, ownOrigins(ctx.config.server)) === 'foreign') {
      return reply.code(403).type('text/html').send(htmlPage('Sign in', '<p>Sign in from this server\'s own page.</p><p><a href="/login">Sign in</a></p>'));
    }
    const { username = '', password = '' } = request.body ?? {};
    if (!username || !password) return reply.code(400).type('text/html').send(loginForm(PROVIDER_LABELS[ctx.scm.name], 'Enter your user name and password.'));
    return finish(ctx, login, () => login.authenticate(username, password), reply);
  });

  for (const method of ['GET', 'POST'] as const) {
    app.route({
      method,
      url: '/logout',
      handler: async (request, reply) => {
        const session = sessionOf(request);
        if (session) await ctx.store.users.endSessions(session.userId, Date.now());
        endSession(reply, ctx.config.cookie);
        return reply.redirect('/', 303);
      },
    });
  }
}

/** The first visit sends the browser to the provider; the return visit carries the code and the state. */
async function oauthStep(ctx: ServerContext, login: LoginService & OAuthLogin, request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>, reply: FastifyReply) {
  const { code, state, error, error_description: description } = request.query;
  const redirectUri = `${ctx.config.server.addr}/login`;
  if (error) return reply.code(401).type('text/html').send(retryPage('Sign-in refused', `${PROVIDER_LABELS[ctx.scm.name]} said: ${description || error}`));
  if (!code) {
    const fresh = randomBytes(16).toString('hex');
    reply.setCookie(STATE_COOKIE, fresh, { path: '/login', httpOnly: true, sameSite: 'lax', secure: ctx.config.cookie.secure, signed: true, maxAge: STATE_TTL_SECONDS });
    return reply.redirect(login.authorizeUrl(fresh, redirectUri), 303);
  }
  const stored = request.cookies[STATE_COOKIE];
  const expected = stored ? request.unsignCookie(stored) : undefined;
  reply.clearCookie(STATE_COOKIE, { path: '/login' });
  if (!expected?.valid || !state || expected.value !== state) {
    return reply.code(400).type('text/html').send(htmlPage('Sign-in expired', '<p>The sign-in did not start here or took too long.</p><p><a href="/login">Start again</a></p>'));
  }
  return finish(ctx, login, () => login.exchange(code, redirectUri), reply);
}

/** Token → account → admission → session; every failure is a page that says what happened. */
async function finish(ctx: ServerContext, login: LoginService, getToken: () => Promise<Token>, reply: FastifyReply) {
  try {
    const token = await getToken();
    const remote = await login.user(token);
    const { user, created } = await admitLogin({ users: ctx.store.users, orgs: (t) => login.orgs(t), settings: ctx.config.accounts }, remote, token);
    startSession(reply, ctx.config.cookie, user.id);
    ctx.log.info({ login: user.login, created }, 'user logged in');
    if (ctx.repoSync.available && Date.now() - user.synced * 1000 > ctx.config.accounts.resyncAfterMs) {
      ctx.repoSync.sync(user.id).catch((err: unknown) => ctx.log.warn({ err, login: user.login }, 'repository sync after login failed'));
    }
    return reply.redirect('/', 303);
  } catch (err) {
    if (err instanceof LoginRefused) return reply.code(403).type('text/html').send(htmlPage('Sign-in refused', `<p>${escapeHtml(err.message)}</p>`));
    if (err instanceof UnauthorizedError) {
      const retry = login.kind === 'password' ? loginForm(PROVIDER_LABELS[ctx.scm.name], err.message) : retryPage('Sign-in failed', err.message);
      return reply.code(401).type('text/html').send(retry);
    }
    if (err instanceof UpstreamError) {
      ctx.log.warn({ err }, 'login: the SCM failed');
      return reply.code(502).type('text/html').send(retryPage('Sign-in failed', `${PROVIDER_LABELS[ctx.scm.name]} did not answer properly: ${err.message}`));
    }
    throw err;
  }
}

function noLoginPage(): string {
  return htmlPage(
    'No sign-in here',
    '<p>This server has no source-code host to sign in with (set <code>DRONE_GITHUB_*</code>, <code>DRONE_GITEA_*</code>, <code>DRONE_GITLAB_*</code> or <code>DRONE_GOGS_SERVER</code>).</p><p>Use an API token instead: <code>Authorization: Bearer &lt;token&gt;</code>.</p>',
  );
}
