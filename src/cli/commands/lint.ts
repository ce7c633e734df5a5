// `hangar lint [file]`: checks a configuration against every rule Drone's server and runners apply and
// prints each problem as `file:line:column: message`. Exit code 1 when there is any problem.

import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { ConfigError } from '../../pipeline/index.js';

// The external variables Drone's server defines for .drone.jsonnet (empty unless given with --var).
const JSONNET_VARS = [
  'build.event', 'build.action', 'build.environment', 'build.link', 'build.branch', 'build.source', 'build.before',
  'build.after', 'build.target', 'build.ref', 'build.commit', 'build.title', 'build.message', 'build.source_repo',
  'build.author_login', 'build.author_name', 'build.author_email', 'build.author_avatar', 'build.sender',
  'repo.uid', 'repo.name', 'repo.namespace', 'repo.slug', 'repo.git_http_url', 'repo.git_ssh_url', 'repo.link',
  'repo.branch', 'repo.config', 'repo.private', 'repo.visibility', 'repo.active', 'repo.trusted', 'repo.protected',
  'repo.ignore_forks', 'repo.ignore_pull_requests',
];

interface LintCliOptions {
  trusted?: boolean;
  var: string[];
}

export function lintCommand(): Command {
  return new Command('lint')
    .description('check a .drone.yml (or .drone.jsonnet, .drone.star) against Drone\'s rules; prints file:line:column: message')
    .argument('[file]', 'configuration file', '.drone.yml')
    .option('--trusted', 'lint as a trusted repository (allows privileged mode, host volumes, ...)')
    .option('--var <key=value>', 'jsonnet external variable, e.g. build.branch=main (repeatable)', collect, [])
    .action(async (file: string, options: LintCliOptions) => {
      const lines = await lintFile(file, options);
      for (const line of lines) console.log(line);
      process.exitCode = lines.length > 0 ? 1 : 0;
    });
}

/** The report lines for a file (empty when it passes). */
export async function lintFile(file: string, options: { trusted?: boolean; var?: string[] }): Promise<string[]> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    return [`${file}: cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`];
  }
  // Loaded here, not at the CLI's start: only this command needs the linter (and Jsonnet's native addon).
  const [{ DEFAULT_MAX_CONFIG_SIZE, lintConfig }, { checkSize }] = await Promise.all([import('../../pipeline/index.js'), import('../../pipeline/limits.js')]);
  const sizeError = checkSize(source, DEFAULT_MAX_CONFIG_SIZE);
  if (sizeError) return [`${file}: ${sizeError}`];
  if (file.endsWith('.jsonnet')) {
    const { convertJsonnet } = await import('../../pipeline/convert/jsonnet.js');
    const converted = await convertJsonnet(source, file, jsonnetVars(options.var ?? []));
    if (!converted.ok) return [converted.error];
    source = converted.yaml;
    file = `${file} (converted)`;
  } else if (/\.(star|starlark|script)$/.test(file)) {
    const { DEFAULT_STARLARK_OPTIONS, renderStarlarkSource } = await import('./starlark.js');
    const converted = await renderStarlarkSource(source, file, DEFAULT_STARLARK_OPTIONS);
    if (!converted.ok) return [converted.error];
    source = converted.yaml;
    file = `${file} (converted)`;
  }
  return lintConfig(source, { trusted: options.trusted === true }).map((e) => formatLine(file, e));
}

function formatLine(file: string, error: ConfigError): string {
  return error.position ? `${file}:${error.position.line}:${error.position.column}: ${error.message}` : `${file}: ${error.message}`;
}

function jsonnetVars(pairs: string[]): Record<string, string> {
  const vars: Record<string, string> = Object.fromEntries(JSONNET_VARS.map((k) => [k, '']));
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq > 0) vars[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return vars;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
