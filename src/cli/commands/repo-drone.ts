// The drone CLI's repository commands: ls, info, enable, disable, update, repair, chown, sync.

import { type Command, InvalidArgumentError } from 'commander';
import type { Repo } from '../../core/types.js';
import { type DroneClient, repoPath } from '../client.js';
import { clientAction, integer, parseBool } from './action.js';
import { columns, type PrintOptions, printItem, printList, withOutput } from './output.js';

const REPO_TEMPLATE = `Owner: {{ .Namespace }}
Repo: {{ .Name }}
Config: {{ .Config }}
Visibility: {{ .Visibility }}
Private: {{ .Private }}
Trusted: {{ .Trusted }}
Protected: {{ .Protected }}
Remote: {{ .HTTPURL }}
CancelRunning: {{ .CancelRunning }}
CancelPulls: {{ .CancelPulls }}
CancelPush: {{ .CancelPush }}
`;

const REPO_FIELDS = 'Slug, Namespace, Name, Config, Visibility, Private, Trusted, Protected, Active, HTTPURL, Branch';

const REPO_COLUMNS = columns({ header: 'REPO', field: 'Slug' }, 'Active', 'Visibility', 'Branch');

const repoUrl = (slug: string | undefined) => `/api/repos/${repoPath(slug ?? '')}`;

export function addDroneCommands(repo: Command): void {
  clientAction<PrintOptions & { org?: string; active?: boolean }>(
    withOutput(repo.command('ls').description('list your repositories'), REPO_FIELDS)
      .option('--org <org>', 'filter by organization')
      .option('--active', 'active repositories only'),
    async (drone, _args, options) => {
      const repos = await drone.list<Repo>('/api/user/repos');
      printList(repos.filter((r) => (!options.org || r.namespace === options.org) && (!options.active || r.active)), options, REPO_COLUMNS);
    },
  );
  clientAction<PrintOptions>(withOutput(repo.command('sync').description('synchronize the repository list with the SCM'), REPO_FIELDS), async (drone, _args, options) => {
    printList((await drone.post<Repo[] | null>('/api/user/repos')) ?? [], options, REPO_COLUMNS);
  });
  clientAction<PrintOptions>(withOutput(repo.command('info <repo>').description('show repository details'), REPO_FIELDS), async (drone, [slug], options) => {
    printItem(await drone.get<Repo>(repoUrl(slug)), options, REPO_TEMPLATE);
  });
  addStateCommands(repo);
  addUpdateCommand(repo);
}

/** enable, disable, repair, chown: one request each, no body. */
function addStateCommands(repo: Command): void {
  const commands: [string, string, (drone: DroneClient, url: string) => Promise<unknown>, string][] = [
    ['enable', 'enable a repository', (drone, url) => drone.post(url), 'Successfully activated repository'],
    ['disable', 'disable a repository', (drone, url) => drone.delete(url), 'Successfully removed repository'],
    ['repair', 'repair the repository webhook', (drone, url) => drone.post(`${url}/repair`), 'Successfully repaired repository'],
    ['chown', 'assume ownership of a repository', (drone, url) => drone.post(`${url}/chown`), 'Successfully assumed ownership of repository'],
  ];
  for (const [name, description, send, done] of commands) {
    clientAction(repo.command(`${name} <repo>`).description(description), async (drone, [slug]) => {
      await send(drone, repoUrl(slug));
      console.log(`${done} ${slug}`);
    });
  }
}

type UpdateOptions = {
  trusted?: boolean;
  protected?: boolean;
  throttle?: string;
  timeout?: number;
  visibility?: string;
  ignoreForks?: boolean;
  ignorePullRequests?: boolean;
  autoCancelPullRequests?: boolean;
  autoCancelPushes?: boolean;
  autoCancelRunning?: boolean;
  config?: string;
  buildCounter?: string;
  unsafe?: boolean;
};

function addUpdateCommand(repo: Command): void {
  const update = repo.command('update <repo>').description('update repository settings (only the flags given change)');
  for (const [flag, description] of [
    ['trusted', 'trusted repository'],
    ['protected', 'protected repository (unsigned builds wait for approval)'],
    ['ignore-forks', 'ignore pull requests from forks'],
    ['ignore-pull-requests', 'ignore pull requests'],
    ['auto-cancel-pull-requests', 'cancel pending pull request builds when a newer one starts'],
    ['auto-cancel-pushes', 'cancel pending push builds when a newer one starts'],
    ['auto-cancel-running', 'also cancel running builds'],
  ]) {
    update.option(`--${flag} [bool]`, `${description} (true/false; alone: true)`, parseBool);
  }
  update
    .option('--throttle <n>', 'at most n stages of the repository run at once')
    .option('--timeout <duration>', 'build timeout: minutes, or a Go duration such as 1h30m', parseTimeout)
    .option('--visibility <visibility>', 'public, private or internal', parseVisibility)
    .option('--config <path>', 'configuration file path (e.g. .drone.yml)')
    .option('--build-counter <n>', 'the next build number is n + 1 (needs --unsafe)')
    .option('--unsafe', 'confirm that changing the build counter is wanted');
  clientAction<UpdateOptions>(update, async (drone, [slug], options) => {
    await drone.patch<Repo>(repoUrl(slug), repoPatch(options));
    console.log(`Successfully updated repository ${slug}`);
  });
}

/**
 * drone-go's RepoPatch: the first six keys are left out when not given; the ignore and auto-cancel keys are
 * always sent, `null` meaning unchanged.
 */
function repoPatch(options: UpdateOptions): Record<string, unknown> {
  const patch: Record<string, unknown> = {
    config_path: options.config,
    protected: options.protected,
    trusted: options.trusted,
    throttle: options.throttle === undefined ? undefined : integer(options.throttle, '--throttle'),
    timeout: options.timeout,
    visibility: options.visibility,
    ignore_forks: options.ignoreForks ?? null,
    ignore_pull_requests: options.ignorePullRequests ?? null,
    auto_cancel_pull_requests: options.autoCancelPullRequests ?? null,
    auto_cancel_pushes: options.autoCancelPushes ?? null,
    auto_cancel_running: options.autoCancelRunning ?? null,
  };
  if (options.buildCounter !== undefined) {
    if (options.unsafe) patch.counter = integer(options.buildCounter, '--build-counter');
    else console.error('Setting the build counter is an unsafe operation that could put your repository in an inconsistent state. Please use --unsafe to proceed');
  }
  return patch;
}

const GO_DURATION_UNITS: Record<string, number> = { h: 60, m: 1, s: 1 / 60, ms: 1 / 60_000, us: 1 / 60e6, µs: 1 / 60e6, ns: 1 / 60e9 };

/** Minutes, as drone sends a Go duration: `90`, `90m`, `1h30m` → 90 (truncated, as Go's integer division). */
function parseTimeout(value: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) throw new InvalidArgumentError('expected minutes or a duration such as 1h30m.');
  return Math.trunc(parts.reduce((minutes, [, amount, unit]) => minutes + Number(amount) * GO_DURATION_UNITS[unit], 0));
}

export function parseVisibility(value: string): string {
  if (['public', 'private', 'internal'].includes(value)) return value;
  throw new InvalidArgumentError('expected public, private or internal.');
}
