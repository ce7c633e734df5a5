// `hangar starlark [file]`: runs a .drone.star as Drone's server would and prints the generated documents as
// YAML, `---`-separated, like the drone CLI's local starlark command. The build context comes from flags.

import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { DroneContext } from '../../pipeline/starlark/context.js';

export interface StarlarkCliOptions {
  repo: string;
  branch: string;
  event: string;
  commit: string;
  ref?: string;
  param: string[];
  stepLimit: string;
  sizeLimit: string;
  /** Print the server's exact text (JSON documents) instead of YAML. */
  raw?: boolean;
}

export function starlarkCommand(): Command {
  return new Command('starlark')
    .description('run a .drone.star configuration and print the generated YAML documents')
    .argument('[file]', 'Starlark configuration file', '.drone.star')
    .option('--repo <owner/name>', 'repository slug for ctx.repo', DEFAULT_STARLARK_OPTIONS.repo)
    .option('--branch <branch>', 'ctx.build.branch (the target branch)', DEFAULT_STARLARK_OPTIONS.branch)
    .option('--event <event>', 'ctx.build.event: push, pull_request, tag, promote, rollback, cron, custom', DEFAULT_STARLARK_OPTIONS.event)
    .option('--commit <sha>', 'ctx.build.commit', DEFAULT_STARLARK_OPTIONS.commit)
    .option('--ref <ref>', 'ctx.build.ref (default refs/heads/<branch>)')
    .option('--param <key=value>', 'ctx.build.params entry (repeatable)', collect, [])
    .option('--step-limit <n>', 'execution step limit (DRONE_STARLARK_STEP_LIMIT)', '0')
    .option('--size-limit <bytes>', 'output size limit (DRONE_STARLARK_SIZE_LIMIT)', '0')
    .option('--raw', "print the server's exact text (JSON documents, what a signature of a protected repository covers)")
    .action(async (file: string, options: StarlarkCliOptions) => {
      const result = await renderStarlarkFile(file, options);
      if (result.ok) process.stdout.write(result.yaml);
      else {
        console.error(result.error);
        process.exitCode = 1;
      }
    });
}

/** The flags' defaults: a push to master of octocat/hello-world. */
export const DEFAULT_STARLARK_OPTIONS: StarlarkCliOptions = {
  repo: 'octocat/hello-world', branch: 'master', event: 'push', commit: '', param: [], stepLimit: '0', sizeLimit: '0',
};

type Rendered = { ok: true; yaml: string } | { ok: false; error: string };

export async function renderStarlarkFile(file: string, options: StarlarkCliOptions): Promise<Rendered> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    return { ok: false, error: `${file}: cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  return renderStarlarkSource(source, file, options);
}

/** Runs a script's main(ctx) with the flags' build context and renders its documents as YAML. */
export async function renderStarlarkSource(source: string, file: string, options: StarlarkCliOptions): Promise<Rendered> {
  const [{ runDroneScript }, { renderYamlDocuments }] = await Promise.all([
    import('../../pipeline/starlark/drone.js'),
    import('../../pipeline/starlark/render-yaml.js'),
  ]);
  const result = runDroneScript(source, file, cliContext(file, options), {
    stepLimit: Number(options.stepLimit) || 0,
    sizeLimit: Number(options.sizeLimit) || 0,
    print: (msg) => console.error(msg),
  });
  if (!result.ok) return result;
  return { ok: true, yaml: options.raw ? result.text : renderYamlDocuments(result.documents) };
}

function cliContext(file: string, options: StarlarkCliOptions): DroneContext {
  const [namespace = '', name = ''] = options.repo.split('/');
  const params: Record<string, string> = {};
  for (const pair of options.param) {
    const eq = pair.indexOf('=');
    if (eq > 0) params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return {
    repo: {
      uid: '', name, namespace, slug: options.repo, git_http_url: '', git_ssh_url: '', link: '', branch: options.branch, config: file,
      private: false, visibility: 'public', active: true, trusted: false, protected: false, ignore_forks: false, ignore_pull_requests: false,
    },
    build: {
      event: options.event, action: '', cron: '', environment: '', link: '', branch: options.branch, source: options.branch, before: '',
      after: options.commit, target: options.branch, ref: options.ref ?? `refs/heads/${options.branch}`, commit: options.commit, title: '',
      message: '', source_repo: '', author_login: '', author_name: '', author_email: '', author_avatar: '', sender: '', debug: false,
    },
    params,
    input: {},
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
