// The persistence interfaces the scheduler, the trigger and the HTTP handlers use. `src/store` implements
// them on SQLite and PostgreSQL. The database is the only source of truth (DESIGN §3.1): every state change
// below is one short transaction rooted in one row; "lost" results mean another writer won.

import type { RemoteRepo, Token } from './scm.js';
import type { Status } from './status.js';
import type { Build, Collaborator, Cron, Filter, Line, Permissions, Repo, RepoWithKeys, Secret, Stage, Step, Template, User } from './types.js';

/** Outcome of a runner's update: applied, a replay of what is already stored, or a real conflict (409). */
export type UpdateOutcome<T> = { kind: 'applied'; value: T } | { kind: 'replay'; value: T } | { kind: 'conflict'; reason: string } | { kind: 'not_found' };

/** A first login: the account as the SCM describes it, with the token it issued. */
export interface NewAccount {
  login: string;
  email: string;
  avatar: string;
  token: Token;
}

/** A user by API token, or by id (a browser session). */
export type UserKey = { token: string } | { id: number };

export interface UserWithRepo {
  user?: User;
  /** For a user found by id: the time (ms) before which their sessions were ended by a sign-out. */
  sessionsAfter?: number;
  repo?: RepoWithKeys;
}

export interface UserStore {
  find(id: number): Promise<User | undefined>;
  /** The user and the repository `slug` in one read: an API request about a repository needs both. */
  findWithRepo(key: UserKey, slug: string): Promise<UserWithRepo>;
  /** The user of a browser session, and the time (ms) before which their sessions were ended by a sign-out. */
  findSessionUser(id: number): Promise<{ user: User; sessionsAfter: number } | undefined>;
  /** Sign-out: sessions of the user started before `at` (ms) are refused from now on. */
  endSessions(id: number, at: number): Promise<void>;
  findByLogin(login: string): Promise<User | undefined>;
  findByToken(token: string): Promise<User | undefined>;
  /** DRONE_USER_CREATE: creates or updates the account (safe when several servers start together). */
  bootstrap(input: { login: string; admin: boolean; machine: boolean; token: string }): Promise<User>;
  /** The account of a first login, with a random API token; the existing one when a racing login created it first. */
  createAccount(input: NewAccount): Promise<User>;
  /** A returning login: the SCM's email and avatar, its new token, `last_login` now. */
  recordLogin(userId: number, input: Omit<NewAccount, 'login'>): Promise<User | undefined>;
  /** The user's SCM token, undefined when the user has none (machine and bootstrap accounts). */
  scmToken(userId: number): Promise<Token | undefined>;
  /**
   * Stores a renewed SCM token only if the stored one is still `previous`: false when another server renewed
   * it first (then read the token again).
   */
  replaceScmToken(userId: number, previous: Token, next: Token): Promise<boolean>;
  /** A repository sync of the user started: `syncing` is true until markSynced (Drone's UI polls it). */
  markSyncing(userId: number): Promise<void>;
  /** A repository sync of the user ended (`at`, Unix seconds; 0 keeps the last time, after a failed sync). */
  markSynced(userId: number, at: number): Promise<void>;
  /** Every account, by login. */
  list(): Promise<User[]>;
  count(): Promise<number>;
  /** An account made by an admin (API): active, with this API token or a random one. */
  create(input: NewUserInput): Promise<UserWrite>;
  /**
   * Applies an admin's or the user's change. Deactivating also clears admin and hands the user's
   * repositories to another active collaborator with admin permission (else to no one), in one transaction.
   */
  update(userId: number, patch: UserPatch): Promise<UserWrite>;
  /** Removes the account and its permissions, handing its repositories on as deactivation does; false when gone. */
  delete(userId: number): Promise<boolean>;
  /** The user's API token (Drone's `user_hash`); undefined when the user is gone. */
  apiToken(userId: number): Promise<string | undefined>;
  /** Replaces the user's API token with a random one; undefined when the user is gone. */
  rotateToken(userId: number): Promise<string | undefined>;
}

/** An account created through the API (`POST /api/users`). */
export interface NewUserInput {
  login: string;
  email: string;
  avatar: string;
  admin: boolean;
  machine: boolean;
  /** The API token; a random one when empty. */
  token: string;
}

/** What `PATCH /api/users/{user}` and `PATCH /api/user` may change. */
export interface UserPatch {
  email?: string;
  admin?: boolean;
  active?: boolean;
  machine?: boolean;
  /** A new API token (non-empty). */
  token?: string;
}

/** A user write: applied, refused because the login or the API token belongs to another account, or the user is gone. */
export type UserWrite = { kind: 'ok'; user: User; token: string } | { kind: 'conflict'; field: 'login' | 'token' } | { kind: 'not_found' };

export interface NewLocalRepo {
  namespace: string;
  name: string;
  gitHttpUrl: string;
  defaultBranch: string;
  private: boolean;
  visibility: string;
  configPath: string;
  ownerId: number;
}

export interface RepoPatch {
  config_path?: string;
  trusted?: boolean;
  protected?: boolean;
  timeout?: number;
  throttle?: number;
  visibility?: string;
  ignore_forks?: boolean;
  ignore_pull_requests?: boolean;
  auto_cancel_pull_requests?: boolean;
  auto_cancel_pushes?: boolean;
  auto_cancel_running?: boolean;
  counter?: number;
  default_branch?: string;
  git_http_url?: string;
  active?: boolean;
  /** The owner, whose SCM token the server uses for this repository (enable, chown). */
  user_id?: number;
  /** A rename on the SCM (the uid stays). */
  namespace?: string;
  name?: string;
  slug?: string;
}

/** A user's permissions on a repository as last read from the SCM; `synced` in Unix seconds. */
export interface CachedPermissions extends Permissions {
  synced: number;
}

export interface RepoStore {
  find(id: number): Promise<RepoWithKeys | undefined>;
  findBySlug(slug: string): Promise<RepoWithKeys | undefined>;
  /** Enables (creating when new) a repository of the local git provider, owned by `ownerId`, with admin perms for the owner. */
  enableLocal(input: NewLocalRepo): Promise<RepoWithKeys>;
  /** Applies a patch with a version bump; undefined when the repo is gone. */
  update(id: number, patch: RepoPatch): Promise<RepoWithKeys | undefined>;
  listForUser(userId: number): Promise<Repo[]>;
  listAll(page: number, perPage: number): Promise<Repo[]>;
  permissions(userId: number, repoUid: string): Promise<CachedPermissions | undefined>;
  /** The repository with this SCM id, whatever it is called now. */
  findByUid(uid: string): Promise<RepoWithKeys | undefined>;
  /**
   * Brings the repositories the SCM listed into the table: new ones are inserted inactive, known ones (matched
   * by uid, so a rename keeps its builds) get the SCM's name, URLs, branch and visibility. Answers them all.
   */
  syncRemote(repos: RemoteRepo[], defaults: { scm: string; trusted: boolean }): Promise<RepoWithKeys[]>;
  /** After a sync: the user's permissions are exactly these, every other row of the user is removed. */
  replacePermissions(userId: number, perms: Array<Permissions & { repoUid: string }>): Promise<void>;
  /** One permission row as just read from the SCM; undefined removes it (the user lost access). */
  setPermissions(userId: number, repoUid: string, perms: Permissions | undefined): Promise<void>;
  /** The user's repositories (as listForUser), each with its latest build as `build` when it has one. */
  listWithLatestBuild(userId: number): Promise<Repo[]>;
  /** The newest builds (up to `limit`) across the user's repositories, each as its repository with `build`. */
  listRecentBuilds(userId: number, limit: number): Promise<Repo[]>;
  /** Enabled repositories (system stats). */
  countActive(): Promise<number>;
  /** Users with a permission row on the repository, by login. */
  collaborators(repoUid: string): Promise<Collaborator[]>;
  collaborator(repoUid: string, userId: number): Promise<Collaborator | undefined>;
}

export interface BuildListQuery {
  repoId: number;
  page: number;
  perPage: number;
  /** Filter on `build_ref` (refs/heads/… or refs/tags/…). */
  ref?: string;
}

export interface BuildStore {
  find(id: number): Promise<Build | undefined>;
  findByNumber(repoId: number, number: number): Promise<Build | undefined>;
  list(query: BuildListQuery): Promise<Build[]>;
  /** Stages of a build in number order, each with its steps when `withSteps`. */
  stages(buildId: number, withSteps: boolean): Promise<Stage[]>;
  /** The converted configuration stored with the build. */
  config(buildId: number): Promise<{ path: string; data: string } | undefined>;
  /** Counts for metrics. */
  counts(): Promise<{ pendingBuilds: number; runningBuilds: number; pendingStages: number; runningStages: number }>;
  /** The newest build of a repository on a ref (`refs/heads/main`). */
  latest(repoId: number, ref: string): Promise<Build | undefined>;
  /** Counts for GET /api/system/stats. */
  activity(): Promise<BuildActivity>;
}

/** Build counts, and incomplete stages counted per platform and status. */
export interface BuildActivity {
  total: number;
  /** Builds with a pending stage, and with a running stage (Drone's definition). */
  pendingBuilds: number;
  runningBuilds: number;
  stages: Array<{ os: string; arch: string; variant: string; kernel: string; status: 'pending' | 'running'; count: number }>;
}

export interface StageStore {
  find(id: number): Promise<Stage | undefined>;
  /** A stage with its build, the build's stages, repository and stored configuration, read in one statement (for a runner). */
  withContext(id: number): Promise<StageContext | undefined>;
  /** The stage id owning a step (cached lookups for log and step calls). */
  stageOfStep(stepId: number): Promise<number | undefined>;
  /** The build and repository of a stage (cached: they never change). */
  owner(stageId: number): Promise<{ buildId: number; repoId: number } | undefined>;
  findStep(id: number): Promise<Step | undefined>;
  /** API addressing by numbers: build number → stage number → step number. */
  findStepByNumbers(buildId: number, stageNumber: number, stepNumber: number): Promise<Step | undefined>;
}

export interface StageContext {
  stage: Stage;
  build: Build;
  /** All the build's stages (this one too) by number, without steps. */
  stages: Stage[];
  repo: RepoWithKeys;
  config: { path: string; data: string } | undefined;
  /**
   * The secrets a runner gets for the stage (the repository's, then its namespace's; for a pull request
   * only those allowed), read by the same statement and decrypted only when called.
   */
  runnerSecrets(): Secret[];
}

export interface LogStore {
  /** The stored log of a step (log row merged with chunks not yet merged); undefined when nothing exists. */
  find(stepId: number): Promise<Line[] | undefined>;
  /** Writes buffered live lines of many steps in one multi-row insert (DESIGN §3.6 tier b). */
  appendChunks(chunks: Array<{ stepId: number; lines: Line[] }>): Promise<void>;
  /** Merges an upload by position with what is stored and with the chunks, into the one `logs` row. */
  mergeUpload(stepId: number, lines: Line[]): Promise<void>;
  /** Deletes a step's stored log (the row and its chunks). */
  delete(stepId: number): Promise<void>;
}

export interface SecretStore {
  listRepo(repoId: number): Promise<Secret[]>;
  findRepo(repoId: number, name: string): Promise<Secret | undefined>;
  createRepo(repoId: number, secret: { name: string; data: string; pull_request: boolean; pull_request_push: boolean }): Promise<Secret>;
  updateRepo(repoId: number, name: string, patch: { data?: string; pull_request?: boolean; pull_request_push?: boolean }): Promise<Secret | undefined>;
  deleteRepo(repoId: number, name: string): Promise<boolean>;
  /** Decrypted repo + org secrets for a runner (pull requests only get secrets allowed for them). */
  forRunner(repo: Repo, event: string): Promise<Secret[]>;
}

export interface CardStore {
  put(stepId: number, data: Buffer): Promise<void>;
  find(stepId: number): Promise<Buffer | undefined>;
  /** API card create: stores the card and the step's card schema together. */
  attach(stepId: number, card: { schema: string; data: Buffer }): Promise<void>;
  /** False when the step has no card. */
  delete(stepId: number): Promise<boolean>;
}

/** The secret fields the API may set; `data` is encrypted at rest. */
export interface SecretInput {
  name: string;
  data: string;
  pull_request: boolean;
  pull_request_push: boolean;
}

export type SecretPatch = Partial<Omit<SecretInput, 'name'>>;

/** Organisation secrets (`orgsecrets`), keyed by namespace and name; every read is without the value. */
export interface OrgSecretStore {
  listAll(): Promise<Secret[]>;
  list(namespace: string): Promise<Secret[]>;
  find(namespace: string, name: string): Promise<Secret | undefined>;
  /** Undefined when the namespace already has a secret of that name. */
  create(namespace: string, secret: SecretInput): Promise<Secret | undefined>;
  /** Undefined when the secret is gone. */
  update(namespace: string, name: string, patch: SecretPatch): Promise<Secret | undefined>;
  delete(namespace: string, name: string): Promise<boolean>;
}

/** Stored templates for `kind: template` configurations, keyed by namespace and name. */
export interface TemplateStore {
  listAll(): Promise<Template[]>;
  list(namespace: string): Promise<Template[]>;
  find(namespace: string, name: string): Promise<Template | undefined>;
  /** Undefined when the namespace already has a template of that name. */
  create(template: Pick<Template, 'namespace' | 'name' | 'data'>): Promise<Template | undefined>;
  /** Undefined when the template is gone; `conflict` when moving it onto an existing name. */
  update(namespace: string, name: string, patch: { data?: string; namespace?: string }): Promise<Template | 'conflict' | undefined>;
  delete(namespace: string, name: string): Promise<boolean>;
}

/** A validated new cron job: its name already in slug form, `next` computed from its expression. */
export interface NewCron {
  name: string;
  expr: string;
  branch: string;
  next: number;
}

/** What `PATCH /api/repos/{owner}/{name}/cron/{cron}` may change. */
export interface CronPatch {
  branch?: string;
  target?: string;
  disabled?: boolean;
}

/**
 * A due run of a cron job, recorded in the transaction that advanced the job (DESIGN §3.7). Any server
 * turns it into a build keyed `cron:<cronId>:<due>`; it carries the job's name and branch as they were
 * when it became due.
 */
export interface CronIntent {
  cronId: number;
  due: number;
  repoId: number;
  name: string;
  branch: string;
  /** How many times a server has claimed it (a claim that ends without a build is a failed attempt). */
  attempts: number;
}

export interface CronStore {
  /** A repository's crons ordered by name. */
  list(repoId: number): Promise<Cron[]>;
  findByName(repoId: number, name: string): Promise<Cron | undefined>;
  /** Undefined when the repository already has a cron of that name. */
  create(repoId: number, cron: NewCron): Promise<Cron | undefined>;
  /** Undefined when the cron is gone. */
  update(id: number, patch: CronPatch): Promise<Cron | undefined>;
  delete(id: number): Promise<boolean>;
  /** Enabled crons whose `next` has passed on the database's clock, and that clock (seconds). */
  findDue(limit: number): Promise<{ now: number; crons: Cron[] }>;
  /**
   * Advances a due cron from `due` to `next` and records its intent, claimed by the caller for `claimMs`,
   * in one transaction. Undefined when another server took it first (or it was disabled or changed).
   */
  take(input: { cronId: number; due: number; next: number; claimMs: number }): Promise<CronIntent | undefined>;
  /** Claims up to `limit` intents whose previous claim has run out (their server died or failed). */
  claimIntents(limit: number, claimMs: number): Promise<CronIntent[]>;
  /** The intent is done (built, or given up): removes it. */
  finishIntent(intent: Pick<CronIntent, 'cronId' | 'due'>): Promise<void>;
}

/** A stage to create with a build (the pipeline module's plan). */
export interface NewStage {
  name: string;
  kind: string;
  type: string;
  os: string;
  arch: string;
  variant: string;
  kernel: string;
  limit: number;
  labels: Record<string, string>;
  depends_on: string[];
  on_success: boolean;
  on_failure: boolean;
  status: Extract<Status, 'pending' | 'waiting_on_dependencies' | 'blocked'>;
}

/** The build fields a trigger fills (everything else is derived). */
export type NewBuildFields = Pick<
  Build,
  | 'trigger'
  | 'parent'
  | 'event'
  | 'action'
  | 'link'
  | 'title'
  | 'message'
  | 'before'
  | 'after'
  | 'ref'
  | 'source_repo'
  | 'source'
  | 'target'
  | 'author_login'
  | 'author_name'
  | 'author_email'
  | 'author_avatar'
  | 'sender'
  | 'params'
  | 'cron'
  | 'deploy_to'
  | 'deploy_id'
  | 'debug'
>;

export interface CreateBuildInput {
  repoId: number;
  build: NewBuildFields;
  /** Empty for an error build. */
  stages: NewStage[];
  /** Set for an error build (status error, no stages). */
  error?: string;
  config?: { path: string; data: string };
  /** Idempotency key (webhook delivery, cron intent): a second build with the same key is not created. */
  dedupKey?: string;
}

export interface CreatedBuild {
  build: Build;
  stages: Stage[];
  /** True when `dedupKey` was already taken: `build` is the existing one. */
  duplicate: boolean;
}

/** What a finished stage, a cancel or an expiry changed beyond the stage itself. */
export interface Aftermath {
  build: Build;
  /** Stages that became pending (runners must be woken). */
  promoted: number;
  /** The build reached a final status in this transaction. */
  buildFinished: boolean;
  /** Steps whose live streams must end. */
  endedStepIds: number[];
}

export type ExpiryOutcome = { kind: 'requeued' } | { kind: 'failed'; aftermath: Aftermath } | { kind: 'none' };

export type ApprovalOutcome = { kind: 'applied'; aftermath: Aftermath } | { kind: 'conflict'; status: string } | { kind: 'not_found' };
export type DeclineOutcome = { kind: 'applied'; build: Build } | { kind: 'conflict'; status: string } | { kind: 'not_found' };

/** The state changes of builds, stages and steps (DESIGN §3.2: build-rooted, one transaction each). */
export interface Transitions {
  createBuild(input: CreateBuildInput): Promise<CreatedBuild>;
  /** PUT /rpc/v2/stage with status pending/running: the stage starts, its steps are created; `startedBuild` when the build began running. */
  beginStage(body: Stage, deadlineGraceMs: number, leaseMs: number): Promise<UpdateOutcome<{ stage: Stage; startedBuild?: Build }>>;
  /** PUT /rpc/v2/stage with a final status: steps and stage finish, dependents are promoted or skipped, the build completes. */
  finishStage(body: Stage): Promise<UpdateOutcome<{ stage: Stage; aftermath: Aftermath }>>;
  /** PUT /rpc/v2/step: a step starts or finishes. */
  updateStep(body: Step, leaseMs: number): Promise<UpdateOutcome<Step>>;
  /**
   * API cancel: the build and its unfinished stages and steps become killed/skipped. Auto-cancel ends a
   * superseded build as `skipped`, as Drone does.
   */
  cancelBuild(buildId: number, buildStatus?: 'killed' | 'skipped'): Promise<{ build: Build; stages: Stage[]; changed: boolean; endedStepIds: number[] }>;
  /** Approve: a blocked stage (by number) becomes pending or waits for its dependencies. */
  approveStage(buildId: number, stageNumber: number): Promise<ApprovalOutcome>;
  /** Decline: a blocked stage (by number), or every stage when undefined; the build becomes declined. */
  declineStage(buildId: number, stageNumber: number | undefined): Promise<DeclineOutcome>;
  /** Sweep: a stage whose lease passed is re-queued (no step started) or failed as "runner lost". */
  expireStage(stageId: number): Promise<ExpiryOutcome>;
  /** Reconciler: promotes stages whose dependencies are done and completes builds whose stages are all done. */
  reconcileBuild(buildId: number): Promise<Aftermath | undefined>;
}

/** The database queue (DESIGN §3.3): reserve at request, claim at accept. */
export interface Queue {
  /**
   * Reserves the oldest pending stages (up to `limit`, default 1) matching the filter, their pipeline limit
   * and repo throttle, in one statement; oldest first, none when nothing matches.
   */
  reserve(filter: Filter, reservationMs: number, limit?: number): Promise<Stage[]>;
  /** Gives a reservation back (its waiter went away). */
  release(stageId: number): Promise<void>;
  /**
   * The only claim: sets the machine if the stage is still pending and unclaimed; undefined = lost (409).
   * `waitedMs` is the time since the stage became pending (database clock): the dispatch latency.
   */
  accept(stageId: number, machine: string, leaseMs: number): Promise<{ stage: Stage; waitedMs: number } | undefined>;
  /** Whether an admin paused the queue: shared by every server, honoured by `reserve` itself. */
  paused(): Promise<boolean>;
  setPaused(paused: boolean): Promise<void>;
}

export interface RepoBuild {
  repo: Repo;
  build: Build;
}

export interface IncompleteStage extends RepoBuild {
  stage: Stage;
}

/** Views and housekeeping across builds. */
export interface BuildQueries {
  /** Builds with pending or running stages, newest first, with their repositories. */
  incomplete(limit: number): Promise<RepoBuild[]>;
  /** Pending and running stages, oldest first (the queue), with their builds and repositories. */
  incompleteStages(limit: number): Promise<IncompleteStage[]>;
  /** Deletes a repository's builds numbered below `before`, with their stages, steps and logs; answers how many. */
  purge(repoId: number, before: number): Promise<number>;
  /** Deletes a repository with its builds, logs, secrets, crons and permissions (`DELETE …?remove=true`). */
  removeRepository(repoId: number): Promise<void>;
  /** Older builds of the same repository, event and ref in one of `statuses` (auto-cancel). */
  superseded(build: Build, statuses: string[]): Promise<number[]>;
}

/** Leases (DESIGN §3.5) and the sweep's queries. */
export interface Leases {
  /** Renews the leases of these stages (unfinished ones only), in one statement. */
  renewStages(stageIds: number[], leaseMs: number): Promise<void>;
  /** Renews the leases of the claimed unfinished stages of these builds (held watches), in one statement. */
  renewBuilds(buildIds: number[], leaseMs: number): Promise<void>;
  /** Claimed unfinished stages whose lease or deadline passed (read without locks). */
  findExpired(limit: number): Promise<number[]>;
  /** Of these builds, the ones that are done (cancelled or finished): their watches answer. */
  findDoneBuilds(buildIds: number[]): Promise<number[]>;
  /** Unfinished builds that need the reconciler: all stages done, or waiting stages whose dependencies are done. */
  findBuildsToReconcile(limit: number): Promise<number[]>;
}

/** A server's live figures, as its heartbeat records them (the cluster page). */
export interface ServerState {
  parkedPolls: number;
  heldWatches: number;
  eventViewers: number;
  /** The filters of the runner requests parked on it, with how many wait with each. */
  parked: Array<{ filter: Filter; waiting: number }>;
  draining: boolean;
}

export interface ServerHeartbeat {
  id: string;
  address: string;
  version: string;
  /** Unix ms. */
  started: number;
  state: ServerState;
}

/** The servers of a cluster and what they hold, for the cluster page. */
export interface ClusterStore {
  /** Records a server's figures, stamped with the database's clock. */
  heartbeat(server: ServerHeartbeat): Promise<void>;
  /** A server leaves (graceful stop). */
  leave(serverId: string): Promise<void>;
  /** Servers whose heartbeat is at most `withinMs` old on the database's clock, with its age. */
  servers(withinMs: number): Promise<Array<ServerHeartbeat & { seenAgoMs: number }>>;
  /** Unfinished stages — pending, blocked, waiting for dependencies, running — oldest first, with build and repository. */
  unfinishedStages(limit: number): Promise<IncompleteStage[]>;
}

export interface Store {
  users: UserStore;
  repos: RepoStore;
  builds: BuildStore;
  stages: StageStore;
  logs: LogStore;
  secrets: SecretStore;
  orgSecrets: OrgSecretStore;
  templates: TemplateStore;
  cards: CardStore;
  crons: CronStore;
  transitions: Transitions;
  queue: Queue;
  buildQueries: BuildQueries;
  cluster: ClusterStore;
  leases: Leases;
  /** Reads or creates a setting every server of a cluster must share (first writer wins). */
  sharedSetting(name: string, create: () => string): Promise<string>;
  close(): Promise<void>;
}
