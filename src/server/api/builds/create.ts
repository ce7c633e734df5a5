// POST /api/repos/{owner}/{name}/builds?branch=&commit=&message=&action=: a custom build of a branch (the
// repository's default branch when omitted) at its head or at `commit`. Every other query parameter
// becomes a build parameter. `branch` and `commit` may also come as a form (drone-node). Answers the
// build, or null when no pipeline matched.

import { z } from 'zod';
import type { ServerContext } from '../../context.js';
import { loadRepo, requireUser } from '../access.js';
import { type ApiApp, FormBody, RepoParams, withParams } from '../schemas.js';
import { customParams, formValue } from './rebuild.js';

const RESERVED = ['branch', 'commit', 'message', 'action'] as const;

const Query = withParams({
  branch: z.string().max(255).optional(),
  commit: z.string().max(255).optional(),
  message: z.string().max(2000).optional(),
  action: z.string().max(255).optional(),
});

export function registerCreateBuild(app: ApiApp, ctx: ServerContext): void {
  app.post('/repos/:owner/:name/builds', { schema: { params: RepoParams, querystring: Query, body: FormBody } }, async (request) => {
    const user = requireUser(request);
    const repo = await loadRepo(ctx, request, 'write');
    const field = (name: (typeof RESERVED)[number]) => formValue(request.query, request.body, name);
    const branch = field('branch') || repo.default_branch;
    const sha = field('commit');
    const token = await ctx.credentials.forUser(repo.user_id);
    const commit = sha ? await ctx.scm.contents.commit(token, repo, sha) : await ctx.scm.contents.findCommit(token, repo, `refs/heads/${branch}`);
    return ctx.triggerer.trigger(repo, {
      trigger: user.login,
      event: 'custom',
      action: field('action') ?? '',
      link: commit.link,
      title: '',
      message: field('message') || commit.message,
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
      params: customParams(request.query, request.body, RESERVED),
    });
  });
}
