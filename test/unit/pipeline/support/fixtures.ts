// Shared test fixtures: where the conformance data lives, and minimal wire objects for compile inputs.

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Build, Repo, Stage, StageDetails } from '../../../../src/core/types.js';

export const CONFORMANCE = fileURLToPath(new URL('../../../../../shared/conformance/', import.meta.url));

export function conformanceFiles(dir: string, ext: string): string[] {
  return readdirSync(CONFORMANCE + dir)
    .filter((f) => f.endsWith(ext))
    .sort();
}

export function readConformance(dir: string, file: string): string {
  return readFileSync(`${CONFORMANCE}${dir}/${file}`, 'utf8');
}

export function makeBuild(overrides: Partial<Build> = {}): Build {
  return {
    id: 1,
    repo_id: 1,
    trigger: '@hook',
    number: 1,
    status: 'running',
    event: 'push',
    action: '',
    link: '',
    timestamp: 0,
    message: '',
    before: '',
    after: '',
    ref: '',
    source_repo: '',
    source: '',
    target: '',
    author_login: '',
    author_name: '',
    author_email: '',
    author_avatar: '',
    sender: '',
    started: 0,
    finished: 0,
    created: 0,
    updated: 0,
    version: 1,
    ...overrides,
  };
}

export function makeRepo(overrides: Partial<Repo & { secret: string }> = {}): Repo & { secret: string } {
  return {
    id: 1,
    uid: '1',
    user_id: 1,
    namespace: '',
    name: '',
    slug: '',
    scm: '',
    git_http_url: '',
    git_ssh_url: '',
    link: '',
    default_branch: '',
    private: false,
    visibility: 'public',
    active: true,
    config_path: '.drone.yml',
    trusted: false,
    protected: false,
    ignore_forks: false,
    ignore_pull_requests: false,
    auto_cancel_pull_requests: false,
    auto_cancel_pushes: false,
    auto_cancel_running: false,
    timeout: 60,
    counter: 0,
    synced: 0,
    created: 0,
    updated: 0,
    version: 1,
    archived: false,
    secret: '',
    ...overrides,
  };
}

export function makeStage(overrides: Partial<Stage> = {}): Stage {
  return {
    id: 1,
    repo_id: 1,
    build_id: 1,
    number: 1,
    name: 'default',
    kind: 'pipeline',
    type: 'exec',
    status: 'running',
    errignore: false,
    exit_code: 0,
    os: 'linux',
    arch: 'amd64',
    started: 0,
    stopped: 0,
    created: 0,
    updated: 0,
    version: 1,
    on_success: true,
    on_failure: false,
    ...overrides,
  };
}

export function makeDetails(overrides: Partial<StageDetails> = {}): StageDetails {
  return {
    repository: makeRepo(),
    build: makeBuild(),
    stage: makeStage(),
    config: { Data: '', Hash: null },
    secrets: [],
    system: { proto: '', host: '', link: '', version: '' },
    netrc: null,
    ...overrides,
  };
}

/** Go's `omitempty` view of a JSON value: zero values, empty lists and empty maps are dropped. */
export function omitEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(omitEmpty);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const cleaned = omitEmpty(v);
      if (cleaned === undefined || cleaned === '' || cleaned === 0 || cleaned === false || cleaned === null) continue;
      if (Array.isArray(cleaned) && cleaned.length === 0) continue;
      out[k] = cleaned;
    }
    return out;
  }
  return value;
}
