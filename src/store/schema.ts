// Kysely's view of the database: Drone 2.25's tables and columns as they are (research/drone-schema.md §3),
// plus Hangar's additive columns (`hangar_*`, all NOT NULL with defaults) and tables (`hangar_*`).
//
// Raw column types are what the drivers return: SQLite gives booleans as 0/1 and JSON/binary columns
// Drone wrote as Buffers; PostgreSQL gives booleans as booleans. `rows.ts` maps rows to core types.

import type { ColumnType, Generated } from 'kysely';

/** A boolean column: 0/1 on SQLite, true/false on PostgreSQL. Write booleans; read with `toBool`. */
export type BoolColumn = ColumnType<number | boolean, boolean, boolean>;
/** A JSON column Drone wrote as bytes (BLOB on SQLite) or text; Hangar writes text. */
export type JsonColumn = ColumnType<string | Buffer | null, string | null, string | null>;
/** A binary column (secrets, logs, cards, OAuth tokens). */
export type BytesColumn = ColumnType<Buffer | string | null, Buffer, Buffer>;

export interface UsersTable {
  user_id: Generated<number>;
  user_login: string;
  user_email: string;
  user_admin: BoolColumn;
  user_active: BoolColumn;
  user_machine: BoolColumn;
  user_avatar: string;
  user_syncing: BoolColumn;
  user_synced: number;
  user_created: number;
  user_updated: number;
  user_last_login: number;
  user_oauth_token: BytesColumn;
  user_oauth_refresh: BytesColumn;
  user_oauth_expiry: number;
  user_hash: string;
  /** Hangar: sessions started before this time (ms) are refused (sign-out). */
  hangar_sessions_after: ColumnType<number, number | undefined, number>;
}

export interface ReposTable {
  repo_id: Generated<number>;
  repo_uid: string;
  repo_user_id: number;
  repo_namespace: string;
  repo_name: string;
  repo_slug: string;
  repo_scm: string;
  repo_clone_url: string;
  repo_ssh_url: string;
  repo_html_url: string;
  repo_active: BoolColumn;
  repo_private: BoolColumn;
  repo_visibility: string;
  repo_branch: string;
  repo_counter: number;
  repo_config: string;
  repo_timeout: number;
  repo_trusted: BoolColumn;
  repo_protected: BoolColumn;
  repo_synced: number;
  repo_created: number;
  repo_updated: number;
  repo_version: number;
  repo_signer: string;
  repo_secret: string;
  repo_no_forks: ColumnType<number | boolean, boolean | undefined, boolean>;
  repo_no_pulls: ColumnType<number | boolean, boolean | undefined, boolean>;
  repo_cancel_pulls: ColumnType<number | boolean, boolean | undefined, boolean>;
  repo_cancel_push: ColumnType<number | boolean, boolean | undefined, boolean>;
  repo_cancel_running: ColumnType<number | boolean, boolean | undefined, boolean>;
  repo_throttle: ColumnType<number, number | undefined, number>;
}

export interface PermsTable {
  perm_user_id: number;
  perm_repo_uid: string;
  perm_read: BoolColumn;
  perm_write: BoolColumn;
  perm_admin: BoolColumn;
  perm_synced: number;
  perm_created: number;
  perm_updated: number;
}

export interface BuildsTable {
  build_id: Generated<number>;
  build_repo_id: number;
  build_trigger: string;
  build_number: number;
  build_parent: number;
  build_status: string;
  build_error: string;
  build_event: string;
  build_action: string;
  build_link: string;
  build_timestamp: number;
  build_title: string;
  build_message: string;
  build_before: string;
  build_after: string;
  build_ref: string;
  build_source_repo: string;
  build_source: string;
  build_target: string;
  build_author: string;
  build_author_name: string;
  build_author_email: string;
  build_author_avatar: string;
  build_sender: string;
  build_deploy: string;
  build_params: JsonColumn;
  build_started: number;
  build_finished: number;
  build_created: number;
  build_updated: number;
  build_version: number;
  build_debug: ColumnType<number | boolean, boolean | undefined, boolean>;
  build_cron: ColumnType<string, string | undefined, string>;
  build_deploy_id: ColumnType<number, number | undefined, number>;
  /** Hangar: creation time in milliseconds (Drone keeps seconds). */
  hangar_created_ms: ColumnType<number, number | undefined, number>;
}

export interface StagesTable {
  stage_id: Generated<number>;
  stage_repo_id: number;
  stage_build_id: number;
  stage_number: number;
  stage_name: string;
  stage_kind: string;
  stage_type: string;
  stage_status: string;
  stage_error: string;
  stage_errignore: BoolColumn;
  stage_exit_code: number;
  stage_limit: number;
  stage_os: string;
  stage_arch: string;
  stage_variant: string;
  stage_kernel: string;
  stage_machine: string;
  stage_started: number;
  stage_stopped: number;
  stage_created: number;
  stage_updated: number;
  stage_version: number;
  stage_on_success: BoolColumn;
  stage_on_failure: BoolColumn;
  stage_depends_on: JsonColumn;
  stage_labels: JsonColumn;
  stage_limit_repo: ColumnType<number, number | undefined, number>;
  /** Hangar: a reservation (ms, database clock) keeps other waiters off the stage until Accept. */
  hangar_reserved_until: ColumnType<number, number | undefined, number>;
  /** Hangar: the runner's lease (ms, database clock); the sweep expires stages past it. */
  hangar_lease_until: ColumnType<number, number | undefined, number>;
  /** Hangar: started + repo timeout + grace (ms); 0 before the stage runs. */
  hangar_deadline: ColumnType<number, number | undefined, number>;
  /** Hangar: how many times the stage was re-queued after losing its runner. */
  hangar_attempt: ColumnType<number, number | undefined, number>;
  /** Hangar: whether any step of the current attempt started (decides re-queue vs "runner lost"). */
  hangar_steps_started: ColumnType<number | boolean, boolean | undefined, boolean>;
  /** Hangar: when the stage last became pending (ms): the start of its dispatch latency. */
  hangar_pending_ms: ColumnType<number, number | undefined, number>;
}

export interface StepsTable {
  step_id: Generated<number>;
  step_stage_id: number;
  step_number: number;
  step_name: string;
  step_status: string;
  step_error: string;
  step_errignore: BoolColumn;
  step_exit_code: number;
  step_started: number;
  step_stopped: number;
  step_version: number;
  step_depends_on: ColumnType<string | Buffer | null, string | undefined, string>;
  step_image: ColumnType<string, string | undefined, string>;
  step_detached: ColumnType<number | boolean, boolean | undefined, boolean>;
  step_schema: ColumnType<string, string | undefined, string>;
}

export interface LogsTable {
  log_id: number;
  log_data: BytesColumn;
}

export interface CardsTable {
  card_id: number;
  card_data: BytesColumn;
}

export interface LatestTable {
  latest_repo_id: number;
  latest_build_id: number;
  latest_type: string;
  latest_name: string;
  latest_created: number;
  latest_updated: number;
  latest_deleted: number;
}

export interface CronTable {
  cron_id: Generated<number>;
  cron_repo_id: number;
  cron_name: string;
  cron_expr: string;
  cron_next: number;
  cron_prev: number;
  cron_event: string;
  cron_branch: string;
  cron_target: string;
  cron_disabled: BoolColumn;
  cron_created: number;
  cron_updated: number;
  cron_version: number;
}

export interface SecretsTable {
  secret_id: Generated<number>;
  secret_repo_id: number;
  secret_name: string;
  secret_data: BytesColumn;
  secret_pull_request: BoolColumn;
  secret_pull_request_push: BoolColumn;
}

export interface OrgSecretsTable {
  secret_id: Generated<number>;
  secret_namespace: string;
  secret_name: string;
  secret_type: string;
  secret_data: BytesColumn;
  secret_pull_request: BoolColumn;
  secret_pull_request_push: BoolColumn;
}

export interface TemplatesTable {
  template_id: Generated<number>;
  template_name: string;
  template_namespace: string;
  template_data: BytesColumn;
  template_created: number;
  template_updated: number;
}

export interface MigrationsTable {
  name: string;
}

/** Hangar: the converted YAML a build was planned from; runners' details come from it. */
export interface HangarBuildConfigsTable {
  config_build_id: number;
  config_path: string;
  config_data: string;
}

/** Hangar: idempotency keys (webhook deliveries, cron intents) under a unique key, one per build. */
export interface HangarBuildKeysTable {
  key_value: string;
  key_build_id: number;
  key_created: number;
}

/** Hangar: log lines received by a server, written once a second per server in one multi-row insert. */
export interface HangarLogChunksTable {
  chunk_id: Generated<number>;
  chunk_step_id: number;
  chunk_first_pos: number;
  chunk_last_pos: number;
  /** JSON array of lines. */
  chunk_data: string;
  chunk_created: number;
}

/** Hangar: each server's heartbeat (the cluster page); `server_state` is its live figures as JSON. */
export interface HangarServersTable {
  server_id: string;
  server_address: string;
  server_version: string;
  server_started: number;
  server_seen: number;
  server_state: string;
}

/** Hangar: settings every server of a cluster must share (e.g. a generated cookie secret). */
export interface HangarSettingsTable {
  setting_name: string;
  setting_value: string;
}

/** Hangar: due cron runs not yet turned into builds (DESIGN §3.7), keyed (cron, due). */
export interface HangarCronIntentsTable {
  intent_cron_id: number;
  /** The `cron_next` value the run was due at (seconds). */
  intent_due: number;
  intent_repo_id: number;
  intent_name: string;
  intent_branch: string;
  /** Seconds, database clock. */
  intent_created: number;
  /** Milliseconds, database clock: until then the server that claimed it is building it. */
  intent_claimed_until: number;
  intent_attempts: number;
}

export interface Database {
  users: UsersTable;
  repos: ReposTable;
  perms: PermsTable;
  builds: BuildsTable;
  stages: StagesTable;
  steps: StepsTable;
  logs: LogsTable;
  cards: CardsTable;
  latest: LatestTable;
  cron: CronTable;
  secrets: SecretsTable;
  orgsecrets: OrgSecretsTable;
  templates: TemplatesTable;
  migrations: MigrationsTable;
  hangar_build_configs: HangarBuildConfigsTable;
  hangar_build_keys: HangarBuildKeysTable;
  hangar_log_chunks: HangarLogChunksTable;
  hangar_settings: HangarSettingsTable;
  hangar_servers: HangarServersTable;
  hangar_cron_intents: HangarCronIntentsTable;
}
