// The DRONE_* / CI_* step variables, computed from the wire types as runner-go's `environ` package does
// (drone-runner.md §4.2). Each function returns one group; callers combine them, later groups winning.

import type { Build, Netrc, Repo, Stage, SystemInfo } from '../../core/types.js';
import { calverVariables, semverVariables } from './versions.js';

export type Environ = Record<string, string>;

const FAILED = new Set(['error', 'failure', 'killed']);

function nowSeconds(): string {
  return String(Math.floor(Date.now() / 1000));
}

/** Later maps win, like runner-go's environ.Combine. */
export function combine(...maps: Array<Environ | undefined>): Environ {
  const out: Environ = {};
  for (const m of maps) {
    if (!m) continue;
    for (const k of Object.keys(m)) out[k] = m[k];
  }
  return out;
}

export function systemEnviron(system: SystemInfo): Environ {
  return {
    CI: 'true',
    DRONE: 'true',
    DRONE_SYSTEM_PROTO: system.proto ?? '',
    DRONE_SYSTEM_HOST: system.host ?? '',
    DRONE_SYSTEM_HOSTNAME: system.host ?? '',
    DRONE_SYSTEM_VERSION: system.version ?? '',
  };
}

export function repoEnviron(repo: Repo): Environ {
  const priv = String(Boolean(repo.private));
  return {
    DRONE_REPO: repo.slug ?? '',
    DRONE_REPO_SCM: repo.scm ?? '',
    DRONE_REPO_OWNER: repo.namespace ?? '',
    DRONE_REPO_NAMESPACE: repo.namespace ?? '',
    DRONE_REPO_NAME: repo.name ?? '',
    DRONE_REPO_LINK: repo.link ?? '',
    DRONE_REPO_BRANCH: repo.default_branch ?? '',
    DRONE_REMOTE_URL: repo.git_http_url ?? '',
    DRONE_GIT_HTTP_URL: repo.git_http_url ?? '',
    DRONE_GIT_SSH_URL: repo.git_ssh_url ?? '',
    DRONE_REPO_VISIBILITY: repo.visibility ?? '',
    DRONE_REPO_PRIVATE: priv,
    CI_REPO: repo.slug ?? '',
    CI_REPO_NAME: repo.slug ?? '',
    CI_REPO_LINK: repo.link ?? '',
    CI_REPO_REMOTE: repo.git_http_url ?? '',
    CI_REMOTE_URL: repo.git_http_url ?? '',
    CI_REPO_PRIVATE: priv,
  };
}

export function buildEnviron(build: Build): Environ {
  const num = (v: number | undefined): string => String(v ?? 0);
  const env: Environ = {
    DRONE_BRANCH: build.target ?? '',
    DRONE_SOURCE_BRANCH: build.source ?? '',
    DRONE_TARGET_BRANCH: build.target ?? '',
    DRONE_COMMIT: build.after ?? '',
    DRONE_COMMIT_SHA: build.after ?? '',
    DRONE_COMMIT_BEFORE: build.before ?? '',
    DRONE_COMMIT_AFTER: build.after ?? '',
    DRONE_COMMIT_REF: build.ref ?? '',
    DRONE_COMMIT_BRANCH: build.target ?? '',
    DRONE_COMMIT_LINK: build.link ?? '',
    DRONE_COMMIT_MESSAGE: build.message ?? '',
    DRONE_COMMIT_AUTHOR: build.author_login ?? '',
    DRONE_COMMIT_AUTHOR_EMAIL: build.author_email ?? '',
    DRONE_COMMIT_AUTHOR_AVATAR: build.author_avatar ?? '',
    DRONE_COMMIT_AUTHOR_NAME: build.author_name ?? '',
    DRONE_BUILD_NUMBER: num(build.number),
    DRONE_BUILD_PARENT: num(build.parent),
    DRONE_BUILD_EVENT: build.event ?? '',
    DRONE_BUILD_ACTION: build.action ?? '',
    DRONE_BUILD_STATUS: 'success',
    DRONE_BUILD_DEBUG: String(Boolean(build.debug)),
    DRONE_BUILD_CREATED: num(build.created),
    DRONE_BUILD_STARTED: num(build.started),
    DRONE_BUILD_FINISHED: num(build.finished),
    DRONE_DEPLOY_TO: build.deploy_to ?? '',
    DRONE_DEPLOY_ID: num(build.deploy_id),
    DRONE_BUILD_TRIGGER: build.trigger ?? '',
    CI_BUILD_NUMBER: num(build.number),
    CI_PARENT_BUILD_NUMBER: num(build.parent),
    CI_BUILD_CREATED: num(build.created),
    CI_BUILD_STARTED: num(build.started),
    CI_BUILD_FINISHED: num(build.finished),
    CI_BUILD_STATUS: build.status ?? '',
    CI_BUILD_EVENT: build.event ?? '',
    CI_BUILD_LINK: build.link ?? '',
    CI_BUILD_TARGET: build.deploy_to ?? '',
    CI_COMMIT_SHA: build.after ?? '',
    CI_COMMIT_REF: build.ref ?? '',
    CI_COMMIT_BRANCH: build.target ?? '',
    CI_COMMIT_MESSAGE: build.message ?? '',
    CI_COMMIT_AUTHOR: build.author_login ?? '',
    CI_COMMIT_AUTHOR_NAME: build.author_name ?? '',
    CI_COMMIT_AUTHOR_EMAIL: build.author_email ?? '',
    CI_COMMIT_AUTHOR_AVATAR: build.author_avatar ?? '',
  };
  if (isBuildFailing(build)) {
    env.DRONE_BUILD_STATUS = 'failure';
    env.DRONE_FAILED_STAGES = (build.stages ?? [])
      .filter((s) => FAILED.has(s.status))
      .map((s) => s.name)
      .join(',');
  }
  if (!build.started) env.DRONE_BUILD_STARTED = nowSeconds();
  if (!build.finished) env.DRONE_BUILD_FINISHED = nowSeconds();
  if (build.event === 'pull_request') {
    env.DRONE_PULL_REQUEST = /\d+/.exec(build.ref ?? '')?.[0] ?? '';
    env.DRONE_PULL_REQUEST_TITLE = build.title ?? '';
  }
  const ref = build.ref ?? '';
  if (ref.startsWith('refs/tags/')) {
    const tag = ref.slice('refs/tags/'.length);
    env.DRONE_TAG = tag;
    Object.assign(env, semverVariables(tag), calverVariables(tag));
  }
  return env;
}

function isBuildFailing(build: Build): boolean {
  if (FAILED.has(build.status)) return true;
  return (build.stages ?? []).some((s) => FAILED.has(s.status));
}

export function stageEnviron(stage: Stage): Environ {
  const env: Environ = {
    DRONE_STAGE_KIND: stage.kind ?? '',
    DRONE_STAGE_TYPE: stage.type ?? '',
    DRONE_STAGE_NAME: stage.name ?? '',
    DRONE_STAGE_NUMBER: String(stage.number ?? 0),
    DRONE_STAGE_MACHINE: stage.machine ?? '',
    DRONE_STAGE_OS: stage.os ?? '',
    DRONE_STAGE_ARCH: stage.arch ?? '',
    DRONE_STAGE_VARIANT: stage.variant ?? '',
    DRONE_STAGE_VERSION: String(stage.version ?? 0),
    DRONE_STAGE_STATUS: 'success',
    DRONE_STAGE_STARTED: String(stage.started ?? 0),
    DRONE_STAGE_FINISHED: String(stage.stopped ?? 0),
    DRONE_STAGE_DEPENDS_ON: (stage.depends_on ?? []).join(','),
    DRONE_CARD_PATH: '/dev/stdout',
  };
  const failedSteps = (stage.steps ?? []).filter((s) => FAILED.has(s.status) && !(s.errignore && s.status === 'failure'));
  if (FAILED.has(stage.status) || failedSteps.length > 0) {
    env.DRONE_STAGE_STATUS = 'failure';
    env.DRONE_FAILED_STEPS = failedSteps.map((s) => s.name).join(',');
  }
  if (!stage.started) env.DRONE_STAGE_STARTED = nowSeconds();
  if (!stage.stopped) env.DRONE_STAGE_FINISHED = nowSeconds();
  return env;
}

export function stepVariables(step: { name: string; number: number }): Environ {
  return { DRONE_STEP_NAME: step.name, DRONE_STEP_NUMBER: String(step.number) };
}

export function linkEnviron(repo: Repo, build: Build, system: SystemInfo): Environ {
  return { DRONE_BUILD_LINK: `${system.proto ?? ''}://${system.host ?? ''}/${repo.slug ?? ''}/${build.number ?? 0}` };
}

export function netrcEnviron(netrc: Netrc | null | undefined): Environ {
  if (!netrc || !netrc.machine) return {};
  return {
    DRONE_NETRC_MACHINE: netrc.machine,
    DRONE_NETRC_USERNAME: netrc.login,
    DRONE_NETRC_PASSWORD: netrc.password,
    DRONE_NETRC_FILE: `machine ${netrc.machine} login ${netrc.login} password ${netrc.password}`,
  };
}

/** no_proxy/http_proxy/https_proxy/all_proxy from the runner's own environment, exported in both cases. */
export function proxyEnviron(hostEnv: Environ): Environ {
  const env: Environ = {};
  for (const name of ['no_proxy', 'http_proxy', 'https_proxy', 'all_proxy']) {
    const value = hostEnv[name.toUpperCase()] || hostEnv[name] || '';
    if (value !== '') {
      env[name] = value;
      env[name.toUpperCase()] = value;
    }
  }
  return env;
}

/** Git identity and options for the clone (runner-go clone.Environ). */
export function cloneEnviron(options: { authorName: string; authorEmail: string; trace: boolean; skipVerify: boolean }): Environ {
  const env: Environ = {
    GIT_AUTHOR_NAME: options.authorName || 'drone',
    GIT_AUTHOR_EMAIL: options.authorEmail || 'noreply@drone',
    GIT_COMMITTER_NAME: options.authorName || 'drone',
    GIT_COMMITTER_EMAIL: options.authorEmail || 'noreply@drone',
    GIT_TERMINAL_PROMPT: '0',
  };
  if (options.trace) env.GIT_TRACE = 'true';
  if (options.skipVerify) env.GIT_SSL_NO_VERIFY = 'true';
  return env;
}

/**
 * The variables a runner recomputes at each step's start (runner executor step 5): build, stage and step
 * groups, reflecting the results so far (DRONE_BUILD_STATUS, DRONE_STAGE_STATUS, DRONE_FAILED_STEPS...).
 */
export function stepEnviron(state: { build: Build; stage: Stage; step: { name: string; number: number } }): Environ {
  return combine(buildEnviron(state.build), stageEnviron(state.stage), stepVariables(state.step));
}

/** The substitution map for `${VAR}` in the configuration (runner algorithm step 5). */
export function substitutionEnviron(input: {
  environ: Environ;
  system: SystemInfo;
  repo: Repo;
  build: Build;
  stage: Stage;
}): Environ {
  return combine(
    input.environ,
    systemEnviron(input.system),
    repoEnviron(input.repo),
    buildEnviron(input.build),
    stageEnviron(input.stage),
    linkEnviron(input.repo, input.build, input.system),
    input.build.params,
  );
}
