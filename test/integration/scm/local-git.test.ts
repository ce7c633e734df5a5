// The local git provider against real repositories: what the server reads at a commit, including when
// many builds of a repository it has never seen arrive at once.

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepoRef } from '../../../src/core/scm.js';
import { LocalGitContents } from '../../../src/scm/localgit/contents.js';
import { type TestRepo, createTestRepo } from '../../support/git-repo.js';

const run = promisify(execFile);

describe('local git provider', () => {
  let dir: string;
  let repo: TestRepo;
  let sha: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hangar-local-git-'));
    repo = await createTestRepo(join(dir, 'origin'));
    ({ sha } = await repo.push({ '.drone.yml': 'kind: pipeline\ntype: exec\nname: default\n' }, 'first commit'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const provider = (cache: string) => new LocalGitContents({ cacheDir: join(dir, cache) });
  const asRepo = (): RepoRef => ({ uid: '', namespace: 'octocat', name: 'local', slug: 'octocat/local', git_http_url: repo.url });

  it('answers 20 builds arriving at once for a repository it has no cache of yet', async () => {
    const scm = provider('cache-concurrent');
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => (i % 2 === 0 ? (await scm.commit(undefined, asRepo(), sha)).message : scm.readFile(undefined, asRepo(), sha, '.drone.yml'))),
    );
    for (const [i, result] of results.entries()) expect(result).toBe(i % 2 === 0 ? 'first commit' : 'kind: pipeline\ntype: exec\nname: default\n');
  });

  it('reads the commit and its file once for builds of it that arrive together', async () => {
    const scm = provider('cache-shared');
    // Every git process this provider starts, by its subcommand.
    const calls = join(dir, 'git-calls.log');
    const shim = join(dir, 'git-shim');
    await mkdir(shim, { recursive: true });
    const realGit = (await run('sh', ['-c', 'command -v git'])).stdout.trim();
    await writeFile(join(shim, 'git'), `#!/bin/sh\necho "$1" >> '${calls}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
    const path = process.env.PATH;
    process.env.PATH = `${shim}:${path}`;
    try {
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? scm.commit(undefined, asRepo(), sha) : scm.readFile(undefined, asRepo(), sha, '.drone.yml'))));
    } finally {
      process.env.PATH = path;
    }
    const subcommands = (await readFile(calls, 'utf8')).trim().split('\n');
    expect(subcommands.filter((name) => name === 'log')).toHaveLength(1);
    expect(subcommands.filter((name) => name === 'show')).toHaveLength(1);
  });

  it('resolves a branch to its head and tells a missing file from an empty one', async () => {
    const scm = provider('cache-branch');
    expect((await scm.findCommit(undefined, asRepo(), 'main')).sha).toBe(sha);
    expect(await scm.readFile(undefined, asRepo(), sha, '.drone.jsonnet')).toBeUndefined();
  });

  it('follows a branch moved by a push at once, reads packed refs, and says which branch is missing', async () => {
    const scm = provider('cache-moves');
    const { sha: second } = await repo.push({ 'second.txt': 'two\n' }, 'second commit');
    expect((await scm.findCommit(undefined, asRepo(), 'main')).message).toBe('second commit');
    await repo.branch('release');
    await run('git', ['-C', repo.bare, 'pack-refs', '--all']);
    expect((await scm.findCommit(undefined, asRepo(), 'refs/heads/release')).sha).toBe(second);
    await expect(scm.findCommit(undefined, asRepo(), 'no-such-branch')).rejects.toThrow('refs/heads/no-such-branch not found');
  });

  it('resolves branches of a repository given as a working copy path, as git does', async () => {
    const scm = provider('cache-path');
    const work = join(dir, 'working');
    await run('git', ['clone', '--quiet', repo.bare, work]);
    const head = (await run('git', ['-C', work, 'rev-parse', 'HEAD'])).stdout.trim();
    const workRepo: RepoRef = { ...asRepo(), git_http_url: work };
    expect((await scm.findCommit(undefined, workRepo, 'main')).sha).toBe(head);
  });
});
