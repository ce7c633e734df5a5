// `hangar build …`: the drone CLI's build commands (ls, last, info, create, restart, stop, approve, decline,
// promote, rollback, queue, queue-v2), sending drone-go's requests; `cancel` and `logs` are Hangar's older names.

import { Command } from 'commander';
import type { Build, Line, Repo } from '../../core/types.js';
import { type DroneClient, repoPath } from '../client.js';
import { type Args, clientAction, collect, integer, keyPairs } from './action.js';
import { exitWithUsageCode } from './exit-codes.js';
import { columns, type PrintOptions, printItem, printList, withOutput } from './output.js';

const BUILD_TEMPLATE = `Number: {{ .Number }}
Status: {{ .Status }}
Event: {{ .Event }}
Commit: {{ .After }}
Branch: {{ .Target }}
Ref: {{ .Ref }}
Author: {{ .Author }} {{ if .AuthorEmail }}<{{.AuthorEmail}}>{{ end }}
Message: {{ .Message }}
`;

const BUILD_FIELDS = 'Number, Status, Event, After, Target, Ref, Author, AuthorEmail, Message, Created, Started, Finished';

const BUILD_COLUMNS = columns(
  'Number',
  'Status',
  'Event',
  { header: 'BRANCH', field: 'Target' },
  { header: 'COMMIT', field: 'After', short: 8 },
  'Author',
  { header: 'MESSAGE', field: 'Message', width: 60 },
);

const QUEUE_COLUMNS = columns(
  { header: 'REPO', field: 'Slug' },
  { header: 'BUILD', field: 'Build.Number' },
  'Build.Status',
  'Build.Event',
  { header: 'BRANCH', field: 'Build.Target' },
  'Build.Author',
);

const QUEUE_V2_COLUMNS = columns(
  { header: 'REPO', field: 'RepoSlug' },
  { header: 'BUILD', field: 'BuildNumber' },
  { header: 'STAGE', field: 'StageName' },
  { header: 'STATUS', field: 'StageStatus' },
  { header: 'MACHINE', field: 'StageMachine' },
);

type Filters = { branch?: string; event?: string; status?: string };
type ParamOptions = PrintOptions & { param?: string[] };

const builds = (slug: string | undefined) => `/api/repos/${repoPath(slug ?? '')}/builds`;

export function buildCommand(): Command {
  const build = new Command('build').description('manage builds');
  addListCommands(build);
  addTriggerCommands(build);
  addReviewCommands(build);
  addHangarCommands(build);
  return exitWithUsageCode(build);
}

function addListCommands(build: Command): void {
  clientAction<PrintOptions & Filters & { limit: string; page: string }>(
    withOutput(build.command('ls <repo>').description('show build history'), BUILD_FIELDS)
      .option('--branch <branch>', 'branch filter')
      .option('--event <event>', 'event filter')
      .option('--status <status>', 'status filter')
      .option('--limit <n>', 'limit the list size', '25')
      .option('--page <n>', 'page number', '1'),
    async (drone, [slug], options) => {
      const list = await drone.list<Build>(builds(slug), { page: integer(options.page, '--page'), per_page: integer(options.limit, '--limit') });
      printList(list.filter((b) => matches(b, options)), options, BUILD_COLUMNS);
    },
  );
  clientAction<PrintOptions & { branch?: string }>(
    withOutput(build.command('last <repo>').description('show latest build details'), BUILD_FIELDS).option(
      '--branch <branch>',
      "branch name (default: the repository's default branch)",
    ),
    async (drone, [slug], options) => printItem(await drone.get<Build>(`${builds(slug)}/latest`, { branch: options.branch }), options, BUILD_TEMPLATE),
  );
  clientAction<PrintOptions>(
    withOutput(build.command('info <repo> [build]').description('show build details (the latest build without a number)'), BUILD_FIELDS),
    async (drone, [slug, number], options) => {
      const found = await drone.get<Build>(`${builds(slug)}/${await resolveBuildNumber(drone, slug, number)}`);
      printItem(found, options, BUILD_TEMPLATE);
    },
  );
  clientAction<PrintOptions & Filters & { repo?: string }>(
    withOutput(build.command('queue').description('show the pending and running builds of every repository (admin)'), 'Slug, Build.Number, Build.Status, …')
      .option('--repo <repo>', 'repo filter')
      .option('--branch <branch>', 'branch filter')
      .option('--event <event>', 'event filter')
      .option('--status <status>', 'status filter'),
    async (drone, _args, options) => {
      const repos = await drone.list<Repo>('/api/builds/incomplete');
      printList(repos.filter((r) => (!options.repo || r.slug === options.repo) && r.build !== undefined && matches(r.build, options)), options, QUEUE_COLUMNS);
    },
  );
  clientAction<PrintOptions & { repo?: string }>(
    withOutput(build.command('queue-v2').description('show the pending and running stages of every repository (admin)'), 'RepoSlug, BuildNumber, StageName, StageStatus, …').option(
      '--repo <repo>',
      'repo filter',
    ),
    async (drone, _args, options) => {
      const stages = await drone.list<{ repo_slug: string }>('/api/builds/incomplete/v2');
      printList(stages.filter((s) => !options.repo || s.repo_slug === options.repo), options, QUEUE_V2_COLUMNS);
    },
  );
}

function addTriggerCommands(build: Command): void {
  clientAction<ParamOptions & { commit?: string; branch?: string }>(
    withParams(withOutput(build.command('create <repo>').description('create a build (of a branch, or of a commit)'), BUILD_FIELDS))
      .option('--commit <sha>', 'source commit')
      .option('--branch <branch>', 'source branch'),
    async (drone, [slug], options) => {
      const query = { ...keyPairs(options.param), commit: options.commit, branch: options.branch };
      printBuildOrNothing(await drone.post<Build | null>(builds(slug), undefined, query), options);
    },
  );
  clientAction<ParamOptions>(
    withParams(withOutput(build.command('restart <repo> [build]').description('restart a build (the latest without a number)'), BUILD_FIELDS)),
    async (drone, [slug, number], options) => {
      const restarted = await drone.post<Build | null>(`${builds(slug)}/${await resolveBuildNumber(drone, slug, number)}`, undefined, keyPairs(options.param));
      printBuildOrNothing(restarted, options);
    },
  );
  for (const [name, description] of [
    ['promote', 'promote a build to an environment'],
    ['rollback', 'roll an environment back to a build'],
  ]) {
    clientAction<ParamOptions>(
      withParams(withOutput(build.command(`${name} <repo> <build> <environment>`).description(description), BUILD_FIELDS)),
      async (drone, [slug, number, target], options) => {
        const query = { ...keyPairs(options.param), target };
        printBuildOrNothing(await drone.post<Build | null>(`${builds(slug)}/${integer(number, 'build')}/${name}`, undefined, query), options);
      },
    );
  }
}

function addReviewCommands(build: Command): void {
  for (const [name, verb] of [
    ['approve', 'Approving'],
    ['decline', 'Declining'],
  ]) {
    clientAction(build.command(`${name} <repo> <build> <stage>`).description(`${name} a blocked build stage`), async (drone, [slug, number, stage]) => {
      const buildNumber = integer(number, 'build');
      await drone.post<unknown>(`${builds(slug)}/${buildNumber}/${name}/${integer(stage, 'stage')}`);
      console.log(`${verb} build ${slug}#${buildNumber}`);
    });
  }
  const stop = build.command('stop <repo> <build>').description('stop a build').alias('cancel');
  clientAction(stop, async (drone, [slug, number]) => {
    const buildNumber = integer(number, 'build');
    await drone.delete(`${builds(slug)}/${buildNumber}`);
    console.log(`Stopping build ${slug}#${buildNumber}`);
  });
}

function addHangarCommands(build: Command): void {
  clientAction(build.command('logs <repo> <build> [stage] [step]').description('print the logs of a build (or of one stage or step)'), async (drone, args) => {
    await printBuildLogs(drone, args);
  });
}

/** Every step's log of a build (or of one stage, or one step), with a header per step. */
async function printBuildLogs(drone: DroneClient, [slug, number, stage, step]: Args): Promise<void> {
  const detail = await drone.get<Build>(`${builds(slug)}/${integer(number, 'build')}`);
  for (const s of detail.stages ?? []) {
    if (stage && String(s.number) !== stage) continue;
    for (const t of s.steps ?? []) {
      if (step && String(t.number) !== step) continue;
      console.log(`--- ${s.name} / ${t.name} (${t.status})`);
      const lines = await drone.list<Line>(`${builds(slug)}/${detail.number}/logs/${s.number}/${t.number}`).catch(() => []);
      printLines(lines);
    }
  }
}

export function printLines(lines: Line[]): void {
  for (const line of lines) process.stdout.write(line.out.endsWith('\n') ? line.out : `${line.out}\n`);
}

function withParams(command: Command): Command {
  return command.option('-p, --param <KEY=value>', 'custom parameter for the build environment (repeatable)', collect);
}

/** `[build]` as drone reads it: a number, or `last`/nothing for the latest build (GET builds/latest). */
async function resolveBuildNumber(drone: DroneClient, slug: string | undefined, number: string | undefined): Promise<number> {
  if (number && number !== 'last') return integer(number, 'build');
  return (await drone.get<Build>(`${builds(slug)}/latest`)).number;
}

function matches(build: Build, filters: Filters): boolean {
  return (!filters.branch || build.target === filters.branch) && (!filters.event || build.event === filters.event) && (!filters.status || build.status === filters.status);
}

/** Hangar answers `null` when no pipeline matched the trigger (Drone: an error); that is not a failure. */
function printBuildOrNothing(build: Build | null, options: PrintOptions): void {
  if (build) printItem(build, options, BUILD_TEMPLATE);
  else if (options.json) console.log('null');
  else console.log('no pipeline matched: nothing to build');
}

