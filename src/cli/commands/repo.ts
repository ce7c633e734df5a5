// `hangar repo …`: the drone CLI's repository commands (repo-drone.ts), and Hangar's own `add` (a repository of
// the local git provider) and `hook` (a post-receive hook that sends Hangar a webhook on every push).

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Command } from 'commander';
import type { Repo } from '../../core/types.js';
import { api, repoPath } from '../client.js';
import { clientAction } from './action.js';
import { exitWithUsageCode } from './exit-codes.js';
import { addDroneCommands, parseVisibility } from './repo-drone.js';

const run = promisify(execFile);
const HOOK_SCRIPT = fileURLToPath(new URL('../../../scripts/git-post-receive.sh', import.meta.url));

/**
 * Installs the post-receive hook in a git repository (bare or not), pointed at this repository's webhook:
 * the URL the server gives (from DRONE_SERVER_PROXY_HOST/PROTO), unless `url` says otherwise.
 */
export async function installPushHook(settings: { server: string; token: string }, slug: string, gitDir: string, url?: string): Promise<void> {
  const hook = await api<{ url: string; secret: string }>(settings, 'GET', `/api/repos/${repoPath(slug)}/hook`);
  if (url) hook.url = url;
  const { stdout } = await run('git', ['-C', gitDir, 'rev-parse', '--git-dir']);
  const hooksDir = path.join(path.resolve(gitDir, stdout.trim()), 'hooks');
  fs.mkdirSync(hooksDir, { recursive: true });
  fs.copyFileSync(HOOK_SCRIPT, path.join(hooksDir, 'post-receive'));
  fs.chmodSync(path.join(hooksDir, 'post-receive'), 0o755);
  for (const [key, value] of [['hangar.url', hook.url], ['hangar.secret', hook.secret], ['hangar.repo', slug]]) {
    await run('git', ['-C', gitDir, 'config', key, value]);
  }
}

export function repoCommand(): Command {
  const repo = new Command('repo').description('manage repositories');
  clientAction<{ branch: string; config: string; private?: boolean; visibility?: string }>(
    repo
      .command('add <slug> <url>')
      .description('enable a repository of the local git provider: any URL git can clone (file:// included)')
      .option('--branch <name>', 'default branch', 'main')
      .option('--config <path>', 'configuration file', '.drone.yml')
      .option('--private', 'runners get clone credentials (DRONE_GIT_USERNAME / DRONE_GIT_PASSWORD)')
      .option('--visibility <visibility>', 'who sees its builds and logs: private (the default), internal or public', parseVisibility),
    async (drone, [slug, url], options) => {
      const created = await drone.post<Repo>(`/api/repos/${repoPath(slug ?? '')}`, {
        git_http_url: url,
        default_branch: options.branch,
        config_path: options.config,
        private: Boolean(options.private),
        ...(options.visibility ? { visibility: options.visibility } : {}),
      });
      console.log(`enabled ${created.slug} (${created.git_http_url}, branch ${created.default_branch}, ${created.visibility})`);
    },
  );
  clientAction<{ url?: string }>(
    repo
      .command('hook <slug> <git-dir>')
      .description('install a post-receive hook in a git repository: every push sends Hangar a signed webhook')
      .option('--url <url>', "where the hook posts (default: the server's webhook URL, from DRONE_SERVER_PROXY_HOST)"),
    async (drone, [slug = '', gitDir = ''], options) => {
      await installPushHook(drone.settings, slug, gitDir, options.url);
      console.log(`installed ${path.join(gitDir, 'hooks', 'post-receive')}: pushes now build ${slug}`);
    },
  );
  addDroneCommands(repo);
  return exitWithUsageCode(repo);
}
