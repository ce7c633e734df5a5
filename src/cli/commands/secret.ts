// `hangar secret add|update|info|ls|rm`: a repository's secrets, as the drone CLI manages them (values are
// never shown). The repository is the first argument or --repository; Hangar's older
// `secret add <repo> <name> <value>` still works.

import { Command } from 'commander';
import type { Secret } from '../../core/types.js';
import { repoPath } from '../client.js';
import { clientAction, dataArgument, required } from './action.js';
import { exitWithUsageCode } from './exit-codes.js';
import { columns, type PrintOptions, printItem, printList, withOutput } from './output.js';

const SECRET_TEMPLATE = `{{ .Name }}
Pull Request Read:  {{ .PullRequest }}
Pull Request Write: {{ .PullRequestPush }}
`;

export const SECRET_FIELDS = 'Name, Namespace, PullRequest, PullRequestPush';

/** The server leaves the pull request flags out when false. */
export const SECRET_ZERO = { pull_request: false, pull_request_push: false };

const PULL_REQUEST_COLUMNS = columns({ header: 'PULL REQUEST READ', field: 'PullRequest' }, { header: 'PULL REQUEST WRITE', field: 'PullRequestPush' });
const SECRET_COLUMNS = [...columns('Name'), ...PULL_REQUEST_COLUMNS];
export const ORG_SECRET_COLUMNS = [...columns({ header: 'ORGANIZATION', field: 'Namespace' }, 'Name'), ...PULL_REQUEST_COLUMNS];

export type PullRequestOptions = { allowPullRequest?: boolean; allowPushOnPullRequest?: boolean };
type SecretOptions = PullRequestOptions & { repository?: string; name?: string; data?: string };

export function withPullRequestFlags(command: Command): Command {
  return command
    .option('--allow-pull-request', 'permit read access to pull requests')
    .option('--allow-push-on-pull-request', 'permit write access to pull requests (e.g. allow docker push)');
}

/** drone-go's Secret: empty strings and false are left out (so an update leaves them unchanged). */
export function secretBody(name: string | undefined, data: string | undefined, options: PullRequestOptions): Partial<Secret> {
  return {
    name: name || undefined,
    data: dataArgument(data) || undefined,
    pull_request: options.allowPullRequest || undefined,
    pull_request_push: options.allowPushOnPullRequest || undefined,
  };
}

const secretsUrl = (slug: string | undefined) => `/api/repos/${repoPath(slug ?? '')}/secrets`;

/** The secret named by --name or the argument, of the repository named by --repository or the argument. */
function namedSecret(options: SecretOptions, slug: string | undefined, name: string | undefined): { repo?: string; name: string; url: string } {
  const repo = options.repository ?? slug;
  const secretName = required(options.name ?? name, 'secret name (--name)');
  return { repo, name: secretName, url: `${secretsUrl(repo)}/${encodeURIComponent(secretName)}` };
}

export function secretCommand(): Command {
  const secret = new Command('secret').description("manage a repository's secrets");
  for (const [name, description] of [
    ['add', 'add a secret (use it with `from_secret: <name>`)'],
    ['update', 'update a secret'],
  ]) {
    const command = withPullRequestFlags(secret.command(`${name} [repo] [name] [data]`).description(description))
      .option('--repository <repo>', 'repository (e.g. octocat/hello-world)')
      .option('--name <name>', 'secret name')
      .option('--data <value>', 'secret value (@file reads a file)');
    clientAction<SecretOptions>(command, async (drone, [slug, positionalName, positionalData], options) => {
      const target = namedSecret(options, slug, positionalName);
      const body = secretBody(target.name, options.data ?? positionalData, options);
      if (name === 'add') await drone.post<Secret>(secretsUrl(target.repo), body);
      else await drone.patch<Secret>(target.url, body);
      console.log(`secret ${target.name} ${name === 'add' ? 'added to' : 'updated in'} ${target.repo}`);
    });
  }
  clientAction<PrintOptions & SecretOptions>(
    withOutput(secret.command('info [repo] [name]').description('show a secret (never its value)'), SECRET_FIELDS)
      .option('--repository <repo>', 'repository')
      .option('--name <name>', 'secret name'),
    async (drone, [slug, name], options) => {
      printItem(await drone.get<Secret>(namedSecret(options, slug, name).url), options, SECRET_TEMPLATE, SECRET_ZERO);
    },
  );
  clientAction<PrintOptions & SecretOptions>(
    withOutput(secret.command('ls [repo]').description('list secrets'), SECRET_FIELDS).option('--repository <repo>', 'repository'),
    async (drone, [slug], options) => printList(await drone.list<Secret>(secretsUrl(options.repository ?? slug)), options, SECRET_COLUMNS, SECRET_ZERO),
  );
  clientAction<SecretOptions>(
    secret.command('rm [repo] [name]').description('remove a secret').option('--repository <repo>', 'repository').option('--name <name>', 'secret name'),
    async (drone, [slug, name], options) => {
      const target = namedSecret(options, slug, name);
      await drone.delete(target.url);
      console.log(`secret ${target.name} removed from ${target.repo}`);
    },
  );
  return exitWithUsageCode(secret);
}
