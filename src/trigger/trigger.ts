// Turning an event (API build, restart, webhook, cron) into a build (research/drone-server.md §7.2,
// DESIGN §4.1): skip rules, configuration fetch (with the repository owner's SCM token), plan (parse, lint,
// trigger conditions, dependency graph) all happen before any transaction; then build, stages, dedup key and
// the converted YAML are inserted in one transaction; wake-ups and the commit status go out after commit. A
// configuration that cannot be parsed or linted becomes an error build carrying the parser's message, line
// and column.

import type { Logger } from 'pino';
import { BadRequestError } from '../core/errors.js';
import type { Scm, Token } from '../core/scm.js';
import type { NewBuildFields, Store } from '../core/store.js';
import type { ScmCredentials } from '../accounts/credentials.js';
import type { Build, RepoWithKeys } from '../core/types.js';
import { isInsideRepository, type planBuild } from '../pipeline/index.js';
import { droneContext } from '../pipeline/starlark/context.js';
import type { AfterCommit } from '../scheduler/after-commit.js';
import { blocked, needsApproval } from './approval.js';
import { autoCancels, cancelSuperseded } from './auto-cancel.js';
import { jsonnetVars } from './jsonnet-vars.js';
import { shouldSkip } from './skip.js';
import { storedTemplates } from './stored-templates.js';

export type HookInput = Partial<NewBuildFields> &
  Pick<NewBuildFields, 'trigger' | 'event' | 'after' | 'ref' | 'source' | 'target' | 'message' | 'sender'>;

export interface TriggerOptions {
  /** Idempotency key: a second trigger with the same key answers the first build. */
  dedupKey?: string;
}

/** The pipeline module's planner (parse, lint, trigger conditions, dependency graph). */
export type Planner = typeof planBuild;

export interface TriggerSettings {
  configMaxSize: number;
  jsonnetEnabled: boolean;
  /** DRONE_STARLARK_*: conversion of .star/.starlark/.script configurations and their limits. */
  starlark?: { enabled: boolean; stepLimit: number; sizeLimit: number };
}

export interface TriggerDeps {
  store: Store;
  scm: Pick<Scm, 'contents'>;
  credentials: Pick<ScmCredentials, 'forUser'>;
  afterCommit: Pick<AfterCommit, 'buildCreated' | 'buildCancelled'>;
}

export class Triggerer {
  constructor(
    private readonly deps: TriggerDeps,
    private readonly planner: Planner,
    private readonly settings: TriggerSettings,
    private readonly log: Logger,
  ) {}

  /** Creates the build for `hook`; null when it is skipped or no pipeline matches. */
  async trigger(repo: RepoWithKeys, hook: HookInput, options: TriggerOptions = {}): Promise<Build | null> {
    if (!repo.active) throw new BadRequestError(`repository ${repo.slug} is not active`);
    const skipped = shouldSkip(hook) || skippedByRepo(repo, hook) || (await this.ownerInactive(repo));
    if (skipped) {
      this.log.debug({ repo: repo.slug, event: hook.event, reason: skipped === true ? 'skip marker' : skipped }, 'build skipped');
      return null;
    }
    if (!isInsideRepository(repo.config_path)) {
      throw new BadRequestError(`configuration path ${repo.config_path} leaves the repository`);
    }
    const token = await this.deps.credentials.forUser(repo.user_id);
    const fields = await this.complete(repo, hook, token);
    const data = await this.deps.scm.contents.readFile(token, repo, fields.after, repo.config_path);
    if (data === undefined) throw new BadRequestError(`configuration ${repo.config_path} not found at commit ${fields.after}`);

    const plan = await this.planner({
      path: repo.config_path,
      data,
      trusted: repo.trusted,
      maxSize: this.settings.configMaxSize,
      trigger: {
        event: fields.event,
        action: fields.action,
        branch: fields.target,
        ref: fields.ref,
        repo: repo.slug,
        target: fields.deploy_to ?? '',
        cron: fields.cron ?? '',
        // A closed pull request runs only the pipelines whose trigger names the action.
        explicitAction: fields.event === 'pull_request' && fields.action === 'closed',
      },
      jsonnet: { enabled: this.settings.jsonnetEnabled, vars: jsonnetVars(repo, fields) },
      starlark: { enabled: false, ...this.settings.starlark, context: droneContext(repo, fields) },
      templates: storedTemplates(this.deps.store.templates, repo.namespace),
    });
    if (plan.ok && plan.stages.length === 0) return null;
    const held = plan.ok && needsApproval(repo, fields, plan.config);
    const created = await this.deps.store.transitions.createBuild({
      repoId: repo.id,
      build: fields,
      stages: plan.ok ? (held ? blocked(plan.stages) : plan.stages) : [],
      error: plan.ok ? undefined : plan.error,
      config: plan.ok ? { path: repo.config_path, data: plan.config } : undefined,
      dedupKey: options.dedupKey,
    });
    if (!created.duplicate) {
      this.deps.afterCommit.buildCreated(created.build, created.stages.filter((stage) => stage.status === 'pending'));
      if (autoCancels(repo, created.build)) await cancelSuperseded(this.deps, repo, created.build, this.log);
    }
    this.log.info({ repo: repo.slug, build: created.build.number, status: created.build.status, duplicate: created.duplicate }, 'build created');
    return { ...created.build, stages: created.stages };
  }

  /**
   * A pull request whose webhook names no commit (Gogs sends none) builds the head of its source branch,
   * when that branch is in this repository; otherwise there is nothing to build.
   */
  private async headOfSource(repo: RepoWithKeys, hook: HookInput, token: Token | undefined): Promise<string> {
    if (!hook.source || isFork(repo, hook)) {
      throw new BadRequestError(`the ${hook.event} event names no commit to build`);
    }
    return (await this.deps.scm.contents.findCommit(token, repo, `refs/heads/${hook.source}`)).sha;
  }

  /** Drone skips builds of repositories whose owner was deactivated. */
  private async ownerInactive(repo: RepoWithKeys): Promise<string | false> {
    if (repo.user_id <= 0) return false;
    const owner = await this.deps.store.users.find(repo.user_id);
    return owner && !owner.active ? 'the repository owner is inactive' : false;
  }

  /** Fills what the event did not carry: the commit message and author from the SCM, Drone's defaults. */
  private async complete(repo: RepoWithKeys, hook: HookInput, token: Token | undefined): Promise<NewBuildFields> {
    let { message, author_login, author_name, author_email, author_avatar } = hook;
    const after = hook.after || (await this.headOfSource(repo, hook, token));
    if (!message && after) {
      const commit = await this.deps.scm.contents.commit(token, repo, after);
      message = commit.message;
      author_login ||= commit.author.login;
      author_name ||= commit.author.name;
      author_email ||= commit.author.email;
      author_avatar ||= commit.author.avatar;
    }
    return {
      trigger: hook.trigger,
      parent: hook.parent ?? 0,
      event: hook.event,
      action: hook.action ?? '',
      link: hook.link ?? '',
      title: truncate(hook.title ?? '', 2000),
      message: truncate(message, 2000),
      before: hook.before ?? '',
      after,
      ref: hook.ref,
      source_repo: hook.source_repo ?? '',
      source: hook.source,
      target: hook.target,
      author_login: author_login ?? '',
      author_name: author_name ?? '',
      author_email: author_email ?? '',
      author_avatar: author_avatar ?? '',
      sender: hook.sender,
      params: hook.params ?? {},
      cron: hook.cron ?? '',
      deploy_to: hook.deploy_to ?? '',
      deploy_id: hook.deploy_id ?? 0,
      debug: hook.debug ?? false,
    };
  }
}

/** The repository's own rules (research/drone-server.md §7.2 step 2): pull requests, or those of forks, ignored. */
function skippedByRepo(repo: RepoWithKeys, hook: HookInput): string | false {
  if (hook.event !== 'pull_request') return false;
  if (repo.ignore_pull_requests) return 'the repository ignores pull requests';
  if (repo.ignore_forks && isFork(repo, hook)) return 'the repository ignores forks';
  return false;
}

/** A pull request from another repository than this one. */
function isFork(repo: RepoWithKeys, hook: HookInput): boolean {
  const source = hook.source_repo ?? '';
  return source !== '' && source.toLowerCase() !== repo.slug.toLowerCase();
}

/** Drone truncates titles and messages to 2000 runes. */
function truncate(text: string, runes: number): string {
  const chars = [...text];
  return chars.length > runes ? chars.slice(0, runes).join('') : text;
}
