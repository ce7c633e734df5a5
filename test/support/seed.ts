// Builds placed straight into the store, for tests of the runner protocol that need queued stages
// without a repository to fetch configuration from.

import type { CreatedBuild, NewBuildFields, NewStage, Store } from '../../src/core/store.js';
import type { RepoWithKeys } from '../../src/core/types.js';

export async function seedRepo(store: Store, slug = 'octocat/hello'): Promise<RepoWithKeys> {
  const admin = await store.users.findByLogin('admin');
  if (!admin) throw new Error('the test server has no admin account');
  const [namespace, name] = slug.split('/');
  return store.repos.enableLocal({
    namespace,
    name,
    gitHttpUrl: `file:///nonexistent/${slug}.git`,
    defaultBranch: 'main',
    private: false,
    visibility: 'public',
    configPath: '.drone.yml',
    ownerId: admin.id,
  });
}

export function stagePlan(overrides: Partial<NewStage> = {}): NewStage {
  return {
    name: 'default',
    kind: 'pipeline',
    type: 'exec',
    os: 'linux',
    arch: 'amd64',
    variant: '',
    kernel: '',
    limit: 0,
    labels: {},
    depends_on: [],
    on_success: true,
    on_failure: false,
    status: 'pending',
    ...overrides,
  };
}

const CONFIG = `kind: pipeline
type: exec
name: default
steps:
- name: greet
  commands:
  - echo hello
`;

/** A push build of main (fields overridable); an error build, with no stages, when `error` is given. */
export async function seedBuild(store: Store, repo: RepoWithKeys, stages: NewStage[] = [stagePlan()], fields: Partial<NewBuildFields> = {}, error?: string): Promise<CreatedBuild> {
  return store.transitions.createBuild({
    repoId: repo.id,
    build: {
      trigger: '@test',
      event: 'push',
      action: '',
      link: '',
      title: '',
      message: 'seeded build',
      before: '0'.repeat(40),
      after: 'a'.repeat(40),
      ref: 'refs/heads/main',
      source_repo: '',
      source: 'main',
      target: 'main',
      author_login: 'octocat',
      author_name: 'The Octocat',
      author_email: 'octocat@example.com',
      author_avatar: '',
      sender: 'octocat',
      params: {},
      ...fields,
    },
    stages: error === undefined ? stages : [],
    error,
    config: { path: '.drone.yml', data: CONFIG },
  });
}

/** The exec runner's filter as a stock drone-runner-exec sends it on linux/amd64. */
export const EXEC_FILTER = { kind: 'pipeline', type: 'exec', os: 'linux', arch: 'amd64', variant: '', kernel: '' };
