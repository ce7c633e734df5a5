// The local git provider against real repositories: what the server reads at a commit, including when
// many builds of a repository it has never seen arrive at once.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepoRef } from '../../../src/core/scm.js';
import { LocalGitContents } from '../../../src/scm/localgit/contents.js';
import { type TestRepo, createTestRepo } from '../../support/git-repo.js';

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

  it('resolves a branch to its head and tells a missing file from an empty one', async () => {
    const scm = provider('cache-branch');
    expect((await scm.findCommit(undefined, asRepo(), 'main')).sha).toBe(sha);
    expect(await scm.readFile(undefined, asRepo(), sha, '.drone.jsonnet')).toBeUndefined();
  });
});
