// `hangar demo` (what `npm start` runs): Hangar on the embedded default — SQLite, in-memory bus, an
// embedded exec runner — with a demo git repository whose push hook builds it, and a first build.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { ConfigError, loadEnv } from '../../config/env.js';
import { hostPlatform } from '../../config/runner.js';
import { loadServerConfig } from '../../config/server.js';
import type { Build } from '../../core/types.js';
import { createLogger } from '../../server/logger.js';
import { api } from '../client.js';
import { installPushHook } from './repo.js';

const run = promisify(execFile);
const REPO = 'demo/hello';

export function demoCommand(): Command {
  return new Command('demo')
    .description('start Hangar with an embedded runner and a demo repository, and run a build')
    .option('--dir <path>', 'where the demo keeps its database and repository', '.hangar-demo')
    .action(async (options: { dir: string }) => {
      const dir = path.resolve(options.dir);
      fs.mkdirSync(dir, { recursive: true });
      const token = persistent(path.join(dir, 'token'), () => randomBytes(16).toString('hex'));
      let config;
      try {
        config = loadServerConfig(
          loadEnv('.env', {
            DRONE_SERVER_PORT: ':8080',
            DRONE_RUNNER_CAPACITY: '2',
            DRONE_DATABASE_DATASOURCE: path.join(dir, 'core.sqlite'),
            DRONE_USER_CREATE: `username:demo,admin:true,token:${token}`,
            DRONE_RUNNER_ROOT: fs.existsSync('/dev/shm') ? '/dev/shm' : path.join(dir, 'work'),
            DRONE_LOGS_PRETTY: 'true',
            ...process.env,
          }),
        );
      } catch (err) {
        if (err instanceof ConfigError) {
          console.error(`hangar demo: invalid configuration: ${err.message}`);
          process.exit(1);
        }
        throw err;
      }
      const log = createLogger({ ...config.logs, debug: false, trace: false }).child({}, { level: 'warn' });
      const { startServer } = await import('../../server/compose.js');
      const server = await startServer(config, log).catch((err: Error) => {
        console.error(`hangar demo: cannot start the server: ${err.message}`);
        process.exit(1);
      });
      const local = { server: server.url, token };
      const publicUrl = `http://localhost:${new URL(server.url).port}`;
      const repo = await prepareBareRepository(dir);
      await api(local, 'POST', `/api/repos/${REPO}`, { git_http_url: repo.url, default_branch: 'main' });
      // The hook is (re)installed each time: the server's address may differ from the last run.
      await installPushHook(local, REPO, repo.bare, `${server.url}/hook`);
      // The first push happens once the repository is enabled: its hook asks for build #1.
      const pushed = repo.fresh ? await pushFirstCommit(repo.bare, repo.work) : false;

      console.log(`
Hangar is running at ${publicUrl}  (SQLite: ${config.database.datasource}, embedded exec runner)

  API token of the admin account "demo":  ${token}
  Web UI:        ${publicUrl}/${REPO}  (sign in with the token)
  Use the CLI:   export DRONE_SERVER=${publicUrl} DRONE_TOKEN=${token}
                 npx hangar build ls ${REPO}
                 npx hangar build logs ${REPO} 1
  Build again:   cd ${repo.work} && git commit --allow-empty -m again && git push
                 (the repository's post-receive hook asks Hangar for a build; see README)
`);
      const first = pushed ? await latestBuild(local) : await api<Build | null>(local, 'POST', `/api/repos/${REPO}/builds?branch=main`);
      if (first) await report(local, first.number);
      console.log('Hangar keeps running; press Ctrl-C to stop.');
      const stop = () => server.stop().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

/** The bare repository Hangar clones. */
async function prepareBareRepository(dir: string): Promise<{ url: string; bare: string; work: string; fresh: boolean }> {
  const bare = path.join(dir, 'git', 'hello.git');
  const work = path.join(dir, 'hello');
  const fresh = !fs.existsSync(bare);
  if (fresh) await run('git', ['init', '--quiet', '--bare', '-b', 'main', bare]);
  return { url: `file://${bare}`, bare, work, fresh };
}

/** A working copy with the demo pipeline, committed and pushed. */
async function pushFirstCommit(bare: string, work: string): Promise<boolean> {
  await run('git', ['clone', '--quiet', bare, work]);
  fs.writeFileSync(path.join(work, '.drone.yml'), demoPipeline());
  fs.writeFileSync(path.join(work, 'README.md'), '# hello\n\nA demo repository that Hangar builds.\n');
  fs.writeFileSync(path.join(work, 'test.sh'), '#!/bin/sh\nset -e\ngrep -q Hangar README.md\necho "tests passed: README mentions Hangar"\n', { mode: 0o755 });
  const identity = ['-c', 'user.name=Hangar Demo', '-c', 'user.email=demo@hangar.invalid'];
  await run('git', ['-C', work, 'add', '-A']);
  await run('git', ['-C', work, ...identity, 'commit', '--quiet', '-m', 'A pipeline for Hangar']);
  await run('git', ['-C', work, 'config', 'user.name', 'Hangar Demo']);
  await run('git', ['-C', work, 'config', 'user.email', 'demo@hangar.invalid']);
  await run('git', ['-C', work, 'push', '--quiet', 'origin', 'main']);
  return true;
}

function demoPipeline(): string {
  const { os, arch } = hostPlatform();
  return `kind: pipeline
type: exec
name: build
platform:
  os: ${os}
  arch: ${arch}
steps:
- name: greet
  commands:
  - 'echo "Hello from Hangar: building $DRONE_REPO at commit \${DRONE_COMMIT_SHA:0:8}"'
- name: test
  commands:
  - ./test.sh
---
kind: pipeline
type: exec
name: report
platform:
  os: ${os}
  arch: ${arch}
depends_on: [build]
steps:
- name: summary
  commands:
  - echo "build $DRONE_BUILD_NUMBER of $DRONE_REPO passed its tests"
`;
}

async function latestBuild(client: { server: string; token: string }): Promise<Build | undefined> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const [latest] = await api<Build[]>(client, 'GET', `/api/repos/${REPO}/builds?per_page=1`);
    if (latest) return latest;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

/** Waits for the build to end and prints its stages and steps. */
async function report(client: { server: string; token: string }, number: number): Promise<void> {
  console.log(`Demo build #${number} started…`);
  let build = await api<Build>(client, 'GET', `/api/repos/${REPO}/builds/${number}`);
  while (build.status === 'pending' || build.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 250));
    build = await api<Build>(client, 'GET', `/api/repos/${REPO}/builds/${number}`);
  }
  for (const stage of build.stages ?? []) {
    console.log(`  ${mark(stage.status)} ${stage.name}: ${(stage.steps ?? []).map((s) => `${s.name} ${mark(s.status)}`).join(', ')}`);
  }
  console.log(`Demo build #${number}: ${build.status}${build.error ? ` (${build.error})` : ''}\n`);
}

function mark(status: string): string {
  return status === 'success' ? '✓' : status === 'skipped' ? '-' : '✗';
}

function persistent(file: string, create: () => string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const value = create();
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}
