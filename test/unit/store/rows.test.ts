import { describe, expect, it } from 'vitest';

import type { Build, Stage, Step } from '../../../src/core/types.js';
import {
  buildToRow,
  parseStringArray,
  parseStringMap,
  rowToBuild,
  rowToRepo,
  rowToRepoWithKeys,
  rowToStage,
  rowToStep,
  stageToRow,
  stepToRow,
  toBool,
  type BuildRow,
  type RepoRow,
  type StageRow,
  type StepRow,
} from '../../../src/store/rows.js';

const stage: Omit<Stage, 'id'> = {
  repo_id: 1, build_id: 2, number: 1, name: 'default', kind: 'pipeline', type: 'exec', status: 'pending',
  errignore: false, exit_code: 0, os: 'linux', arch: 'amd64', started: 0, stopped: 0, created: 10, updated: 10,
  version: 1, on_success: true, on_failure: false, depends_on: ['lint'], labels: { gpu: 'yes' }, throttle: 2, limit: 1,
};

describe('column readers', () => {
  it('reads booleans from SQLite integers and PostgreSQL booleans', () => {
    expect([toBool(1), toBool(0), toBool(true), toBool(false), toBool(null), toBool(2)]).toEqual([true, false, true, false, false, true]);
  });

  it('reads JSON from text or bytes; NULL, `null` and garbage read as empty', () => {
    expect(parseStringArray(Buffer.from('["a","b"]'))).toEqual(['a', 'b']);
    expect(parseStringArray('["a"]')).toEqual(['a']);
    expect(parseStringMap(Buffer.from('{"K":"v"}'))).toEqual({ K: 'v' });
    for (const empty of [null, 'null', Buffer.from('null'), '', '{not json', '42']) {
      expect(parseStringArray(empty)).toEqual([]);
      expect(parseStringMap(empty)).toEqual({});
    }
  });
});

describe('stages', () => {
  it('round-trips through a row as SQLite returns it', () => {
    const row = { ...stageToRow(stage), stage_id: 9 } as Record<string, unknown>;
    // SQLite hands back booleans as 0/1 and Drone's JSON as BLOBs.
    for (const [key, value] of Object.entries(row)) if (typeof value === 'boolean') row[key] = value ? 1 : 0;
    row.stage_depends_on = Buffer.from(String(row.stage_depends_on));
    expect(rowToStage(row as unknown as StageRow)).toEqual({ ...stage, id: 9 });
  });

  it('writes no NULL and Go’s `null` for missing JSON; leaves empty optional fields out when read', () => {
    const bare: Omit<Stage, 'id'> = { ...stage, kind: undefined, type: undefined, depends_on: undefined, labels: undefined,
      throttle: undefined, limit: undefined };
    const row = stageToRow(bare);
    expect(Object.values(row).filter((v) => v === null || v === undefined)).toEqual([]);
    expect(row.stage_depends_on).toBe('null');
    expect(row.stage_labels).toBe('null');
    const read = rowToStage({ ...row, stage_id: 1 } as unknown as StageRow);
    for (const key of ['kind', 'type', 'depends_on', 'labels', 'throttle', 'limit', 'machine', 'error', 'variant', 'kernel']) {
      expect(read).not.toHaveProperty(key);
    }
  });

  it('truncates errors to 500 characters as Drone does', () => {
    expect(stageToRow({ ...stage, error: 'é'.repeat(600) }).stage_error).toBe('é'.repeat(500));
  });
});

describe('builds and steps', () => {
  const build: Omit<Build, 'id'> = {
    repo_id: 1, trigger: '@hook', number: 3, status: 'running', event: 'push', action: '', link: '', timestamp: 0,
    message: 'm'.repeat(2100), before: 'a', after: 'b', ref: 'refs/heads/main', source_repo: '', source: 'main',
    target: 'main', author_login: 'o', author_name: 'O', author_email: 'o@x', author_avatar: '', sender: 'o',
    params: { A: '1' }, started: 5, finished: 0, created: 4, updated: 5, version: 2,
  };

  it('maps a build both ways, with Drone’s 2000-character message limit and millisecond creation time', () => {
    const row = buildToRow(build, 4_123);
    expect(row.build_message).toHaveLength(2000);
    expect(row.build_params).toBe('{"A":"1"}');
    expect(row.hangar_created_ms).toBe(4_123);
    const read = rowToBuild({ ...row, build_id: 7, build_debug: 0 } as unknown as BuildRow);
    expect(read).toEqual({ ...build, id: 7, message: 'm'.repeat(2000) });
    expect(read).not.toHaveProperty('debug');
    expect(read).not.toHaveProperty('deploy_id');
  });

  it('maps a step both ways, with the stage id as `step_id`', () => {
    const step: Omit<Step, 'id'> = { step_id: 9, number: 2, name: 'test', status: 'success', exit_code: 0, started: 5,
      stopped: 6, version: 3, depends_on: ['clone'], image: 'node:20', errignore: true };
    const row = stepToRow(step);
    expect(row.step_stage_id).toBe(9);
    expect(rowToStep({ ...row, step_id: 11, step_errignore: 1, step_detached: 0 } as unknown as StepRow)).toEqual({ ...step, id: 11 });
  });
});

describe('repos', () => {
  it('hides the signer and secret unless asked for the keys', () => {
    const row = {
      repo_id: 1, repo_uid: 'u', repo_user_id: 2, repo_namespace: 'o', repo_name: 'n', repo_slug: 'o/n', repo_scm: '',
      repo_clone_url: '', repo_ssh_url: '', repo_html_url: '', repo_active: 1, repo_private: 0, repo_visibility: 'public',
      repo_branch: 'main', repo_counter: 4, repo_config: '.drone.yml', repo_timeout: 60, repo_trusted: 0,
      repo_protected: 0, repo_synced: 0, repo_created: 1, repo_updated: 1, repo_version: 2, repo_signer: 'sig',
      repo_secret: 'sec', repo_no_forks: 0, repo_no_pulls: 1, repo_cancel_pulls: 0, repo_cancel_push: 0,
      repo_cancel_running: 0, repo_throttle: 0,
    } as RepoRow;
    const repo = rowToRepo(row);
    expect(repo).toMatchObject({ active: true, private: false, ignore_pull_requests: true, counter: 4, archived: false });
    expect(JSON.stringify(repo)).not.toMatch(/sig|sec"/);
    expect(repo).not.toHaveProperty('throttle');
    expect(rowToRepoWithKeys(row)).toMatchObject({ signer: 'sig', secret: 'sec' });
  });
});
