// End to end: a repository whose configuration is a `.drone.star` (DRONE_STARLARK_ENABLED=true) builds from a
// push: the server runs main(ctx) with the push's context, plans one stage per generated pipeline, and a
// `hangar runner exec` process runs them. A script error makes an error build carrying the message and line.

import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Build, Line, Stage } from '../../src/core/types.js';
import { installPushHook } from '../../src/cli/commands/repo.js';
import { jsonApi } from '../support/cluster.js';
import { type TestRepo, createTestRepo } from '../support/git-repo.js';
import { type HangarProcess, type ServerProcess, startRunnerProcess, startServerProcess } from '../support/processes.js';
import { until } from '../support/wait.js';

const TOKEN = 'e2e-admin-token-0123456789abcdef';

const SCRIPT = `
def pipeline(name, commands):
    return {
        "kind": "pipeline",
        "type": "exec",
        "name": name,
        "clone": {"disable": True},
        "steps": [{"name": "run", "commands": commands}],
    }

def main(ctx):
    return [
        pipeline("hello-%s" % v, ["echo hello %s from %s on %s" % (v, ctx.repo.slug, ctx.build.branch)])
        for v in ["a", "b"]
    ]
`;

describe('a .drone.star build end to end', () => {
  let dir: string;
  let server: ServerProcess;
  let runner: HangarProcess;
  let repo: TestRepo;


  const api = <T>(method: string, path: string, body?: unknown) => jsonApi(server.url, TOKEN)<T>(method, path, body);

  async function finishedBuildOf(sha: string): Promise<Build> {
    const created = await until(async () => (await api<Build[]>('GET', '/api/repos/octocat/e2e/builds')).find((b) => b.after === sha), 15_000);
    return until(async () => {
      const current = await api<Build>('GET', `/api/repos/octocat/e2e/builds/${created.number}`);
      return ['pending', 'running'].includes(current.status) ? undefined : current;
    }, 60_000);
  }

  beforeAll(async () => {
    dir = await mkdtemp('/dev/shm/hangar-e2e-star-');
    server = await startServerProcess({
      DRONE_DATABASE_DRIVER: 'sqlite3',
      DRONE_DATABASE_DATASOURCE: join(dir, 'core.sqlite'),
      DRONE_RPC_SECRET: 'e2e-rpc-secret',
      DRONE_USER_CREATE: `username:admin,admin:true,token:${TOKEN}`,
      DRONE_STARLARK_ENABLED: 'true',
      HANGAR_GIT_CACHE: join(dir, 'git-cache'),
    });
    runner = await startRunnerProcess(server.url, { DRONE_RPC_SECRET: 'e2e-rpc-secret', DRONE_RUNNER_CAPACITY: '2', DRONE_RUNNER_ROOT: dir });
    repo = await createTestRepo(dir);
    await api('POST', '/api/repos/octocat/e2e', { git_http_url: repo.url, default_branch: 'main', config_path: '.drone.star' });
    await installPushHook({ server: server.url, token: TOKEN }, 'octocat/e2e', repo.bare, `${server.url}/hook`);
  });

  afterAll(async () => {
    await runner?.kill('SIGKILL');
    await server?.kill('SIGTERM');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the pipelines main(ctx) generates, with the build context of the push', async () => {
    const { sha } = await repo.push({ '.drone.star': SCRIPT }, 'starlark config');
    const done = await finishedBuildOf(sha);
    expect(done.status).toBe('success');
    const stages = done.stages as Stage[];
    expect(stages.map((s) => s.name)).toEqual(['hello-a', 'hello-b']);
    const step = stages[0].steps?.[0];
    const log = await api<Line[]>('GET', `/api/repos/octocat/e2e/builds/${done.number}/logs/1/${step?.number}`);
    expect(log.map((l) => l.out).join('')).toContain('hello a from octocat/e2e on main');
  });

  it('fails the build with the script error, file and line', async () => {
    const { sha } = await repo.push({ '.drone.star': 'def main(ctx):\n    fail("no pipelines for", ctx.build.event)\n' }, 'broken');
    const done = await finishedBuildOf(sha);
    expect(done.status).toBe('error');
    expect(done.error).toBe('.drone.star:2:9: fail: no pipelines for push');
  });
});
