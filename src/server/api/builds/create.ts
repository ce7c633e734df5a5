// POST /api/repos/{owner}/{name}/builds?branch=&commit=&message=&action=: a custom build of a branch (the
// repository's default branch when omitted) at its head or at `commit`. Every other query parameter
// becomes a build parameter. Answers the build, or null when no pipeline matched.

import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.js';
import { type RepoParams, loadRepo, requireUser } from '../access.js';

const RESERVED = new Set(['branch', 'commit', 'message', 'action', 'access_token']);

export function registerCreateBuild(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: RepoParams; Querystring: Record<string, string> }>('/repos/:owner/:name/builds', async (request) => {
    const user = requireUser(request);
    const repo = await loadRepo(ctx, request, 'write');
    const query = request.query;
    const branch = query.branch || repo.default_branch;
    const token = await ctx.credentials.forUser(repo.user_id);
    const commit = query.commit
      ? await ctx.scm.contents.commit(token, repo, query.commit)
      : await ctx.scm.contents.findCommit(token, repo, `refs/heads/${branch}`);
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(query)) if (!RESERVED.has(key)) params[key] = String(value);
    return ctx.triggerer.trigger(repo, {
      trigger: user.login,
      event: 'custom',
      action: query.action ?? '',
      link: commit.link,
      title: '',
      message: query.message || commit.message,
      before: commit.sha,
      after: commit.sha,
      ref: `refs/heads/${branch}`,
      source_repo: '',
      source: branch,
      target: branch,
      author_login: commit.author.login,
      author_name: commit.author.name,
      author_email: commit.author.email,
      author_avatar: commit.author.avatar,
      sender: user.login,
      params,
    });
  });
}
