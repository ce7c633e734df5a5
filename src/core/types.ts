// Domain types as they travel on Drone's wire (REST API and runner RPC v2). Field names are Drone's JSON
// names, quirks included (`step_id` on a step is its stage's id; a stage's `throttle` is the repo limit).
// All times are Unix seconds; `version` is the optimistic-lock counter.

import type { Status } from './status.js';

export type Visibility = 'public' | 'private' | 'internal';

export type BuildEvent = 'push' | 'pull_request' | 'tag' | 'promote' | 'rollback' | 'cron' | 'custom';

export interface User {
  id: number;
  login: string;
  email: string;
  machine: boolean;
  admin: boolean;
  active: boolean;
  avatar: string;
  syncing: boolean;
  synced: number;
  created: number;
  updated: number;
  last_login: number;
}

export interface Permissions {
  read: boolean;
  write: boolean;
  admin: boolean;
}

/** A user's permissions on a repository as the collaborators API shows them; `repo_id` is the repository's uid. */
export interface Collaborator extends Permissions {
  user_id: number;
  repo_id: string;
  login: string;
  avatar: string;
  synced: number;
  created: number;
  updated: number;
}

export interface Repo {
  id: number;
  uid: string;
  user_id: number;
  namespace: string;
  name: string;
  slug: string;
  scm: string;
  git_http_url: string;
  git_ssh_url: string;
  link: string;
  default_branch: string;
  private: boolean;
  visibility: Visibility | string;
  active: boolean;
  config_path: string;
  trusted: boolean;
  protected: boolean;
  ignore_forks: boolean;
  ignore_pull_requests: boolean;
  auto_cancel_pull_requests: boolean;
  auto_cancel_pushes: boolean;
  auto_cancel_running: boolean;
  timeout: number;
  throttle?: number;
  counter: number;
  synced: number;
  created: number;
  updated: number;
  version: number;
  archived: boolean;
  build?: Build;
  permissions?: Permissions;
}

/** The repo with its hidden keys, as the store holds it. Never serialise this to the API. */
export interface RepoWithKeys extends Repo {
  signer: string;
  secret: string;
}

export interface Build {
  id: number;
  repo_id: number;
  trigger: string;
  number: number;
  parent?: number;
  status: Status;
  error?: string;
  event: string;
  action: string;
  link: string;
  timestamp: number;
  title?: string;
  message: string;
  before: string;
  after: string;
  ref: string;
  source_repo: string;
  source: string;
  target: string;
  author_login: string;
  author_name: string;
  author_email: string;
  author_avatar: string;
  sender: string;
  params?: Record<string, string>;
  cron?: string;
  deploy_to?: string;
  deploy_id?: number;
  debug?: boolean;
  started: number;
  finished: number;
  created: number;
  updated: number;
  version: number;
  stages?: Stage[];
}

export interface Stage {
  id: number;
  repo_id: number;
  build_id: number;
  number: number;
  name: string;
  kind?: string;
  type?: string;
  status: Status;
  error?: string;
  errignore: boolean;
  exit_code: number;
  machine?: string;
  os: string;
  arch: string;
  variant?: string;
  kernel?: string;
  limit?: number;
  throttle?: number;
  started: number;
  stopped: number;
  created: number;
  updated: number;
  version: number;
  on_success: boolean;
  on_failure: boolean;
  depends_on?: string[];
  labels?: Record<string, string>;
  steps?: Step[];
}

export interface Step {
  id: number;
  /** The parent stage's id (Drone's historical name, kept on the wire). */
  step_id: number;
  number: number;
  name: string;
  status: Status;
  error?: string;
  errignore?: boolean;
  exit_code: number;
  started?: number;
  stopped?: number;
  version: number;
  depends_on?: string[];
  image?: string;
  detached?: boolean;
  schema?: string;
}

/** One log line: `pos` is the runner's per-step line counter, `time` seconds since the step started. */
export interface Line {
  pos: number;
  out: string;
  time: number;
}

export interface Secret {
  id?: number;
  repo_id?: number;
  namespace?: string;
  name: string;
  type?: string;
  data?: string;
  pull_request?: boolean;
  pull_request_push?: boolean;
}

/** A stored template of a namespace (research/drone-server.md §4.10); times are Unix seconds. */
export interface Template {
  id: number;
  name: string;
  namespace: string;
  data: string;
  created: number;
  updated: number;
}

/** A repository's cron job (research/drone-server.md §4.9); `next` and `prev` are Unix seconds. */
export interface Cron {
  id: number;
  repo_id: number;
  name: string;
  expr: string;
  next: number;
  prev: number;
  event: string;
  branch: string;
  target?: string;
  disabled: boolean;
  created: number;
  updated: number;
  version: number;
}

export interface Netrc {
  machine: string;
  login: string;
  password: string;
}

export interface SystemInfo {
  proto: string;
  host: string;
  link: string;
  version: string;
}

/** What a runner asks for in `POST /rpc/v2/stage`. */
export interface Filter {
  kind: string;
  type: string;
  os: string;
  arch: string;
  variant: string;
  kernel: string;
  labels?: Record<string, string>;
}

/**
 * `GET /rpc/v2/stage/{id}`: everything a runner needs to run a stage. `config` keeps Go's untagged
 * field names and base64 bytes; `repository` carries the repo's `secret` the API otherwise hides.
 */
export interface StageDetails {
  repository: Repo & { secret: string };
  build: Build;
  stage: Stage;
  config: { Data: string; Hash: null };
  secrets: Secret[];
  system: SystemInfo;
  netrc: Netrc | null;
}

export interface CardInput {
  schema: string;
  data: unknown;
}
