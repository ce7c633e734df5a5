// GET /: a plain page saying what runs here and how to use it (the web UI comes later): sign in with the
// connected provider, or register repositories by URL with the local git provider.

import type { FastifyInstance } from 'fastify';
import { PROVIDER_LABELS } from '../../scm/detect.js';
import { VERSION } from '../../version.js';
import type { ServerContext } from '../context.js';
import { escapeHtml } from './pages.js';

export async function webPlugin(app: FastifyInstance, options: { ctx: ServerContext }): Promise<void> {
  const { ctx } = options;
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page(ctx)));
}

function page(ctx: ServerContext): string {
  const { config } = ctx;
  const addr = escapeHtml(config.server.addr);
  const database = config.database.driver === 'sqlite3' ? `SQLite (${escapeHtml(config.database.datasource)})` : 'PostgreSQL';
  const runner = config.runner.capacity > 0 ? `an embedded exec runner with capacity ${config.runner.capacity}` : 'no embedded runner (start one with <code>hangar runner exec</code>)';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hangar</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#222}code,pre{background:#f4f4f4;padding:.1rem .3rem;border-radius:3px}pre{padding:.8rem;overflow:auto}</style>
</head><body>
<h1>Hangar ${VERSION}</h1>
<p>A continuous-integration server compatible with Drone: the same <code>.drone.yml</code>, the same runners, the same API.</p>
<h2>What runs here</h2>
<ul>
<li>API: <code>${addr}/api</code> (Drone's routes; <code>Authorization: Bearer &lt;token&gt;</code>)</li>
<li>Runner protocol: <code>${addr}/rpc/v2</code> (stock drone-runner-exec / drone-runner-docker, or <code>hangar runner exec</code>)</li>
<li>Database: ${database}</li>
<li>Runners: ${runner}</li>
</ul>
<h2>Use it</h2>
${config.scm.provider === 'git' ? localGitUsage(addr) : providerUsage(PROVIDER_LABELS[config.scm.provider])}
<p>Health: <a href="/healthz">/healthz</a> · Version: <a href="/version">/version</a> · Metrics: <code>/metrics</code></p>
</body></html>`;
}

function localGitUsage(addr: string): string {
  return `<pre>export DRONE_SERVER=${addr} DRONE_TOKEN=&lt;your token&gt;
hangar repo add octocat/hello file:///path/to/repo.git   # any URL git can clone
hangar build create octocat/hello --branch main
hangar build ls octocat/hello
hangar build logs octocat/hello 1</pre>
<p>Or from a git <code>post-receive</code> hook: see the README.</p>`;
}

function providerUsage(provider: string): string {
  return `<p><a href="/login">Sign in with ${provider}</a>, then sync your repositories (<code>POST /api/user/repos</code>) and activate one (<code>POST /api/repos/{owner}/{name}</code>): pushes, tags and pull requests build, and their statuses appear on ${provider}.</p>`;
}
