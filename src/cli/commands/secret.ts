// `hangar secret add|ls|rm`: a repository's secrets through the API (values are never shown).

import { Command } from 'commander';
import type { Secret } from '../../core/types.js';
import { api, clientSettings, repoPath } from '../client.js';
import { withClient } from './output.js';

type ClientOptions = { server?: string; token?: string };

export function secretCommand(): Command {
  const secret = new Command('secret').description("manage a repository's secrets");
  withClient(
    secret
      .command('add <slug> <name> <value>')
      .description('add a secret (use it with `from_secret: <name>`)')
      .option('--allow-pull-request', 'also give it to pull request builds'),
  ).action(async (slug: string, name: string, value: string, options: ClientOptions & { allowPullRequest?: boolean }) => {
    await api<Secret>(clientSettings(options), 'POST', `/api/repos/${repoPath(slug)}/secrets`, { name, data: value, pull_request: Boolean(options.allowPullRequest) });
    console.log(`secret ${name} added to ${slug}`);
  });
  withClient(secret.command('ls <slug>').description('list secret names')).action(async (slug: string, options: ClientOptions) => {
    for (const s of await api<Secret[]>(clientSettings(options), 'GET', `/api/repos/${repoPath(slug)}/secrets`)) console.log(s.name);
  });
  withClient(secret.command('rm <slug> <name>').description('remove a secret')).action(async (slug: string, name: string, options: ClientOptions) => {
    await api(clientSettings(options), 'DELETE', `/api/repos/${repoPath(slug)}/secrets/${encodeURIComponent(name)}`);
    console.log(`secret ${name} removed from ${slug}`);
  });
  return secret;
}
