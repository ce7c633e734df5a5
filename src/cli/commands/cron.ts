// `hangar cron add|ls|info|rm|exec|enable|disable`: a repository's cron jobs, as the drone CLI manages them.

import { Command } from 'commander';
import type { Cron, Repo } from '../../core/types.js';
import { repoPath } from '../client.js';
import { clientAction, required } from './action.js';
import { exitWithUsageCode } from './exit-codes.js';
import { columns, type PrintOptions, printItem, printList, withOutput } from './output.js';

const CRON_TEMPLATE = `{{ .Name }}
Expr: {{ .Expr }}
Next: {{ .Next | time }}
{{- if .Disabled }}
Disabled: true
{{- end }}
`;

const CRON_FIELDS = 'Name, Expr, Next, Prev, Event, Branch, Target, Disabled';

const CRON_COLUMNS = columns('Name', 'Expr', 'Branch', { header: 'NEXT', field: 'Next', time: true }, 'Disabled');

const cronsUrl = (slug: string | undefined) => `/api/repos/${repoPath(slug ?? '')}/cron`;
const cronUrl = (slug: string | undefined, name: string | undefined) => `${cronsUrl(slug)}/${encodeURIComponent(required(name, 'cron job name'))}`;

export function cronCommand(): Command {
  const cron = new Command('cron').description('manage cron jobs');
  clientAction<PrintOptions & { branch?: string }>(
    withOutput(cron.command('add <repo> <name> <expr>').description('add a cron job (expr: Drone\'s six fields, seconds first, or @daily…)'), CRON_FIELDS).option(
      '--branch <branch>',
      "branch to build (default: the repository's default branch)",
    ),
    async (drone, [slug, name, expr], options) => {
      // The server refuses a cron without a branch; drone's CLI sends "master", Hangar's the repository's own.
      const branch = options.branch ?? (await drone.get<Repo>(`/api/repos/${repoPath(slug ?? '')}`)).default_branch;
      // drone-go sends the whole Cron, zero values included.
      const body = { id: 0, repo_id: 0, name, expr, next: 0, prev: 0, event: '', branch, target: '', disabled: false, created: 0, updated: 0 };
      printItem(await drone.post<Cron>(cronsUrl(slug), body), options, CRON_TEMPLATE);
    },
  );
  clientAction<PrintOptions>(withOutput(cron.command('ls <repo>').description('list cron jobs'), CRON_FIELDS), async (drone, [slug], options) => {
    printList(await drone.list<Cron>(cronsUrl(slug)), options, CRON_COLUMNS);
  });
  clientAction<PrintOptions>(withOutput(cron.command('info <repo> <name>').description('show a cron job'), CRON_FIELDS), async (drone, [slug, name], options) => {
    printItem(await drone.get<Cron>(cronUrl(slug, name)), options, CRON_TEMPLATE);
  });
  clientAction(cron.command('rm <repo> <name>').description('remove a cron job'), async (drone, [slug, name]) => {
    await drone.delete(cronUrl(slug, name));
    console.log(`cron ${name} removed from ${slug}`);
  });
  clientAction(cron.command('exec <repo> <name>').description('run a cron job now'), async (drone, [slug, name]) => {
    await drone.post<unknown>(cronUrl(slug, name));
    console.log(`cron ${name} of ${slug} triggered`);
  });
  for (const [name, disabled] of [
    ['enable', false],
    ['disable', true],
  ] as const) {
    clientAction(cron.command(`${name} <repo> <cron>`).description(`${name} a cron job`), async (drone, [slug, cronName]) => {
      // drone-go's CronPatch has no omitempty: the keys not changed go as null.
      await drone.patch<Cron>(cronUrl(slug, cronName), { event: null, branch: null, target: null, disabled });
      console.log(`cron ${cronName} of ${slug} ${name}d`);
    });
  }
  return exitWithUsageCode(cron);
}
