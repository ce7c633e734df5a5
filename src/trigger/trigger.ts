// Turning an event (API build, restart, webhook, cron) into a build (research/drone-server.md §7.2,
// DESIGN §4.1): skip rules, configuration fetch, plan (parse, lint, trigger conditions, dependency graph)
// all happen before any transaction; then build, stages, dedup key and the converted YAML are inserted in
// one transaction; wake-ups go out after commit. A configuration that cannot be parsed or linted becomes
// an error build carrying the parser's message, line and column.

import type { Logger } from 'pino';
import { BadRequestError } from '../core/errors.js';
import type { ScmProvider } from '../core/scm.js';
import type { NewBuildFields, Store } from '../core/store.js';
import type { Build, RepoWithKeys } from '../core/types.js';
import type { planBuild } from '../pipeline/index.js';
import type { AfterCommit } from '../scheduler/after-commit.js';
import { jsonnetVars } from './jsonnet-vars.js';
import { shouldSkip } from './skip.js';

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
}

export class Triggerer {
  constructor(
    private readonly store: Store,
    private readonly scm: ScmProvider,
    private readonly afterCommit: AfterCommit,
    private readonly planner: Planner,
    private readonly settings: TriggerSettings,
    private readonly log: Logger,
  ) {}

  /** Creates the build for `hook`; null when it is skipped or no pipeline matches. */
  async trigger(repo: RepoWithKeys, hook: HookInput, options: TriggerOptions = {}): Promise<Build | null> {
    if (!repo.active) throw new BadRequestError(`repository ${repo.slug} is not active`);
    if (shouldSkip(hook)) return null;
    const fields = await this.complete(repo, hook);
    const data = await this.scm.readFile(repo, fields.after, repo.config_path);
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
      },
      jsonnet: { enabled: this.settings.jsonnetEnabled, vars: jsonnetVars(repo, fields) },
    });
    if (plan.ok && plan.stages.length === 0) return null;
    const created = await this.store.transitions.createBuild({
      repoId: repo.id,
      build: fields,
      stages: plan.ok ? plan.stages : [],
      error: plan.ok ? undefined : plan.error,
      config: plan.ok ? { path: repo.config_path, data: plan.config } : undefined,
      dedupKey: options.dedupKey,
    });
    if (!created.duplicate) {
      if (created.stages.some((stage) => stage.status === 'pending')) this.afterCommit.stagesPending();
      this.afterCommit.buildChanged(repo.id, created.build.id);
    }
    this.log.info({ repo: repo.slug, build: created.build.number, status: created.build.status, duplicate: created.duplicate }, 'build created');
    return { ...created.build, stages: created.stages };
  }

  /** Fills what the event did not carry: the commit message and author from the SCM, Drone's defaults. */
  private async complete(repo: RepoWithKeys, hook: HookInput): Promise<NewBuildFields> {
    let { message, author_login, author_name, author_email, author_avatar } = hook;
    if (!message && hook.after) {
      const commit = await this.scm.commit(repo, hook.after);
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
      after: hook.after,
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

/** Drone truncates titles and messages to 2000 runes. */
function truncate(text: string, runes: number): string {
  const chars = [...text];
  return chars.length > runes ? chars.slice(0, runes).join('') : text;
}
