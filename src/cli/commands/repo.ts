// `hangar repo add|info|ls|update`: repositories through the API.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Command } from 'commander';
import type { Repo } from '../../core/types.js';
import { api, clientSettings, repoPath } from '../client.js';
import { printJson, withClient } from './output.js';

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
  withClient(
    repo
      .command('add <slug> <url>')
      .description('enable a repository of the local git provider: any URL git can clone (file:// included)')
      .option('--branch <name>', 'default branch', 'main')
      .option('--config <path>', 'configuration file', '.drone.yml')
      .option('--private', 'a private repository (runners get clone credentials)'),
  ).action(async (slug: string, url: string, options: { branch: string; config: string; private?: boolean; server?: string; token?: string }) => {
    const created = await api<Repo>(clientSettings(options), 'POST', `/api/repos/${repoPath(slug)}`, {
      git_http_url: url,
      default_branch: options.branch,
      config_path: options.config,
      private: Boolean(options.private),
    });
    console.log(`enabled ${created.slug} (${created.git_http_url}, branch ${created.default_branch})`);
  });
  withClient(
    repo
      .command('hook <slug> <git-dir>')
      .description("install a post-receive hook in a git repository: every push sends Hangar a signed webhook")
      .option('--url <url>', "where the hook posts (default: the server's webhook URL, from DRONE_SERVER_PROXY_HOST)"),
  ).action(async (slug: string, gitDir: string, options: { server?: string; token?: string; url?: string }) => {
    await installPushHook(clientSettings(options), slug, gitDir, options.url);
    console.log(`installed ${path.join(gitDir, 'hooks', 'post-receive')}: pushes now build ${slug}`);
  });
  withClient(repo.command('info <slug>').description('show a repository')).action(async (slug: string, options: { server?: string; token?: string }) => {
    printJson(await api<Repo>(clientSettings(options), 'GET', `/api/repos/${repoPath(slug)}`));
  });
  withClient(repo.command('ls').description('list your repositories')).action(async (options: { server?: string; token?: string }) => {
    for (const r of await api<Repo[]>(clientSettings(options), 'GET', '/api/user/repos')) console.log(r.slug);
  });
  withClient(
    repo
      .command('update <slug>')
      .description('change repository settings')
      .option('--timeout <minutes>', 'build timeout in minutes', (v) => Number.parseInt(v, 10))
      .option('--trusted <bool>', 'trusted repository (true/false)')
      .option('--throttle <n>', 'at most n stages of the repository run at once', (v) => Number.parseInt(v, 10))
      .option('--config <path>', 'configuration file'),
  ).action(async (slug: string, options: { timeout?: number; trusted?: string; throttle?: number; config?: string; server?: string; token?: string }) => {
    const patch: Record<string, unknown> = {};
    if (options.timeout !== undefined) patch.timeout = options.timeout;
    if (options.trusted !== undefined) patch.trusted = options.trusted === 'true';
    if (options.throttle !== undefined) patch.throttle = options.throttle;
    if (options.config !== undefined) patch.config_path = options.config;
    printJson(await api<Repo>(clientSettings(options), 'PATCH', `/api/repos/${repoPath(slug)}`, patch));
  });
  return repo;
}
