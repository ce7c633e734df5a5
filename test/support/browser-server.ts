// The Hangar the browser tests use: a real `hangar server` process (from dist/, with the built web UI)
// with an embedded exec runner, an admin with an API token, and a repository `octocat/hello` whose
// pipeline prints coloured lines, the build's GREETING parameter, then waits until the test releases the
// build (a file per build number), so a test sees a log while it is being written; a second step prints
// as many numbered lines as the build's LINES parameter says.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonApi } from './cluster.js';
import { createTestRepo } from './git-repo.js';
import { type ServerProcess, startServerProcess } from './processes.js';

export const ADMIN_TOKEN = 'browser-admin-token-0123456789abcdef';
export const REPO = 'octocat/hello';

// `$$` is a literal `$` after Drone's substitution: the shell expands these, not the compiler.
const pipeline = (releaseDir: string) => `kind: pipeline
type: exec
name: greet
clone:
  disable: true
steps:
- name: hello
  commands:
  - printf '\\033[32mgreen hello\\033[0m and \\033[1;31mbold red\\033[0m\\n'
  - echo "greeting=$\${GREETING:-none}"
  - echo "waiting for release"
  - while [ ! -f ${releaseDir}/release-$\${DRONE_BUILD_NUMBER} ]; do sleep 0.1; done
  - echo "released, finishing"
- name: bulk
  commands:
  - seq 1 $\${LINES:-3}
`;

export interface BrowserHangar {
  url: string;
  server: ServerProcess;
  /** The admin's API calls; non-2xx throws. */
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Lets build `number`'s waiting step finish. */
  release(number: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startBrowserHangar(): Promise<BrowserHangar> {
  const dir = await mkdtemp('/dev/shm/hangar-browser-');
  const server = await startServerProcess({
    DRONE_DATABASE_DATASOURCE: join(dir, 'core.sqlite'),
    DRONE_RPC_SECRET: 'browser-rpc-secret',
    DRONE_USER_CREATE: `username:octocat,admin:true,token:${ADMIN_TOKEN}`,
    DRONE_RUNNER_CAPACITY: '2',
    DRONE_RUNNER_ROOT: dir,
    DRONE_RUNNER_NAME: 'browser-runner',
    HANGAR_GIT_CACHE: join(dir, 'git-cache'),
  });
  const api = jsonApi(server.url, ADMIN_TOKEN);
  const repo = await createTestRepo(dir);
  await repo.push({ '.drone.yml': pipeline(dir) }, 'Greet the visitor');
  await api('POST', `/api/repos/${REPO}`, { git_http_url: repo.url, default_branch: 'main' });
  return {
    url: server.url,
    server,
    api,
    release: (number) => writeFile(join(dir, `release-${number}`), ''),
    async stop() {
      await server.kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
