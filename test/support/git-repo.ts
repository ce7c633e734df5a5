// A real git repository for end-to-end tests: a bare repository (what Hangar clones; install the README's
// post-receive hook in it with `installPushHook`) and a working copy that commits and pushes to it.

import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const IDENTITY = ['-c', 'user.name=Test Author', '-c', 'user.email=author@example.com'];

export interface TestRepo {
  /** The clone URL Hangar gets (file://). */
  url: string;
  bare: string;
  /** Commits these files and pushes; resolves the commit sha (the hook has run when this returns). */
  push(files: Record<string, string>, message: string): Promise<{ sha: string; output: string }>;
  /** Creates and pushes a branch at the current commit. */
  branch(name: string): Promise<void>;
}

export async function createTestRepo(dir: string): Promise<TestRepo> {
  const bare = join(dir, 'repo.git');
  const work = join(dir, 'work');
  await run('git', ['init', '--quiet', '--bare', '-b', 'main', bare]);
  await run('git', ['init', '--quiet', '-b', 'main', work]);
  await run('git', ['-C', work, 'remote', 'add', 'origin', bare]);
  return {
    url: `file://${bare}`,
    bare,
    async push(files, message) {
      for (const [name, content] of Object.entries(files)) {
        await mkdir(join(work, name, '..'), { recursive: true });
        await writeFile(join(work, name), content);
      }
      await run('git', ['-C', work, 'add', '-A']);
      await run('git', ['-C', work, ...IDENTITY, 'commit', '--quiet', '-m', message]);
      const { stderr } = await run('git', ['-C', work, 'push', '--quiet', 'origin', 'main']);
      const { stdout } = await run('git', ['-C', work, 'rev-parse', 'HEAD']);
      return { sha: stdout.trim(), output: stderr };
    },
    async branch(name) {
      await run('git', ['-C', work, 'push', '--quiet', 'origin', `HEAD:refs/heads/${name}`]);
    },
  };
}
