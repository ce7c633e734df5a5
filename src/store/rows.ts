// Explicit mapping between database rows and core types, both ways.
//
// Reading: SQLite gives booleans as 0/1 and Drone's JSON as BLOBs; a NULL in a JSON column, or JSON that
// does not parse, reads as empty, as Drone reads it. Fields Drone's JSON marks `omitempty` are left out
// when empty, so the objects serialise the way Drone's do.
// Writing: never NULL in a column Drone reads ('' and 0 instead), booleans as booleans (the SQLite
// driver binds them as 0/1), JSON as text with Go's `null` for nothing, and Drone's truncations.

import type { Insertable, Selectable } from 'kysely';

import { isStatus, type Status } from '../core/status.js';
import type { Build, Repo, RepoWithKeys, Secret, Stage, Step, User } from '../core/types.js';
import type {
  BuildsTable,
  OrgSecretsTable,
  ReposTable,
  SecretsTable,
  StagesTable,
  StepsTable,
  UsersTable,
} from './schema.js';

export type UserRow = Selectable<UsersTable>;
export type RepoRow = Selectable<ReposTable>;
export type BuildRow = Selectable<BuildsTable>;
export type StageRow = Selectable<StagesTable>;
export type StepRow = Selectable<StepsTable>;
export type SecretRow = Selectable<SecretsTable>;
export type OrgSecretRow = Selectable<OrgSecretsTable>;

// ---- column readers -----------------------------------------------------------------------------------

export function toBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return value > 0;
  if (typeof value === 'string') return value === 'true' || value === 't' || Number(value) > 0;
  return false;
}

/** Numbers may arrive as strings (pg int8 without a parser) or bigints; NULL reads as 0. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'string') {
    const n = Number(value);
    return Number.isFinite(n) ? n : 0;
  }
  return 0;
}

export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value === null || value === undefined) return '';
  return String(value);
}

/** Bytes of a binary column: SQLite returns a Buffer, or a string where TEXT was written. */
export function toBytes(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return Buffer.alloc(0);
}

/** The rows of a JSON aggregate column: PostgreSQL hands it over parsed (null for no rows), SQLite as text. */
export function jsonAggregate<Row>(value: unknown): Row[] {
  const rows: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(rows) ? (rows as Row[]) : [];
}

function parseJson(value: unknown): unknown {
  const text = toText(value);
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** A JSON array of strings (depends_on); anything else reads as empty. */
export function parseStringArray(value: unknown): string[] {
  const parsed = parseJson(value);
  return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
}

/** A JSON object of strings (params, labels); anything else reads as empty. */
export function parseStringMap(value: unknown): Record<string, string> {
  const parsed = parseJson(value);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  const map: Record<string, string> = {};
  for (const [key, item] of Object.entries(parsed)) if (typeof item === 'string') map[key] = item;
  return map;
}

/** A status Drone never writes (a corrupt row) reads as `error`, a state every reader handles. */
export function toStatus(value: unknown): Status {
  return isStatus(value) ? value : 'error';
}

// ---- column writers -----------------------------------------------------------------------------------

/** JSON text as Drone writes it; nothing is Go's `null`. */
export function jsonText(value: readonly string[] | Readonly<Record<string, string>> | undefined): string {
  return JSON.stringify(value ?? null);
}

/** Drone truncates build titles and messages to 2000 characters and errors to 500 (varchar limits). */
export function truncate(text: string | undefined, max: number): string {
  if (text === undefined) return '';
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join('');
}

const MAX_TITLE = 2000;
/** Drone's error columns hold 500 characters. */
export const MAX_ERROR = 500;

/** `{ [key]: value }` when value is non-empty, else `{}`: Go's `omitempty`. */
function omitEmpty<K extends string, V>(key: K, value: V): Partial<Record<K, V>> {
  const empty =
    value === undefined ||
    value === '' ||
    value === 0 ||
    value === false ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);
  return empty ? {} : ({ [key]: value } as Record<K, V>);
}

// ---- users --------------------------------------------------------------------------------------------

export function rowToUser(row: UserRow): User {
  return {
    id: toNumber(row.user_id),
    login: toText(row.user_login),
    email: toText(row.user_email),
    machine: toBool(row.user_machine),
    admin: toBool(row.user_admin),
    active: toBool(row.user_active),
    avatar: toText(row.user_avatar),
    syncing: toBool(row.user_syncing),
    synced: toNumber(row.user_synced),
    created: toNumber(row.user_created),
    updated: toNumber(row.user_updated),
    last_login: toNumber(row.user_last_login),
  };
}

/** What the API never shows of a user: the API token (`user_hash`) and the SCM OAuth tokens as stored. */
export interface UserCredentials {
  hash: string;
  oauth_token: Buffer;
  oauth_refresh: Buffer;
  oauth_expiry: number;
}

export function userToRow(user: Omit<User, 'id'>, credentials: UserCredentials): Insertable<UsersTable> {
  return {
    user_login: user.login,
    user_email: user.email,
    user_admin: user.admin,
    user_machine: user.machine,
    user_active: user.active,
    user_avatar: user.avatar,
    user_syncing: user.syncing,
    user_synced: user.synced,
    user_created: user.created,
    user_updated: user.updated,
    user_last_login: user.last_login,
    user_oauth_token: credentials.oauth_token,
    user_oauth_refresh: credentials.oauth_refresh,
    user_oauth_expiry: credentials.oauth_expiry,
    user_hash: credentials.hash,
  };
}

// ---- repos --------------------------------------------------------------------------------------------

/** The repo as the API shows it: no signer, no secret. */
export function rowToRepo(row: RepoRow): Repo {
  return {
    id: toNumber(row.repo_id),
    uid: toText(row.repo_uid),
    user_id: toNumber(row.repo_user_id),
    namespace: toText(row.repo_namespace),
    name: toText(row.repo_name),
    slug: toText(row.repo_slug),
    scm: toText(row.repo_scm),
    git_http_url: toText(row.repo_clone_url),
    git_ssh_url: toText(row.repo_ssh_url),
    link: toText(row.repo_html_url),
    default_branch: toText(row.repo_branch),
    private: toBool(row.repo_private),
    visibility: toText(row.repo_visibility),
    active: toBool(row.repo_active),
    config_path: toText(row.repo_config),
    trusted: toBool(row.repo_trusted),
    protected: toBool(row.repo_protected),
    ignore_forks: toBool(row.repo_no_forks),
    ignore_pull_requests: toBool(row.repo_no_pulls),
    auto_cancel_pull_requests: toBool(row.repo_cancel_pulls),
    auto_cancel_pushes: toBool(row.repo_cancel_push),
    auto_cancel_running: toBool(row.repo_cancel_running),
    timeout: toNumber(row.repo_timeout),
    ...omitEmpty('throttle', toNumber(row.repo_throttle)),
    counter: toNumber(row.repo_counter),
    synced: toNumber(row.repo_synced),
    created: toNumber(row.repo_created),
    updated: toNumber(row.repo_updated),
    version: toNumber(row.repo_version),
    archived: false,
  };
}

export function rowToRepoWithKeys(row: RepoRow): RepoWithKeys {
  return { ...rowToRepo(row), signer: toText(row.repo_signer), secret: toText(row.repo_secret) };
}

export function repoToRow(repo: Omit<RepoWithKeys, 'id'>): Insertable<ReposTable> {
  return {
    repo_uid: repo.uid,
    repo_user_id: repo.user_id,
    repo_namespace: repo.namespace,
    repo_name: repo.name,
    repo_slug: repo.slug,
    repo_scm: repo.scm,
    repo_clone_url: repo.git_http_url,
    repo_ssh_url: repo.git_ssh_url,
    repo_html_url: repo.link,
    repo_active: repo.active,
    repo_private: repo.private,
    repo_visibility: repo.visibility,
    repo_branch: repo.default_branch,
    repo_counter: repo.counter,
    repo_config: repo.config_path,
    repo_timeout: repo.timeout,
    repo_throttle: repo.throttle ?? 0,
    repo_trusted: repo.trusted,
    repo_protected: repo.protected,
    repo_no_forks: repo.ignore_forks,
    repo_no_pulls: repo.ignore_pull_requests,
    repo_cancel_pulls: repo.auto_cancel_pull_requests,
    repo_cancel_push: repo.auto_cancel_pushes,
    repo_cancel_running: repo.auto_cancel_running,
    repo_synced: repo.synced,
    repo_created: repo.created,
    repo_updated: repo.updated,
    repo_version: repo.version,
    repo_signer: repo.signer,
    repo_secret: repo.secret,
  };
}

// ---- builds -------------------------------------------------------------------------------------------

export function rowToBuild(row: BuildRow): Build {
  return {
    id: toNumber(row.build_id),
    repo_id: toNumber(row.build_repo_id),
    trigger: toText(row.build_trigger),
    number: toNumber(row.build_number),
    ...omitEmpty('parent', toNumber(row.build_parent)),
    status: toStatus(row.build_status),
    ...omitEmpty('error', toText(row.build_error)),
    event: toText(row.build_event),
    action: toText(row.build_action),
    link: toText(row.build_link),
    timestamp: toNumber(row.build_timestamp),
    ...omitEmpty('title', toText(row.build_title)),
    message: toText(row.build_message),
    before: toText(row.build_before),
    after: toText(row.build_after),
    ref: toText(row.build_ref),
    source_repo: toText(row.build_source_repo),
    source: toText(row.build_source),
    target: toText(row.build_target),
    author_login: toText(row.build_author),
    author_name: toText(row.build_author_name),
    author_email: toText(row.build_author_email),
    author_avatar: toText(row.build_author_avatar),
    sender: toText(row.build_sender),
    ...omitEmpty('params', parseStringMap(row.build_params)),
    ...omitEmpty('cron', toText(row.build_cron)),
    ...omitEmpty('deploy_to', toText(row.build_deploy)),
    ...omitEmpty('deploy_id', toNumber(row.build_deploy_id)),
    ...omitEmpty('debug', toBool(row.build_debug)),
    started: toNumber(row.build_started),
    finished: toNumber(row.build_finished),
    created: toNumber(row.build_created),
    updated: toNumber(row.build_updated),
    version: toNumber(row.build_version),
  };
}

/** Every column but the id; `createdMs` fills Hangar's millisecond creation time. */
export function buildToRow(build: Omit<Build, 'id' | 'stages'>, createdMs = 0): Insertable<BuildsTable> {
  return {
    build_repo_id: build.repo_id,
    build_trigger: build.trigger,
    build_number: build.number,
    build_parent: build.parent ?? 0,
    build_status: build.status,
    build_error: truncate(build.error, MAX_ERROR),
    build_event: build.event,
    build_action: build.action,
    build_link: build.link,
    build_timestamp: build.timestamp,
    build_title: truncate(build.title, MAX_TITLE),
    build_message: truncate(build.message, MAX_TITLE),
    build_before: build.before,
    build_after: build.after,
    build_ref: build.ref,
    build_source_repo: build.source_repo,
    build_source: build.source,
    build_target: build.target,
    build_author: build.author_login,
    build_author_name: build.author_name,
    build_author_email: build.author_email,
    build_author_avatar: build.author_avatar,
    build_sender: build.sender,
    build_deploy: build.deploy_to ?? '',
    build_params: jsonText(build.params),
    build_started: build.started,
    build_finished: build.finished,
    build_created: build.created,
    build_updated: build.updated,
    build_version: build.version,
    build_debug: build.debug ?? false,
    build_cron: build.cron ?? '',
    build_deploy_id: build.deploy_id ?? 0,
    hangar_created_ms: createdMs,
  };
}

// ---- stages -------------------------------------------------------------------------------------------

export function rowToStage(row: StageRow): Stage {
  return {
    id: toNumber(row.stage_id),
    repo_id: toNumber(row.stage_repo_id),
    build_id: toNumber(row.stage_build_id),
    number: toNumber(row.stage_number),
    name: toText(row.stage_name),
    ...omitEmpty('kind', toText(row.stage_kind)),
    ...omitEmpty('type', toText(row.stage_type)),
    status: toStatus(row.stage_status),
    ...omitEmpty('error', toText(row.stage_error)),
    errignore: toBool(row.stage_errignore),
    exit_code: toNumber(row.stage_exit_code),
    ...omitEmpty('machine', toText(row.stage_machine)),
    os: toText(row.stage_os),
    arch: toText(row.stage_arch),
    ...omitEmpty('variant', toText(row.stage_variant)),
    ...omitEmpty('kernel', toText(row.stage_kernel)),
    ...omitEmpty('limit', toNumber(row.stage_limit)),
    ...omitEmpty('throttle', toNumber(row.stage_limit_repo)),
    started: toNumber(row.stage_started),
    stopped: toNumber(row.stage_stopped),
    created: toNumber(row.stage_created),
    updated: toNumber(row.stage_updated),
    version: toNumber(row.stage_version),
    on_success: toBool(row.stage_on_success),
    on_failure: toBool(row.stage_on_failure),
    ...omitEmpty('depends_on', parseStringArray(row.stage_depends_on)),
    ...omitEmpty('labels', parseStringMap(row.stage_labels)),
  };
}

/** Drone's columns of a stage; Hangar's own stage columns keep their defaults unless set by the caller. */
export function stageToRow(stage: Omit<Stage, 'id' | 'steps'>): Insertable<StagesTable> {
  return {
    stage_repo_id: stage.repo_id,
    stage_build_id: stage.build_id,
    stage_number: stage.number,
    stage_name: stage.name,
    stage_kind: stage.kind ?? '',
    stage_type: stage.type ?? '',
    stage_status: stage.status,
    stage_error: truncate(stage.error, MAX_ERROR),
    stage_errignore: stage.errignore,
    stage_exit_code: stage.exit_code,
    stage_limit: stage.limit ?? 0,
    stage_os: stage.os,
    stage_arch: stage.arch,
    stage_variant: stage.variant ?? '',
    stage_kernel: stage.kernel ?? '',
    stage_machine: stage.machine ?? '',
    stage_started: stage.started,
    stage_stopped: stage.stopped,
    stage_created: stage.created,
    stage_updated: stage.updated,
    stage_version: stage.version,
    stage_on_success: stage.on_success,
    stage_on_failure: stage.on_failure,
    stage_depends_on: jsonText(stage.depends_on),
    stage_labels: jsonText(stage.labels),
    stage_limit_repo: stage.throttle ?? 0,
  };
}

// ---- steps --------------------------------------------------------------------------------------------

export function rowToStep(row: StepRow): Step {
  return {
    id: toNumber(row.step_id),
    step_id: toNumber(row.step_stage_id),
    number: toNumber(row.step_number),
    name: toText(row.step_name),
    status: toStatus(row.step_status),
    ...omitEmpty('error', toText(row.step_error)),
    ...omitEmpty('errignore', toBool(row.step_errignore)),
    exit_code: toNumber(row.step_exit_code),
    ...omitEmpty('started', toNumber(row.step_started)),
    ...omitEmpty('stopped', toNumber(row.step_stopped)),
    version: toNumber(row.step_version),
    ...omitEmpty('depends_on', parseStringArray(row.step_depends_on)),
    ...omitEmpty('image', toText(row.step_image)),
    ...omitEmpty('detached', toBool(row.step_detached)),
    ...omitEmpty('schema', toText(row.step_schema)),
  };
}

export function stepToRow(step: Omit<Step, 'id'>): Insertable<StepsTable> {
  return {
    step_stage_id: step.step_id,
    step_number: step.number,
    step_name: step.name,
    step_status: step.status,
    step_error: truncate(step.error, MAX_ERROR),
    step_errignore: step.errignore ?? false,
    step_exit_code: step.exit_code,
    step_started: step.started ?? 0,
    step_stopped: step.stopped ?? 0,
    step_version: step.version,
    step_depends_on: jsonText(step.depends_on),
    step_image: step.image ?? '',
    step_detached: step.detached ?? false,
    step_schema: step.schema ?? '',
  };
}

// ---- secrets ------------------------------------------------------------------------------------------

/** A repo secret without its value (the API never shows it). */
export function rowToSecret(row: Omit<SecretRow, 'secret_data'>): Secret {
  return {
    id: toNumber(row.secret_id),
    repo_id: toNumber(row.secret_repo_id),
    name: toText(row.secret_name),
    ...omitEmpty('pull_request', toBool(row.secret_pull_request)),
    ...omitEmpty('pull_request_push', toBool(row.secret_pull_request_push)),
  };
}

/** An organisation secret without its value. */
export function rowToOrgSecret(row: Omit<OrgSecretRow, 'secret_data'>): Secret {
  return {
    id: toNumber(row.secret_id),
    namespace: toText(row.secret_namespace),
    name: toText(row.secret_name),
    ...omitEmpty('type', toText(row.secret_type)),
    ...omitEmpty('pull_request', toBool(row.secret_pull_request)),
    ...omitEmpty('pull_request_push', toBool(row.secret_pull_request_push)),
  };
}
