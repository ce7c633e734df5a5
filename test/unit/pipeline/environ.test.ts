// The DRONE_* / CI_* variables (research/drone-runner.md §4.2) and their per-step recomputation.

import { describe, expect, it } from 'vitest';
import { stepEnviron } from '../../../src/pipeline/index.js';
import { buildEnviron, netrcEnviron, repoEnviron, systemEnviron } from '../../../src/pipeline/environ/variables.js';
import type { Step } from '../../../src/core/types.js';
import { makeBuild, makeRepo, makeStage } from './support/fixtures.js';

function step(name: string, status: Step['status'], errignore = false): Step {
  return { id: 0, step_id: 1, number: 1, name, status, errignore, exit_code: 0, version: 1 };
}

describe('stepEnviron', () => {
  it('reflects the results so far: build and stage status, failed steps and stages', () => {
    const stage = makeStage({ name: 'test', status: 'running', steps: [step('a', 'success'), step('b', 'failure'), step('c', 'failure', true), step('d', 'killed')] });
    const build = makeBuild({ status: 'running', stages: [makeStage({ name: 'lint', status: 'error' }), stage] });
    const env = stepEnviron({ build, stage, step: { name: 'e', number: 5 } });
    expect(env).toMatchObject({
      DRONE_BUILD_STATUS: 'failure',
      DRONE_FAILED_STAGES: 'lint',
      DRONE_STAGE_STATUS: 'failure',
      DRONE_FAILED_STEPS: 'b,d',
      DRONE_STEP_NAME: 'e',
      DRONE_STEP_NUMBER: '5',
      DRONE_STAGE_NAME: 'test',
    });
  });

  it('says success while nothing failed, and ignores failures of failure: ignore steps', () => {
    const stage = makeStage({ status: 'running', steps: [step('a', 'success'), step('b', 'failure', true)] });
    const env = stepEnviron({ build: makeBuild({ stages: [stage] }), stage, step: { name: 'c', number: 3 } });
    expect(env.DRONE_BUILD_STATUS).toBe('success');
    expect(env.DRONE_STAGE_STATUS).toBe('success');
    expect(env).not.toHaveProperty('DRONE_FAILED_STEPS');
  });

  it('fills unset start and finish times with now', () => {
    const before = Math.floor(Date.now() / 1000);
    const env = stepEnviron({ build: makeBuild({ started: 0 }), stage: makeStage({ started: 1700000000 }), step: { name: 'a', number: 1 } });
    expect(Number(env.DRONE_BUILD_STARTED)).toBeGreaterThanOrEqual(before);
    expect(env.DRONE_STAGE_STARTED).toBe('1700000000');
  });
});

describe('build variables', () => {
  it('names the commit, branch and author', () => {
    const env = buildEnviron(
      makeBuild({ number: 42, parent: 41, target: 'main', source: 'feature', after: 'sha', before: 'old', ref: 'refs/heads/main', author_login: 'octocat', deploy_to: 'prod', trigger: '@hook' }),
    );
    expect(env).toMatchObject({
      DRONE_BRANCH: 'main',
      DRONE_SOURCE_BRANCH: 'feature',
      DRONE_COMMIT: 'sha',
      DRONE_COMMIT_BEFORE: 'old',
      DRONE_COMMIT_AUTHOR: 'octocat',
      DRONE_BUILD_NUMBER: '42',
      DRONE_BUILD_PARENT: '41',
      DRONE_DEPLOY_TO: 'prod',
      DRONE_BUILD_TRIGGER: '@hook',
      CI_BUILD_NUMBER: '42',
      CI_BUILD_TARGET: 'prod',
    });
  });

  it('adds the pull request number and title', () => {
    const env = buildEnviron(makeBuild({ event: 'pull_request', ref: 'refs/pull/123/head', title: 'Fix it' }));
    expect(env).toMatchObject({ DRONE_PULL_REQUEST: '123', DRONE_PULL_REQUEST_TITLE: 'Fix it' });
  });

  it('derives semver and calver variables from tags', () => {
    expect(buildEnviron(makeBuild({ ref: 'refs/tags/v1.2.3-beta.1+build.5' }))).toMatchObject({
      DRONE_TAG: 'v1.2.3-beta.1+build.5',
      DRONE_SEMVER: '1.2.3-beta.1+build.5',
      DRONE_SEMVER_MAJOR: '1',
      DRONE_SEMVER_MINOR: '2',
      DRONE_SEMVER_PATCH: '3',
      DRONE_SEMVER_PRERELEASE: 'beta.1',
      DRONE_SEMVER_BUILD: 'build.5',
      DRONE_SEMVER_SHORT: '1.2.3',
    });
    expect(buildEnviron(makeBuild({ ref: 'refs/tags/2024.05.1-rc1' }))).toMatchObject({
      DRONE_CALVER: '2024.05.1-rc1',
      DRONE_CALVER_MAJOR_MINOR: '2024.05',
      DRONE_CALVER_MICRO: '1',
      DRONE_CALVER_MODIFIER: 'rc1',
      DRONE_CALVER_SHORT: '2024.05.1',
      DRONE_SEMVER: '2024.5.1-rc1',
    });
    expect(buildEnviron(makeBuild({ ref: 'refs/tags/release' })).DRONE_SEMVER_ERROR).toBe('release is not in dotted-tri format');
    expect(buildEnviron(makeBuild({ ref: 'refs/tags/1.x.0' })).DRONE_SEMVER_ERROR).toBe('strconv.ParseInt: parsing "x": invalid syntax');
  });
});

describe('system, repo and netrc variables', () => {
  it('sets CI markers and the system host', () => {
    expect(systemEnviron({ proto: 'https', host: 'drone.example.com', link: '', version: '2.0.0' })).toMatchObject({
      CI: 'true',
      DRONE: 'true',
      DRONE_SYSTEM_HOST: 'drone.example.com',
      DRONE_SYSTEM_HOSTNAME: 'drone.example.com',
    });
  });

  it('describes the repository with legacy CI_ names', () => {
    const env = repoEnviron(makeRepo({ slug: 'octocat/hello', namespace: 'octocat', name: 'hello', private: true, git_http_url: 'https://x/y.git' }));
    expect(env).toMatchObject({ DRONE_REPO: 'octocat/hello', DRONE_REPO_OWNER: 'octocat', DRONE_REPO_PRIVATE: 'true', CI_REPO_NAME: 'octocat/hello', DRONE_REMOTE_URL: 'https://x/y.git' });
  });

  it('exports netrc only with a machine', () => {
    expect(netrcEnviron({ machine: '', login: 'a', password: 'b' })).toEqual({});
    expect(netrcEnviron({ machine: 'm', login: 'a', password: 'b' }).DRONE_NETRC_FILE).toBe('machine m login a password b');
  });
});
