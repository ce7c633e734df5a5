// Drone 2.25's PostgreSQL migrations (store/shared/migrate/postgres), in Drone's order and with Drone's
// names. Two names differ from SQLite's (`create-index-builds-incomplete`, placed right after the builds
// table, and `create-table-template`); the types differ too (VARCHAR lengths, BYTEA, SERIAL).
// Never edit a statement here: schema changes go into hangar.ts.

import type { DroneMigration } from './drone-migration.js';

export const dronePostgresMigrations: readonly DroneMigration[] = [
  {
    name: 'create-table-users',
    sql: `
CREATE TABLE IF NOT EXISTS users (
 user_id            SERIAL PRIMARY KEY
,user_login         VARCHAR(250)
,user_email         VARCHAR(500)
,user_admin         BOOLEAN
,user_active        BOOLEAN
,user_machine       BOOLEAN
,user_avatar        VARCHAR(2000)
,user_syncing       BOOLEAN
,user_synced        INTEGER
,user_created       INTEGER
,user_updated       INTEGER
,user_last_login    INTEGER
,user_oauth_token   BYTEA
,user_oauth_refresh BYTEA
,user_oauth_expiry  INTEGER
,user_hash          VARCHAR(500)
,UNIQUE(user_login)
,UNIQUE(user_hash)
);
`,
  },
  {
    name: 'create-table-repos',
    sql: `
CREATE TABLE IF NOT EXISTS repos (
 repo_id                    SERIAL PRIMARY KEY
,repo_uid                   VARCHAR(250)
,repo_user_id               INTEGER
,repo_namespace             VARCHAR(250)
,repo_name                  VARCHAR(250)
,repo_slug                  VARCHAR(250)
,repo_scm                   VARCHAR(50)
,repo_clone_url             VARCHAR(2000)
,repo_ssh_url               VARCHAR(2000)
,repo_html_url              VARCHAR(2000)
,repo_active                BOOLEAN
,repo_private               BOOLEAN
,repo_visibility            VARCHAR(50)
,repo_branch                VARCHAR(250)
,repo_counter               INTEGER
,repo_config                VARCHAR(500)
,repo_timeout               INTEGER
,repo_trusted               BOOLEAN
,repo_protected             BOOLEAN
,repo_synced                INTEGER
,repo_created               INTEGER
,repo_updated               INTEGER
,repo_version               INTEGER
,repo_signer                VARCHAR(50)
,repo_secret                VARCHAR(50)
,UNIQUE(repo_slug)
,UNIQUE(repo_uid)
);
`,
  },
  {
    name: 'alter-table-repos-add-column-no-fork',
    sql: `
ALTER TABLE repos ADD COLUMN repo_no_forks BOOLEAN NOT NULL DEFAULT false;
`,
  },
  {
    name: 'alter-table-repos-add-column-no-pulls',
    sql: `
ALTER TABLE repos ADD COLUMN repo_no_pulls BOOLEAN NOT NULL DEFAULT false;
`,
  },
  {
    name: 'alter-table-repos-add-column-cancel-pulls',
    sql: `
ALTER TABLE repos ADD COLUMN repo_cancel_pulls BOOLEAN NOT NULL DEFAULT false;
`,
  },
  {
    name: 'alter-table-repos-add-column-cancel-push',
    sql: `
ALTER TABLE repos ADD COLUMN repo_cancel_push BOOLEAN NOT NULL DEFAULT false;
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
ALTER TABLE repos ADD COLUMN repo_cancel_running BOOLEAN NOT NULL DEFAULT false;
`,
  },
  {
    name: 'create-table-perms',
    sql: `
CREATE TABLE IF NOT EXISTS perms (
 perm_user_id  INTEGER
,perm_repo_uid VARCHAR(250)
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
 build_id            SERIAL PRIMARY KEY
,build_repo_id       INTEGER
,build_config_id     INTEGER
,build_trigger       VARCHAR(250)
,build_number        INTEGER
,build_parent        INTEGER
,build_status        VARCHAR(50)
,build_error         VARCHAR(500)
,build_event         VARCHAR(50)
,build_action        VARCHAR(50)
,build_link          VARCHAR(2000)
,build_timestamp     INTEGER
,build_title         VARCHAR(2000)
,build_message       VARCHAR(2000)
,build_before        VARCHAR(50)
,build_after         VARCHAR(50)
,build_ref           VARCHAR(500)
,build_source_repo   VARCHAR(250)
,build_source        VARCHAR(500)
,build_target        VARCHAR(500)
,build_author        VARCHAR(500)
,build_author_name   VARCHAR(500)
,build_author_email  VARCHAR(500)
,build_author_avatar VARCHAR(2000)
,build_sender        VARCHAR(500)
,build_deploy        VARCHAR(500)
,build_params        VARCHAR(4000)
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
    name: 'create-index-builds-incomplete',
    sql: `
CREATE INDEX IF NOT EXISTS ix_build_incomplete ON builds (build_status)
WHERE build_status IN ('pending', 'running');
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
    name: 'alter-table-builds-add-column-debug',
    sql: `
ALTER TABLE builds ADD COLUMN build_debug BOOLEAN NOT NULL DEFAULT false;
`,
  },
  {
    name: 'create-table-stages',
    sql: `
CREATE TABLE IF NOT EXISTS stages (
 stage_id          SERIAL PRIMARY KEY
,stage_repo_id     INTEGER
,stage_build_id    INTEGER
,stage_number      INTEGER
,stage_name        VARCHAR(100)
,stage_kind        VARCHAR(50)
,stage_type        VARCHAR(50)
,stage_status      VARCHAR(50)
,stage_error       VARCHAR(500)
,stage_errignore   BOOLEAN
,stage_exit_code   INTEGER
,stage_limit       INTEGER
,stage_os          VARCHAR(50)
,stage_arch        VARCHAR(50)
,stage_variant     VARCHAR(10)
,stage_kernel      VARCHAR(50)
,stage_machine     VARCHAR(500)
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
 step_id          SERIAL PRIMARY KEY
,step_stage_id    INTEGER
,step_number      INTEGER
,step_name        VARCHAR(100)
,step_status      VARCHAR(50)
,step_error       VARCHAR(500)
,step_errignore   BOOLEAN
,step_exit_code   INTEGER
,step_started     INTEGER
,step_stopped     INTEGER
,step_version     INTEGER
,UNIQUE(step_stage_id, step_number)
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
 log_id    SERIAL PRIMARY KEY
,log_data  BYTEA
);
`,
  },
  {
    name: 'create-table-cron',
    sql: `
CREATE TABLE IF NOT EXISTS cron (
 cron_id          SERIAL PRIMARY KEY
,cron_repo_id     INTEGER
,cron_name        VARCHAR(50)
,cron_expr        VARCHAR(50)
,cron_next        INTEGER
,cron_prev        INTEGER
,cron_event       VARCHAR(50)
,cron_branch      VARCHAR(250)
,cron_target      VARCHAR(250)
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
 secret_id                SERIAL PRIMARY KEY
,secret_repo_id           INTEGER
,secret_name              VARCHAR(500)
,secret_data              BYTEA
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
 node_id         SERIAL PRIMARY KEY
,node_uid        VARCHAR(500)
,node_provider   VARCHAR(50)
,node_state      VARCHAR(50)
,node_name       VARCHAR(50)
,node_image      VARCHAR(500)
,node_region     VARCHAR(100)
,node_size       VARCHAR(100)
,node_os         VARCHAR(50)
,node_arch       VARCHAR(50)
,node_kernel     VARCHAR(50)
,node_variant    VARCHAR(50)
,node_address    VARCHAR(500)
,node_capacity   INTEGER
,node_filter     VARCHAR(2000)
,node_labels     VARCHAR(2000)
,node_error      VARCHAR(2000)
,node_ca_key     BYTEA
,node_ca_cert    BYTEA
,node_tls_key    BYTEA
,node_tls_cert   BYTEA
,node_tls_name   VARCHAR(500)
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
ALTER TABLE builds ADD COLUMN build_cron VARCHAR(50) NOT NULL DEFAULT '';
`,
  },
  {
    name: 'create-table-org-secrets',
    sql: `
CREATE TABLE IF NOT EXISTS orgsecrets (
 secret_id                SERIAL PRIMARY KEY
,secret_namespace         VARCHAR(50)
,secret_name              VARCHAR(200)
,secret_type              VARCHAR(50)
,secret_data              BYTEA
,secret_pull_request      BOOLEAN
,secret_pull_request_push BOOLEAN
,UNIQUE(secret_namespace, secret_name)
);
`,
  },
  {
    name: 'alter-table-builds-add-column-deploy-id',
    sql: `
ALTER TABLE builds ADD COLUMN build_deploy_id INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    name: 'create-table-latest',
    sql: `
CREATE TABLE IF NOT EXISTS latest (
 latest_repo_id  INTEGER
,latest_build_id INTEGER
,latest_type     VARCHAR(50)
,latest_name     VARCHAR(500)
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
    name: 'create-table-template',
    sql: `
CREATE TABLE IF NOT EXISTS templates (
    template_id       SERIAL PRIMARY KEY
    ,template_name    TEXT
    ,template_namespace VARCHAR(50)
    ,template_data    BYTEA
    ,template_created INTEGER
    ,template_updated INTEGER
,UNIQUE(template_name, template_namespace)
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
ALTER TABLE steps ADD COLUMN step_image VARCHAR(1000) NOT NULL DEFAULT '';
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
     card_id         SERIAL PRIMARY KEY
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
    ADD COLUMN step_schema VARCHAR(2000) NOT NULL DEFAULT '';
`,
  },
  {
    name: 'create-new-table-cards',
    sql: `
CREATE TABLE IF NOT EXISTS cards
(
    card_id SERIAL PRIMARY KEY,
    card_data BYTEA,
    FOREIGN KEY (card_id) REFERENCES steps (step_id) ON DELETE CASCADE
);
`,
  },
];
