// `hangar orgsecret add|update|info|ls|rm`: organization secrets, shared by every repository of a namespace.

import { Command } from 'commander';
import type { Secret } from '../../core/types.js';
import { clientAction, required } from './action.js';
import { exitWithUsageCode } from './exit-codes.js';
import { type PrintOptions, printItem, printList, withOutput } from './output.js';
import { ORG_SECRET_COLUMNS, type PullRequestOptions, SECRET_FIELDS, SECRET_ZERO, secretBody, withPullRequestFlags } from './secret.js';

const ORG_SECRET_TEMPLATE = `{{ .Name }}
Organization:       {{ .Namespace }}
Pull Request Read:  {{ .PullRequest }}
Pull Request Write: {{ .PullRequestPush }}
`;

const orgUrl = (org: string | undefined) => `/api/secrets/${encodeURIComponent(required(org, 'organization'))}`;
const secretUrl = (org: string | undefined, name: string | undefined) => `${orgUrl(org)}/${encodeURIComponent(required(name, 'secret name'))}`;

export function orgSecretCommand(): Command {
  const orgsecret = new Command('orgsecret').description('manage organization secrets');
  clientAction<PullRequestOptions>(
    withPullRequestFlags(orgsecret.command('add <org> <name> <data>').description('add an organization secret (@file reads a file)')),
    async (drone, [org, name, data], options) => {
      await drone.post<Secret>(orgUrl(org), secretBody(name, data, options));
      console.log(`secret ${name} added to ${org}`);
    },
  );
  clientAction<PullRequestOptions>(
    withPullRequestFlags(orgsecret.command('update <org> <name> [data]').description('update an organization secret')),
    async (drone, [org, name, data], options) => {
      await drone.patch<Secret>(secretUrl(org, name), secretBody(name, data, options));
      console.log(`secret ${name} updated in ${org}`);
    },
  );
  clientAction<PrintOptions>(
    withOutput(orgsecret.command('info <org> <name>').description('show an organization secret (never its value)'), SECRET_FIELDS),
    async (drone, [org, name], options) => printItem(await drone.get<Secret>(secretUrl(org, name)), options, ORG_SECRET_TEMPLATE, SECRET_ZERO),
  );
  clientAction<PrintOptions & { filter?: string }>(
    withOutput(orgsecret.command('ls').description('list organization secrets (every one: admin)'), SECRET_FIELDS).option('--filter <org>', 'only this organization'),
    async (drone, _args, options) => {
      const secrets = await drone.list<Secret>(options.filter ? orgUrl(options.filter) : '/api/secrets');
      printList(secrets, options, ORG_SECRET_COLUMNS, SECRET_ZERO);
    },
  );
  clientAction(orgsecret.command('rm <org> <name>').description('remove an organization secret'), async (drone, [org, name]) => {
    await drone.delete(secretUrl(org, name));
    console.log(`secret ${name} removed from ${org}`);
  });
  return exitWithUsageCode(orgsecret);
}
