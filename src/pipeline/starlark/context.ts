// The `ctx` Drone passes to a script's main(ctx) (plugin/converter/starlark/args.go): ctx.repo, ctx.build and
// ctx.input, each a struct; field names and values exactly as Drone fills them.

import type { NewBuildFields } from '../../core/store.js';
import type { Repo } from '../../core/types.js';
import { makeStruct } from './struct.js';
import { encodeUtf8 } from './utf8.js';
import { Dict, Float, List, type Struct, type Value } from './values.js';

type Field = string | boolean;

export interface DroneContext {
  repo: Record<string, Field>;
  build: Record<string, Field>;
  /** ctx.build.params (custom and promotion parameters). */
  params: Record<string, string>;
  /** Template data (`kind: template` configurations); empty for a repository's own script. */
  input: Record<string, unknown>;
}

export function droneContext(repo: Repo, build: NewBuildFields, input: Record<string, unknown> = {}): DroneContext {
  return {
    repo: {
      uid: repo.uid,
      name: repo.name,
      namespace: repo.namespace,
      slug: repo.slug,
      git_http_url: repo.git_http_url,
      git_ssh_url: repo.git_ssh_url,
      link: repo.link,
      branch: repo.default_branch,
      config: repo.config_path,
      private: repo.private,
      visibility: repo.visibility,
      active: repo.active,
      trusted: repo.trusted,
      protected: repo.protected,
      ignore_forks: repo.ignore_forks,
      ignore_pull_requests: repo.ignore_pull_requests,
    },
    build: {
      event: build.event,
      action: build.action,
      cron: build.cron ?? '',
      environment: build.deploy_to ?? '',
      link: build.link,
      branch: build.target,
      source: build.source,
      before: build.before,
      after: build.after,
      target: build.target,
      ref: build.ref,
      commit: build.after,
      title: build.title ?? '',
      message: build.message,
      source_repo: build.source_repo,
      author_login: build.author_login,
      author_name: build.author_name,
      author_email: build.author_email,
      author_avatar: build.author_avatar,
      sender: build.sender,
      debug: build.debug ?? false,
    },
    params: { ...(build.params ?? {}) },
    input,
  };
}

/** The ctx struct handed to main. */
export function contextValue(ctx: DroneContext): Struct {
  const paramDict = new Dict();
  for (const [k, v] of Object.entries(ctx.params)) paramDict.set(encodeUtf8(k), encodeUtf8(v));
  return makeStruct('context', [
    ['repo', makeStruct('repo', Object.entries(ctx.repo).map(([k, v]) => [k, fieldValue(v)]))],
    ['build', makeStruct('build', [...Object.entries(ctx.build).map(([k, v]): [string, Value] => [k, fieldValue(v)]), ['params', paramDict]])],
    ['input', makeStruct('input', Object.entries(ctx.input).map(([k, v]) => [k, fromJson(v)]))],
  ]);
}

function fieldValue(v: Field): Value {
  return typeof v === 'string' ? encodeUtf8(v) : v;
}

/** Template input as Starlark values (strings, numbers, booleans, lists and maps). */
function fromJson(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return encodeUtf8(v);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : new Float(v);
  if (typeof v === 'bigint') return v;
  if (Array.isArray(v)) return new List(v.map(fromJson));
  if (typeof v === 'object') {
    const d = new Dict();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) d.set(encodeUtf8(k), fromJson(x));
    return d;
  }
  return encodeUtf8(String(v));
}
