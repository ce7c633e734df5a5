// Drone 2.25's SQLite migrations (store/shared/migrate/sqlite), in Drone's order and with Drone's names.
// The statement text is kept exactly as Drone runs it: SQLite stores each CREATE statement's text in
// sqlite_master (ALTER TABLE … ADD COLUMN splices its column text in), so a database Hangar creates is
// byte-for-byte the one Drone would create, and Drone, finding all 48 names in `migrations`, runs nothing.
// Never edit a statement here: schema changes go into hangar.ts.

import type { DroneMigration } from './drone-migration.js';

export const droneSqliteMigrations: readonly DroneMigration[] = [
  {
    name: 'create-table-users',
    sql: `
CREATE TABLE IF NOT EXISTS users (
 user_id            INTEGER PRIMARY KEY AUTOINCREMENT
,user_login         TEXT COLLATE NOCASE
,user_email         TEXT
,user_admin         BOOLEAN
,user_machine       BOOLEAN
,user_active        BOOLEAN
,user_avatar        TEXT
,user_syncing       BOOLEAN
,user_synced        INTEGER
,user_created       INTEGER
,user_updated       INTEGER
,user_last_login    INTEGER
,user_oauth_token   TEXT
,user_oauth_refresh TEXT
,user_oauth_expiry  INTEGER
,user_hash          TEXT
,UNIQUE(user_login COLLATE NOCASE)
,UNIQUE(user_hash)
);
`,
  },
  {
    name: 'create-table-repos',
    sql: `
CREATE TABLE IF NOT EXISTS repos (
 repo_id                    INTEGER PRIMARY KEY AUTOINCREMENT
,repo_uid                   TEXT
,repo_user_id               INTEGER
,repo_namespace             TEXT
,repo_name                  TEXT
,repo_slug                  TEXT
,repo_scm                   TEXT
,repo_clone_url             TEXT
,repo_ssh_url               TEXT
,repo_html_url              TEXT
,repo_active                BOOLEAN
,repo_private               BOOLEAN
,repo_visibility            TEXT
,repo_branch                TEXT
,repo_counter               INTEGER
,repo_config                TEXT
,repo_timeout               INTEGER
,repo_trusted               BOOLEAN
,repo_protected             BOOLEAN
,repo_synced                INTEGER
,repo_created               INTEGER
,repo_updated               INTEGER
,repo_version               INTEGER
,repo_signer                TEXT
,repo_secret                TEXT
,UNIQUE(repo_slug)
,UNIQUE(repo_uid)
);
`,
  },
  {
    name: 'alter-table-repos-add-column-no-fork',
    sql: `
ALTER TABLE repos ADD COLUMN repo_no_forks BOOLEAN NOT NULL DEFAULT 0;
`,
  },
  {
    name: 'alter-table-repos-add-column-no-pulls',
    sql: `
ALTER TABLE repos ADD COLUMN repo_no_pulls BOOLEAN NOT NULL DEFAULT 0;
`,
  },
  {
    name: 'alter-table-repos-add-column-cancel-pulls',
    sql: `
ALTER TABLE repos ADD COLUMN repo_cancel_pulls BOOLEAN NOT NULL DEFAULT 0;
`,
  },
  {
    name: 'alter-table-repos-add-column-cancel-push',
    sql: `
ALTER TABLE repos ADD COLUMN repo_cancel_push BOOLEAN NOT NULL DEFAULT 0;
`,
  },
  {
    name: 'alter-table-repos-add-column-throttle',
    sql: `
ALTER TABLE repos ADD COLUMN repo_throttle INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    name: 'alter-table-repos-add-column-cancel-running',
    sql: `
ALTER TABLE repos ADD COLUMN repo_cancel_running BOOLEAN NOT NULL DEFAULT 0;
`,
  },
  {
    name: 'create-table-perms',
    sql: `
CREATE TABLE IF NOT EXISTS perms (
 perm_user_id  INTEGER
,perm_repo_uid TEXT
,perm_read     BOOLEAN
,perm_write    BOOLEAN
,perm_admin    BOOLEAN
,perm_synced   INTEGER
,perm_created  INTEGER
,perm_updated  INTEGER
,PRIMARY KEY(perm_user_id, perm_repo_uid)
);
`,
  },
  {
    name: 'create-index-perms-user',
    sql: `
CREATE INDEX IF NOT EXISTS ix_perms_user ON perms (perm_user_id);
`,
  },
  {
    name: 'create-index-perms-repo',
    sql: `
CREATE INDEX IF NOT EXISTS ix_perms_repo ON perms (perm_repo_uid);
`,
  },
  {
    name: 'create-table-builds',
    sql: `
CREATE TABLE IF NOT EXISTS builds (
 build_id            INTEGER PRIMARY KEY AUTOINCREMENT
,build_repo_id       INTEGER
,build_trigger       TEXT
,build_number        INTEGER
,build_parent        INTEGER
,build_status        TEXT
,build_error         TEXT
,build_event         TEXT
,build_action        TEXT
,build_link          TEXT
,build_timestamp     INTEGER
,build_title         TEXT
,build_message       TEXT
,build_before        TEXT
,build_after         TEXT
,build_ref           TEXT
,build_source_repo   TEXT
,build_source        TEXT
,build_target        TEXT
,build_author        TEXT
,build_author_name   TEXT
,build_author_email  TEXT
,build_author_avatar TEXT
,build_sender        TEXT
,build_deploy        TEXT
,build_params        TEXT
,build_started       INTEGER
,build_finished      INTEGER
,build_created       INTEGER
,build_updated       INTEGER
,build_version       INTEGER
,UNIQUE(build_repo_id, build_number)
);
`,
  },
  {
    name: 'create-index-builds-repo',
    sql: `
CREATE INDEX IF NOT EXISTS ix_build_repo ON builds (build_repo_id);
`,
  },
  {
    name: 'create-index-builds-author',
    sql: `
CREATE INDEX IF NOT EXISTS ix_build_author ON builds (build_author);
`,
  },
  {
    name: 'create-index-builds-sender',
    sql: `
CREATE INDEX IF NOT EXISTS ix_build_sender ON builds (build_sender);
`,
  },
  {
    name: 'create-index-builds-ref',
    sql: `
CREATE INDEX IF NOT EXISTS ix_build_ref ON builds (build_repo_id, build_ref);
`,
  },
  {
    name: 'create-index-build-incomplete',
    sql: `
CREATE INDEX IF NOT EXISTS ix_build_incomplete ON builds (build_status)
WHERE build_status IN ('pending', 'running');
`,
  },
  {
    name: 'alter-table-builds-add-column-debug',
    sql: `
ALTER TABLE builds ADD COLUMN build_debug BOOLEAN NOT NULL DEFAULT 0;
`,
  },
  {
    name: 'create-table-stages',
    sql: `
CREATE TABLE IF NOT EXISTS stages (
 stage_id          INTEGER PRIMARY KEY AUTOINCREMENT
,stage_repo_id     INTEGER
,stage_build_id    INTEGER
,stage_number      INTEGER
,stage_kind        TEXT
,stage_type        TEXT
,stage_name        TEXT
,stage_status      TEXT
,stage_error       TEXT
,stage_errignore   BOOLEAN
,stage_exit_code   INTEGER
,stage_limit       INTEGER
,stage_os          TEXT
,stage_arch        TEXT
,stage_variant     TEXT
,stage_kernel      TEXT
,stage_machine     TEXT
,stage_started     INTEGER
,stage_stopped     INTEGER
,stage_created     INTEGER
,stage_updated     INTEGER
,stage_version     INTEGER
,stage_on_success  BOOLEAN
,stage_on_failure  BOOLEAN
,stage_depends_on  TEXT
,stage_labels      TEXT
,UNIQUE(stage_build_id, stage_number)
,FOREIGN KEY(stage_build_id) REFERENCES builds(build_id) ON DELETE CASCADE
);
`,
  },
  {
    name: 'create-index-stages-build',
    sql: `
CREATE INDEX IF NOT EXISTS ix_stages_build ON stages (stage_build_id);
`,
  },
  {
    name: 'create-index-stages-status',
    sql: `
CREATE INDEX IF NOT EXISTS ix_stage_in_progress ON stages (stage_status)
WHERE stage_status IN ('pending', 'running');
`,
  },
  {
    name: 'alter-table-stages-add-column-limit-repos',
    sql: `
ALTER TABLE stages ADD COLUMN stage_limit_repo INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    name: 'create-table-steps',
    sql: `
CREATE TABLE IF NOT EXISTS steps (
 step_id          INTEGER PRIMARY KEY AUTOINCREMENT
,step_stage_id    INTEGER
,step_number      INTEGER
,step_name        TEXT
,step_status      TEXT
,step_error       TEXT
,step_errignore   BOOLEAN
,step_exit_code   INTEGER
,step_started     INTEGER
,step_stopped     INTEGER
,step_version     INTEGER
,UNIQUE(step_stage_id, step_number)
,FOREIGN KEY(step_stage_id) REFERENCES stages(stage_id) ON DELETE CASCADE
);
`,
  },
  {
    name: 'create-index-steps-stage',
    sql: `
CREATE INDEX IF NOT EXISTS ix_steps_stage ON steps (step_stage_id);
`,
  },
  {
    name: 'create-table-logs',
    sql: `
CREATE TABLE IF NOT EXISTS logs (
 log_id    INTEGER PRIMARY KEY
,log_data  BLOB
,FOREIGN KEY(log_id) REFERENCES steps(step_id) ON DELETE CASCADE
);
`,
  },
  {
    name: 'create-table-cron',
    sql: `
CREATE TABLE IF NOT EXISTS cron (
 cron_id          INTEGER PRIMARY KEY AUTOINCREMENT
,cron_repo_id     INTEGER
,cron_name        TEXT
,cron_expr        TEXT
,cron_next        INTEGER
,cron_prev        INTEGER
,cron_event       TEXT
,cron_branch      TEXT
,cron_target      TEXT
,cron_disabled    BOOLEAN
,cron_created     INTEGER
,cron_updated     INTEGER
,cron_version     INTEGER
,UNIQUE(cron_repo_id, cron_name)
,FOREIGN KEY(cron_repo_id) REFERENCES repos(repo_id) ON DELETE CASCADE
);
`,
  },
  {
    name: 'create-index-cron-repo',
    sql: `
CREATE INDEX IF NOT EXISTS ix_cron_repo ON cron (cron_repo_id);
`,
  },
  {
    name: 'create-index-cron-next',
    sql: `
CREATE INDEX IF NOT EXISTS ix_cron_next ON cron (cron_next);
`,
  },
  {
    name: 'create-table-secrets',
    sql: `
CREATE TABLE IF NOT EXISTS secrets (
 secret_id                INTEGER PRIMARY KEY AUTOINCREMENT
,secret_repo_id           INTEGER
,secret_name              TEXT
,secret_data              BLOB
,secret_pull_request      BOOLEAN
,secret_pull_request_push BOOLEAN
,UNIQUE(secret_repo_id, secret_name)
,FOREIGN KEY(secret_repo_id) REFERENCES repos(repo_id) ON DELETE CASCADE
);
`,
  },
  {
    name: 'create-index-secrets-repo',
    sql: `
CREATE INDEX IF NOT EXISTS ix_secret_repo ON secrets (secret_repo_id);
`,
  },
  {
    name: 'create-index-secrets-repo-name',
    sql: `
CREATE INDEX IF NOT EXISTS ix_secret_repo_name ON secrets (secret_repo_id, secret_name);
`,
  },
  {
    name: 'create-table-nodes',
    sql: `
CREATE TABLE IF NOT EXISTS nodes (
 node_id         INTEGER PRIMARY KEY AUTOINCREMENT
,node_uid        TEXT
,node_provider   TEXT
,node_state      TEXT
,node_name       TEXT
,node_image      TEXT
,node_region     TEXT
,node_size       TEXT
,node_os         TEXT
,node_arch       TEXT
,node_kernel     TEXT
,node_variant    TEXT
,node_address    TEXT
,node_capacity   INTEGER
,node_filter     TEXT
,node_labels     TEXT
,node_error      TEXT
,node_ca_key     TEXT
,node_ca_cert    TEXT
,node_tls_key    TEXT
,node_tls_cert   TEXT
,node_tls_name   TEXT
,node_paused     BOOLEAN
,node_protected  BOOLEAN
,node_created    INTEGER
,node_updated    INTEGER
,node_pulled     INTEGER

,UNIQUE(node_name)
);
`,
  },
  {
    name: 'alter-table-builds-add-column-cron',
    sql: `
ALTER TABLE builds ADD COLUMN build_cron TEXT NOT NULL DEFAULT '';
`,
  },
  {
    name: 'create-table-org-secrets',
    sql: `
CREATE TABLE IF NOT EXISTS orgsecrets (
 secret_id                INTEGER PRIMARY KEY AUTOINCREMENT
,secret_namespace         TEXT COLLATE NOCASE
,secret_name              TEXT COLLATE NOCASE
,secret_type              TEXT
,secret_data              BLOB
,secret_pull_request      BOOLEAN
,secret_pull_request_push BOOLEAN
,UNIQUE(secret_namespace, secret_name)
);
`,
  },
  {
    name: 'alter-table-builds-add-column-deploy-id',
    sql: `
ALTER TABLE builds ADD COLUMN build_deploy_id NUMBER NOT NULL DEFAULT 0;
`,
  },
  {
    name: 'create-table-latest',
    sql: `
CREATE TABLE IF NOT EXISTS latest (
 latest_repo_id  INTEGER
,latest_build_id INTEGER
,latest_type     TEXT -- branch | tag     | pull_request | promote
,latest_name     TEXT -- master | v1.0.0, | 42           | production
,latest_created  INTEGER
,latest_updated  INTEGER
,latest_deleted  INTEGER
,PRIMARY KEY(latest_repo_id, latest_type, latest_name)
);
`,
  },
  {
    name: 'create-index-latest-repo',
    sql: `
CREATE INDEX IF NOT EXISTS ix_latest_repo ON latest (latest_repo_id);
`,
  },
  {
    name: 'create-table-templates',
    sql: `
CREATE TABLE IF NOT EXISTS templates (
     template_id      INTEGER PRIMARY KEY AUTOINCREMENT
    ,template_name    TEXT
    ,template_namespace TEXT COLLATE NOCASE
    ,template_data    BLOB
    ,template_created INTEGER
    ,template_updated INTEGER
    ,UNIQUE(template_name COLLATE NOCASE, template_namespace COLLATE NOCASE)
);
`,
  },
  {
    name: 'create-index-template-namespace',
    sql: `
CREATE INDEX IF NOT EXISTS ix_template_namespace ON templates (template_namespace);
`,
  },
  {
    name: 'alter-table-steps-add-column-step-depends-on',
    sql: `
ALTER TABLE steps ADD COLUMN step_depends_on TEXT NOT NULL DEFAULT '';
`,
  },
  {
    name: 'alter-table-steps-add-column-step-image',
    sql: `
ALTER TABLE steps ADD COLUMN step_image TEXT NOT NULL DEFAULT '';
`,
  },
  {
    name: 'alter-table-steps-add-column-step-detached',
    sql: `
ALTER TABLE steps ADD COLUMN step_detached BOOLEAN NOT NULL DEFAULT FALSE;
`,
  },
  {
    name: 'create-table-cards',
    sql: `
CREATE TABLE IF NOT EXISTS cards (
     card_id         INTEGER PRIMARY KEY AUTOINCREMENT
    ,card_build      INTEGER
    ,card_stage      INTEGER
    ,card_step       INTEGER
    ,card_schema     TEXT
    ,card_data       TEXT
);
`,
  },
  {
    name: 'create-index-cards-card_build',
    sql: `
CREATE INDEX IF NOT EXISTS  ix_cards_build ON cards (card_build);
`,
  },
  {
    name: 'create-index-cards-card_step',
    sql: `
CREATE UNIQUE INDEX IF NOT EXISTS  ix_cards_step ON cards (card_step);
`,
  },
  {
    name: 'drop-table-cards',
    sql: `
DROP TABLE IF EXISTS cards;
`,
  },
  {
    name: 'alter-table-steps-add-column-step_schema',
    sql: `
ALTER TABLE steps
    ADD COLUMN step_schema TEXT NOT NULL DEFAULT '';
`,
  },
  {
    name: 'create-new-table-cards',
    sql: `
CREATE TABLE IF NOT EXISTS cards
(
    card_id   INTEGER PRIMARY KEY,
    card_data BLOB,
    FOREIGN KEY (card_id) REFERENCES steps (step_id) ON DELETE CASCADE
);
`,
  },
];
