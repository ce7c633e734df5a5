// A database Drone created and filled, opened and migrated by Hangar: its rows map correctly, and Drone's
// own statements (their exact column lists) still work on the migrated schema.

import { createCipheriv, randomBytes } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import type { OpenDatabase } from '../../../src/store/db.js';
import { createEncrypter } from '../../../src/store/encrypt.js';
import { findLog } from '../../../src/store/logs.js';
import { migrate } from '../../../src/store/migrate.js';
import { findRepoBySlug, findRepoWithKeysBySlug, listReposForUser } from '../../../src/store/repos.js';
import { rowToBuild, rowToStage, rowToStep } from '../../../src/store/rows.js';
import { decryptRunnerSecrets, listSecrets } from '../../../src/store/secrets.js';
import { createStageStore } from '../../../src/store/stage-store.js';
import { findUserByLogin, findUserByToken } from '../../../src/store/users.js';
import {
  createDronePostgres,
  createDroneSqlite,
  openRawPostgres,
  openRawSqlite,
  type RawDroneDatabase,
} from '../../support/drone-database.js';
import { storeTargets } from '../../support/stores.js';

const KEY = 'a'.repeat(16) + 'b'.repeat(16);

/** Drone's layout: nonce(12) ‖ ciphertext ‖ tag(16), AES-256-GCM with the key's literal bytes. */
function droneEncrypt(plaintext: string): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(KEY), nonce);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

// ---- Drone's statements (store/{user,repos,perm,build,stage,step,logs,secret}), placeholders positional ----

const DRONE_INSERT_USER = `INSERT INTO users (user_login, user_email, user_admin, user_machine, user_active, user_avatar,
 user_syncing, user_synced, user_created, user_updated, user_last_login, user_oauth_token, user_oauth_refresh,
 user_oauth_expiry, user_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`;

const DRONE_INSERT_REPO = `INSERT INTO repos (repo_uid, repo_user_id, repo_namespace, repo_name, repo_slug, repo_scm,
 repo_clone_url, repo_ssh_url, repo_html_url, repo_active, repo_private, repo_visibility, repo_branch, repo_counter,
 repo_config, repo_timeout, repo_throttle, repo_trusted, repo_protected, repo_no_forks, repo_no_pulls,
 repo_cancel_pulls, repo_cancel_push, repo_cancel_running, repo_synced, repo_created, repo_updated, repo_version,
 repo_signer, repo_secret) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`;

const DRONE_INSERT_PERM = `INSERT INTO perms (perm_user_id, perm_repo_uid, perm_read, perm_write, perm_admin,
 perm_synced, perm_created, perm_updated) VALUES (?,?,?,?,?,?,?,?)`;

const DRONE_INSERT_BUILD = `INSERT INTO builds (build_repo_id, build_trigger, build_number, build_parent,
 build_status, build_error, build_event, build_action, build_link, build_timestamp, build_title, build_message,
 build_before, build_after, build_ref, build_source_repo, build_source, build_target, build_author,
 build_author_name, build_author_email, build_author_avatar, build_sender, build_params, build_cron, build_deploy,
 build_deploy_id, build_debug, build_started, build_finished, build_created, build_updated, build_version)
 VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`;

const DRONE_SELECT_BUILD = `SELECT build_id, build_repo_id, build_trigger, build_number, build_parent, build_status,
 build_error, build_event, build_action, build_link, build_timestamp, build_title, build_message, build_before,
 build_after, build_ref, build_source_repo, build_source, build_target, build_author, build_author_name,
 build_author_email, build_author_avatar, build_sender, build_params, build_cron, build_deploy, build_deploy_id,
 build_debug, build_started, build_finished, build_created, build_updated, build_version
 FROM builds WHERE build_repo_id = ? AND build_number = ?`;

const DRONE_UPDATE_BUILD = `UPDATE builds SET build_parent = ?, build_status = ?, build_error = ?, build_event = ?,
 build_action = ?, build_link = ?, build_timestamp = ?, build_title = ?, build_message = ?, build_before = ?,
 build_after = ?, build_ref = ?, build_source_repo = ?, build_source = ?, build_target = ?, build_author = ?,
 build_author_name = ?, build_author_email = ?, build_author_avatar = ?, build_sender = ?, build_params = ?,
 build_cron = ?, build_deploy = ?, build_started = ?, build_finished = ?, build_updated = ?, build_version = ?
 WHERE build_id = ? AND build_version = ?`;

const DRONE_INSERT_STAGE = `INSERT INTO stages (stage_repo_id, stage_build_id, stage_number, stage_name, stage_kind,
 stage_type, stage_status, stage_error, stage_errignore, stage_exit_code, stage_limit, stage_limit_repo, stage_os,
 stage_arch, stage_variant, stage_kernel, stage_machine, stage_started, stage_stopped, stage_created,
 stage_updated, stage_version, stage_on_success, stage_on_failure, stage_depends_on, stage_labels)
 VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`;

const DRONE_UPDATE_STAGE = `UPDATE stages SET stage_status = ?, stage_error = ?, stage_errignore = ?,
 stage_exit_code = ?, stage_os = ?, stage_arch = ?, stage_variant = ?, stage_kernel = ?, stage_machine = ?,
 stage_started = ?, stage_stopped = ?, stage_created = ?, stage_updated = ?, stage_version = ?,
 stage_on_success = ?, stage_on_failure = ?, stage_depends_on = ?, stage_labels = ?
 WHERE stage_id = ? AND stage_version = ?`;

const DRONE_SELECT_STAGES_PENDING = `SELECT stage_id, stage_repo_id, stage_build_id, stage_number, stage_name,
 stage_kind, stage_type, stage_status, stage_error, stage_errignore, stage_exit_code, stage_limit, stage_limit_repo,
 stage_os, stage_arch, stage_variant, stage_kernel, stage_machine, stage_started, stage_stopped, stage_created,
 stage_updated, stage_version, stage_on_success, stage_on_failure, stage_depends_on, stage_labels
 FROM stages WHERE stage_status = ? ORDER BY stage_id ASC`;

const DRONE_INSERT_STEP = `INSERT INTO steps (step_stage_id, step_number, step_name, step_status, step_error,
 step_errignore, step_exit_code, step_started, step_stopped, step_version, step_depends_on, step_image,
 step_detached, step_schema) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`;

const DRONE_UPDATE_STEP = `UPDATE steps SET step_name = ?, step_status = ?, step_error = ?, step_errignore = ?,
 step_exit_code = ?, step_started = ?, step_stopped = ?, step_version = ?, step_depends_on = ?, step_image = ?,
 step_detached = ?, step_schema = ? WHERE step_id = ? AND step_version = ?`;

/** stages ⋈ steps with unqualified names: breaks if an added column's name collides (research §6.2). */
const DRONE_STAGES_WITH_STEPS = `SELECT stage_id, stage_repo_id, stage_build_id, stage_number, stage_name,
 stage_kind, stage_type, stage_status, stage_error, stage_errignore, stage_exit_code, stage_limit, stage_limit_repo,
 stage_os, stage_arch, stage_variant, stage_kernel, stage_machine, stage_started, stage_stopped, stage_created,
 stage_updated, stage_version, stage_on_success, stage_on_failure, stage_depends_on, stage_labels, step_id,
 step_stage_id, step_number, step_name, step_status, step_error, step_errignore, step_exit_code, step_started,
 step_stopped, step_version, step_depends_on, step_image, step_detached, step_schema
 FROM stages LEFT JOIN steps ON stages.stage_id=steps.step_stage_id
 WHERE stages.stage_build_id = ? ORDER BY stage_id ASC, step_id ASC`;

/** repos ⋈ builds ⋈ perms with unqualified names (Drone's repo list with the latest build). */
const DRONE_REPOS_WITH_BUILD = `SELECT repo_id, repo_slug, repo_counter, repo_version, build_id, build_number,
 build_status FROM repos LEFT OUTER JOIN builds ON build_id = (
   SELECT build_id FROM builds WHERE builds.build_repo_id = repos.repo_id ORDER BY build_id DESC LIMIT 1)
 INNER JOIN perms ON perms.perm_repo_uid = repos.repo_uid
 WHERE perms.perm_user_id = ? ORDER BY repo_slug ASC`;

const DRONE_INSERT_LOG = `INSERT INTO logs (log_id, log_data) VALUES (?, ?)`;
const DRONE_INSERT_SECRET = `INSERT INTO secrets (secret_repo_id, secret_name, secret_data, secret_pull_request,
 secret_pull_request_push) VALUES (?,?,?,?,?)`;
const DRONE_INSERT_ORG_SECRET = `INSERT INTO orgsecrets (secret_namespace, secret_name, secret_type, secret_data,
 secret_pull_request, secret_pull_request_push) VALUES (?,?,?,?,?,?)`;

describe.each(storeTargets)('a Drone database on %s', (dialect, target) => {
  // Go binds bool as 0/1 on SQLite and as boolean on PostgreSQL; JSON and bytes as []byte.
  const b = (value: boolean) => (dialect === 'sqlite' ? (value ? 1 : 0) : value);
  const json = (text: string) => Buffer.from(text);
  const jsonText = (text: string) => (dialect === 'sqlite' ? Buffer.from(text) : text);
  const opened: OpenDatabase[] = [];
  const raws: RawDroneDatabase[] = [];
  afterEach(async () => {
    await Promise.all(raws.splice(0).map((r) => r.close()));
    await Promise.all(opened.splice(0).map((o) => o.close()));
  });

  async function fillLikeDrone(raw: RawDroneDatabase): Promise<void> {
    await raw.exec(DRONE_INSERT_USER, ['Octocat', 'octocat@example.com', b(true), b(false), b(true), 'https://avatar',
      b(false), 1700000000, 1700000000, 1700000001, 1700000002, json(''), json(''), 0, 'token-octocat-32-chars-long-0001']);
    await raw.exec(DRONE_INSERT_REPO, ['1296269', 1, 'octocat', 'hello-world', 'octocat/hello-world', '',
      'https://git.example/octocat/hello-world.git', 'git@git.example:octocat/hello-world.git',
      'https://git.example/octocat/hello-world', b(true), b(true), 'private', 'main', 1, '.drone.yml', 60, 2, b(false),
      b(false), b(true), b(false), b(false), b(false), b(false), 0, 1700000000, 1700000000, 3, 'signer-key', 'repo-secret']);
    await raw.exec(DRONE_INSERT_PERM, [1, '1296269', b(true), b(true), b(true), 1700000000, 1700000000, 1700000000]);
    await raw.exec(DRONE_INSERT_BUILD, [1, '@hook', 1, 0, 'running', '', 'push', '', 'https://link', 0, '', 'fix it',
      'abc', 'def', 'refs/heads/main', '', 'main', 'main', 'octocat', 'The Octocat', 'o@example.com', '', 'octocat',
      jsonText('{"DEPLOY":"yes"}'), '', '', 0, b(false), 1700000100, 0, 1700000050, 1700000100, 2]);
    await raw.exec(DRONE_INSERT_STAGE, [1, 1, 1, 'default', 'pipeline', 'docker', 'running', '', b(false), 0, 0, 2,
      'linux', 'amd64', '', '', 'runner-1', 1700000100, 0, 1700000050, 1700000100, 3, b(true), b(false),
      jsonText('null'), jsonText('{"region":"eu"}')]);
    await raw.exec(DRONE_INSERT_STAGE, [1, 1, 2, 'after', 'pipeline', 'docker', 'waiting_on_dependencies', '', b(false),
      0, 0, 2, 'linux', 'amd64', '', '', '', 0, 0, 1700000050, 1700000050, 1, b(true), b(false),
      jsonText('["default"]'), jsonText('null')]);
    await raw.exec(DRONE_INSERT_STEP, [1, 1, 'clone', 'success', '', b(false), 0, 1700000100, 1700000101, 3,
      jsonText('null'), 'drone/git', b(false), '']);
    await raw.exec(DRONE_INSERT_STEP, [1, 2, 'test', 'running', '', b(true), 0, 1700000101, 0, 2,
      jsonText('["clone"]'), 'node:20', b(false), '']);
    await raw.exec(DRONE_INSERT_LOG, [1, Buffer.from('[{"pos":0,"out":"+ git clone\\n","time":0}]')]);
    await raw.exec(DRONE_INSERT_SECRET, [1, 'docker_password', droneEncrypt('hunter2'), b(false), b(false)]);
    await raw.exec(DRONE_INSERT_ORG_SECRET, ['octocat', 'npm_token', '', droneEncrypt('npm-123'), b(true), b(false)]);
  }

  async function droneDatabaseMigratedByHangar(): Promise<{ store: OpenDatabase; source: string }> {
    const source = await target.datasource();
    const raw = dialect === 'sqlite' ? await createDroneSqlite(source) : await createDronePostgres(source);
    await fillLikeDrone(raw);
    await raw.close();
    const store = await target.open(source);
    opened.push(store);
    await migrate(store.db, store.dialect);
    return { store, source };
  }

  it('maps the rows Drone wrote: booleans, BLOB and `null` JSON, bytes and encrypted secrets', async () => {
    const { store } = await droneDatabaseMigratedByHangar();
    const { db } = store;

    const user = await findUserByLogin(db, 'Octocat');
    expect(user).toMatchObject({ id: 1, login: 'Octocat', admin: true, machine: false, active: true, last_login: 1700000002 });
    expect(await findUserByToken(db, 'token-octocat-32-chars-long-0001')).toEqual(user);

    const repo = await findRepoBySlug(db, 'octocat/hello-world');
    expect(repo).toMatchObject({ private: true, active: true, ignore_forks: true, ignore_pull_requests: false,
      throttle: 2, counter: 1, version: 3, timeout: 60, config_path: '.drone.yml' });
    expect(repo).not.toHaveProperty('secret');
    expect(await findRepoWithKeysBySlug(db, 'octocat/hello-world')).toMatchObject({ signer: 'signer-key', secret: 'repo-secret' });
    expect((await listReposForUser(db, 1)).map((r) => r.slug)).toEqual(['octocat/hello-world']);

    const build = rowToBuild(await db.selectFrom('builds').selectAll().executeTakeFirstOrThrow());
    expect(build).toMatchObject({ number: 1, status: 'running', params: { DEPLOY: 'yes' }, version: 2 });
    expect(build).not.toHaveProperty('debug');

    const stages = (await db.selectFrom('stages').selectAll().orderBy('stage_id').execute()).map(rowToStage);
    expect(stages[0]).toMatchObject({ name: 'default', machine: 'runner-1', on_success: true, on_failure: false,
      errignore: false, labels: { region: 'eu' }, throttle: 2 });
    expect(stages[0]).not.toHaveProperty('depends_on');
    expect(stages[1]).toMatchObject({ status: 'waiting_on_dependencies', depends_on: ['default'] });
    expect(stages[1]).not.toHaveProperty('machine');
    // A runner's stage details read the build's stages, and the secrets with their values, as JSON
    // aggregates of one statement: the same stages, the same secrets as their own statement.
    const encrypter = createEncrypter(KEY);
    const context = await createStageStore(db, store.dialect, encrypter).withContext(stages[1].id);
    expect(context?.stages).toEqual(stages);
    expect(build.event).toBe('push');
    expect(context?.runnerSecrets()).toEqual(await decryptRunnerSecrets(db, encrypter, 1, 'octocat'));

    const steps = (await db.selectFrom('steps').selectAll().orderBy('step_id').execute()).map(rowToStep);
    expect(steps[0]).toMatchObject({ name: 'clone', step_id: 1, image: 'drone/git', started: 1700000100 });
    expect(steps[0]).not.toHaveProperty('depends_on');
    expect(steps[1]).toMatchObject({ name: 'test', errignore: true, depends_on: ['clone'] });

    expect((await findLog(db, 1))?.toString()).toBe('[{"pos":0,"out":"+ git clone\\n","time":0}]');

    expect(await listSecrets(db, 1)).toEqual([{ id: 1, repo_id: 1, name: 'docker_password' }]);
    expect(await decryptRunnerSecrets(db, encrypter, 1, 'octocat')).toEqual([
      { id: 1, repo_id: 1, name: 'docker_password', data: 'hunter2' },
      { id: 1, namespace: 'octocat', name: 'npm_token', data: 'npm-123', pull_request: true },
    ]);

    // Drone's rows got Hangar's defaults.
    const stageRow = await db.selectFrom('stages').select(['hangar_lease_until', 'hangar_attempt', 'hangar_steps_started'])
      .where('stage_id', '=', 1).executeTakeFirstOrThrow();
    expect(stageRow.hangar_lease_until).toBe(0);
    expect(stageRow.hangar_attempt).toBe(0);
    expect(Boolean(stageRow.hangar_steps_started)).toBe(false);
  });

  it('still runs Drone’s own statements after Hangar migrated it', async () => {
    const { store, source } = await droneDatabaseMigratedByHangar();
    await store.close();
    opened.splice(opened.indexOf(store), 1);
    // Drone starts again on the file (SQLite: switching it back to a rollback journal, as Drone does).
    const raw = dialect === 'sqlite' ? await openRawSqlite(source) : await openRawPostgres(source);
    raws.push(raw);

    // A second build: Drone's insert leaves Hangar's columns to their defaults.
    await raw.exec(DRONE_INSERT_BUILD, [1, '@hook', 2, 0, 'pending', '', 'push', '', '', 0, '', 'second', '', 'fed',
      'refs/heads/main', '', 'main', 'main', 'octocat', '', '', '', 'octocat', jsonText('null'), '', '', 0, b(false), 0,
      0, 1700000200, 1700000200, 1]);
    const [second] = await raw.query<Record<string, unknown>>(DRONE_SELECT_BUILD, [1, 2]);
    expect(second).toMatchObject({ build_number: 2, build_status: 'pending', build_version: 1, build_cron: '' });
    expect(Object.keys(second!)).toHaveLength(34);
    const buildId = Number(second!.build_id);

    await raw.exec(DRONE_INSERT_STAGE, [1, buildId, 1, 'default', 'pipeline', 'docker', 'pending', '', b(false), 0, 0, 0,
      'linux', 'amd64', '', '', '', 0, 0, 1700000200, 1700000200, 1, b(true), b(false), jsonText('null'), jsonText('null')]);
    const pending = await raw.query<Record<string, unknown>>(DRONE_SELECT_STAGES_PENDING, ['pending']);
    expect(pending).toHaveLength(1);
    const stageId = Number(pending[0]!.stage_id);

    // Drone's versioned updates: the right version wins, a stale one changes nothing.
    await raw.exec(DRONE_UPDATE_STAGE, ['running', '', b(false), 0, 'linux', 'amd64', '', '', 'runner-2', 1700000201, 0,
      1700000200, 1700000201, 2, b(true), b(false), jsonText('null'), jsonText('null'), stageId, 1]);
    await raw.exec(DRONE_UPDATE_STAGE, ['killed', '', b(false), 0, 'linux', 'amd64', '', '', 'x', 0, 0, 0, 0, 2, b(true),
      b(false), jsonText('null'), jsonText('null'), stageId, 1]);
    await raw.exec(DRONE_INSERT_STEP, [stageId, 1, 'clone', 'running', '', b(false), 0, 1700000201, 0, 1,
      jsonText('null'), 'drone/git', b(false), '']);
    const [step] = await raw.query<Record<string, unknown>>('SELECT step_id FROM steps WHERE step_stage_id = ?', [stageId]);
    await raw.exec(DRONE_UPDATE_STEP, ['clone', 'success', '', b(false), 0, 1700000201, 1700000202, 2, jsonText('null'),
      'drone/git', b(false), '', Number(step!.step_id), 1]);
    await raw.exec(DRONE_UPDATE_BUILD, [0, 'success', '', 'push', '', '', 0, '', 'second', '', 'fed', 'refs/heads/main',
      '', 'main', 'main', 'octocat', '', '', '', 'octocat', jsonText('null'), '', '', 1700000201, 1700000203, 1700000203,
      2, buildId, 1]);

    const joined = await raw.query<Record<string, unknown>>(DRONE_STAGES_WITH_STEPS, [buildId]);
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({ stage_status: 'running', stage_machine: 'runner-2', stage_version: 2,
      step_status: 'success', step_version: 2 });
    const repos = await raw.query<Record<string, unknown>>(DRONE_REPOS_WITH_BUILD, [1]);
    expect(repos).toEqual([expect.objectContaining({ repo_slug: 'octocat/hello-world', build_number: 2, build_status: 'success' })]);
    await raw.close();
    raws.pop();

    // Hangar reads what Drone wrote, with its own columns at their defaults.
    const store2 = await target.open(source);
    opened.push(store2);
    expect(await migrate(store2.db, store2.dialect)).toEqual({ drone: [], hangar: [] });
    const stage = await store2.db.selectFrom('stages').selectAll().where('stage_id', '=', stageId).executeTakeFirstOrThrow();
    expect(rowToStage(stage)).toMatchObject({ status: 'running', machine: 'runner-2', version: 2 });
    expect(stage.hangar_reserved_until).toBe(0);
    const build = await store2.db.selectFrom('builds').selectAll().where('build_id', '=', buildId).executeTakeFirstOrThrow();
    expect(rowToBuild(build)).toMatchObject({ status: 'success', finished: 1700000203, version: 2 });
    expect(build.hangar_created_ms).toBe(0);
  });
});
