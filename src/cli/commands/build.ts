// `hangar build create|ls|info|logs|cancel|restart`: builds through the API.

import { Command } from 'commander';
import type { Build, Line } from '../../core/types.js';
import { api, clientSettings, repoPath } from '../client.js';
import { printJson, withClient } from './output.js';

type ClientOptions = { server?: string; token?: string };

export function buildCommand(): Command {
  const build = new Command('build').description('manage builds');
  withClient(
    build
      .command('create <slug>')
      .description('start a build of a branch (at its head, or at --commit)')
      .option('--branch <name>', 'branch (default: the repository default branch)')
      .option('--commit <sha>', 'commit to build')
      .option('-p, --param <key=value...>', 'build parameters'),
  ).action(async (slug: string, options: ClientOptions & { branch?: string; commit?: string; param?: string[] }) => {
    const query = new URLSearchParams();
    if (options.branch) query.set('branch', options.branch);
    if (options.commit) query.set('commit', options.commit);
    for (const param of options.param ?? []) {
      const [key, ...rest] = param.split('=');
      query.set(key, rest.join('='));
    }
    const created = await api<Build | null>(clientSettings(options), 'POST', `/api/repos/${repoPath(slug)}/builds?${query}`);
    if (!created) console.log('no pipeline matched: nothing to build');
    else console.log(`build #${created.number} ${created.status}${created.error ? `: ${created.error}` : ''}`);
  });
  withClient(build.command('ls <slug>').description('list recent builds')).action(async (slug: string, options: ClientOptions) => {
    for (const b of await api<Build[]>(clientSettings(options), 'GET', `/api/repos/${repoPath(slug)}/builds`)) {
      console.log(`#${b.number}\t${b.status}\t${b.event}\t${b.target}\t${b.after.slice(0, 8)}\t${b.message.split('\n')[0]}`);
    }
  });
  withClient(build.command('info <slug> <number>').description('show a build with its stages and steps')).action(async (slug: string, number: string, options: ClientOptions) => {
    printJson(await api<Build>(clientSettings(options), 'GET', `/api/repos/${repoPath(slug)}/builds/${number}`));
  });
  withClient(build.command('logs <slug> <number> [stage] [step]').description('print the logs of a build (or of one step)')).action(
    async (slug: string, number: string, stage: string | undefined, step: string | undefined, options: ClientOptions) => {
      const settings = clientSettings(options);
      const detail = await api<Build>(settings, 'GET', `/api/repos/${repoPath(slug)}/builds/${number}`);
      for (const s of detail.stages ?? []) {
        if (stage && String(s.number) !== stage) continue;
        for (const t of s.steps ?? []) {
          if (step && String(t.number) !== step) continue;
          console.log(`--- ${s.name} / ${t.name} (${t.status})`);
          const lines = await api<Line[]>(settings, 'GET', `/api/repos/${repoPath(slug)}/builds/${number}/logs/${s.number}/${t.number}`).catch(() => []);
          for (const line of lines) process.stdout.write(line.out.endsWith('\n') ? line.out : `${line.out}\n`);
        }
      }
    },
  );
  withClient(build.command('cancel <slug> <number>').description('cancel a build')).action(async (slug: string, number: string, options: ClientOptions) => {
    const cancelled = await api<Build>(clientSettings(options), 'DELETE', `/api/repos/${repoPath(slug)}/builds/${number}`);
    console.log(`build #${cancelled.number} ${cancelled.status}`);
  });
  withClient(build.command('restart <slug> <number>').description('restart a build')).action(async (slug: string, number: string, options: ClientOptions) => {
    const restarted = await api<Build | null>(clientSettings(options), 'POST', `/api/repos/${repoPath(slug)}/builds/${number}`);
    console.log(restarted ? `build #${restarted.number} ${restarted.status}` : 'no pipeline matched');
  });
  return build;
}
