// The source-code host as the server sees it (research/drone-server.md §1.7, §7, §8.7): small ports, one per
// concern, that every provider under src/scm/ implements (localgit, github, gitea, gitlab, gogs). A call made
// for a user carries that user's token; the local git provider ignores tokens. `provideScm` picks one
// provider from the DRONE_* variables, as Drone does.

import type { Permissions } from './types.js';

/** Drone's names of the providers Hangar has; `git` is the local git provider (any URL git can clone). */
export type ScmName = 'git' | 'github' | 'gitea' | 'gitlab' | 'gogs';

/** An OAuth token as the provider issued it; `expiry` in Unix seconds, 0 when it never expires. */
export interface Token {
  access: string;
  refresh: string;
  expiry: number;
}

/** What a provider needs to address a repository (a core Repo is one). */
export interface RepoRef {
  /** The provider's id of the repository ('' for the local git provider). */
  uid: string;
  namespace: string;
  name: string;
  slug: string;
  git_http_url: string;
}

export interface Commit {
  sha: string;
  message: string;
  link: string;
  author: { login: string; name: string; email: string; avatar: string };
}

/** A repository as the provider lists it, with the permissions of the user who asked. */
export interface RemoteRepo {
  uid: string;
  namespace: string;
  name: string;
  slug: string;
  git_http_url: string;
  git_ssh_url: string;
  link: string;
  default_branch: string;
  private: boolean;
  visibility: 'public' | 'private' | 'internal';
  archived: boolean;
  permissions: Permissions;
}

/** An account as the provider knows it. */
export interface RemoteUser {
  login: string;
  email: string;
  avatar: string;
  /** Account creation time (Unix seconds), 0 when the provider does not say (DRONE_MIN_AGE). */
  created: number;
}

/** The states Drone reports; each provider maps them to its own words. */
export type CommitState = 'pending' | 'running' | 'success' | 'failure' | 'error' | 'canceled' | 'skipped' | 'unknown';

export interface CommitStatus {
  sha: string;
  state: CommitState;
  /** e.g. continuous-integration/drone/push */
  context: string;
  /** e.g. Build #12 */
  title: string;
  /** e.g. Build is passing */
  description: string;
  /** {server}/{owner}/{name}/{number} */
  target: string;
}

/** A webhook delivery as it arrived: header names lower-case, the body as raw text (signatures cover its bytes). */
export interface WebhookDelivery {
  headers: Readonly<Record<string, string | undefined>>;
  body: string;
}

/** The repository a webhook names. `uid` is '' when the payload carries no id. */
export interface HookRepo {
  uid: string;
  namespace: string;
  name: string;
  slug: string;
}

/** What a webhook asks to build, the same for every provider (Drone's core.Hook). */
export interface HookBuild {
  event: 'push' | 'tag' | 'pull_request' | 'promote';
  /** '' for pushes; `create` for tags; `opened`, `synchronized`, `reopened` or `closed` for pull requests. */
  action: string;
  ref: string;
  before: string;
  after: string;
  source: string;
  target: string;
  /** The pull request's number, 0 for other events. */
  pullRequest: number;
  /** The slug of the repository a pull request comes from ('' for other events). */
  sourceRepo: string;
  title: string;
  message: string;
  link: string;
  author: { login: string; name: string; email: string; avatar: string };
  sender: string;
  /** Promotions (deployment events): the environment and the provider's deployment id. */
  deployTo?: string;
  deployId?: number;
  params?: Record<string, string>;
}

/** A parsed delivery: a build to create, or nothing to do (a ping, a branch deletion, an event Drone ignores). */
export type ParsedHook =
  | { kind: 'build'; delivery: string; repo: HookRepo; build: HookBuild }
  | { kind: 'ignored'; delivery: string; repo?: HookRepo; reason: string };

/** Reads the provider's webhooks. */
export interface WebhookParser {
  /** Whether the delivery was sent by this provider, judged by its headers. */
  accepts(delivery: WebhookDelivery): boolean;
  /** The delivery normalised; throws BadRequestError when it is malformed. `delivery` is the provider's delivery id or ''. */
  parse(delivery: WebhookDelivery): ParsedHook;
  /** Whether the delivery carries the provider's signature (or token) made with this repository secret. */
  verify(delivery: WebhookDelivery, secret: string): Promise<boolean>;
}

/** Reads a repository's commits and files, with the acting user's token. */
export interface ContentService {
  /** Resolves a branch name (or a full ref) to its head commit; throws NotFoundError when unknown. */
  findCommit(token: Token | undefined, repo: RepoRef, ref: string): Promise<Commit>;
  /** A commit's metadata; throws NotFoundError when unknown. */
  commit(token: Token | undefined, repo: RepoRef, sha: string): Promise<Commit>;
  /** A file at a commit; undefined when the file does not exist there. */
  readFile(token: Token | undefined, repo: RepoRef, sha: string, path: string): Promise<string | undefined>;
}

/** Reports build results on commits. */
export interface StatusService {
  /** Creates or replaces the commit status of `status.context`. */
  setStatus(token: Token | undefined, repo: RepoRef, status: CommitStatus): Promise<void>;
}

/** The user's repositories, their permissions and their webhooks. */
export interface RepositoryService {
  /** Every repository the token's user can see, with that user's permissions. */
  list(token: Token | undefined): Promise<RemoteRepo[]>;
  /** One repository with the user's permissions; throws NotFoundError when the user cannot see it. */
  find(token: Token | undefined, slug: string): Promise<RemoteRepo>;
  /** Replaces the repository's webhooks aimed at `hook.url`'s host with one signed by `hook.secret` (enable, repair). */
  createHook(token: Token | undefined, repo: RepoRef, hook: { url: string; secret: string; events: string[] }): Promise<void>;
  /** Removes the repository's webhooks aimed at `url`'s host (disable). */
  deleteHook(token: Token | undefined, repo: RepoRef, url: string): Promise<void>;
}

/** An OAuth2 login: the browser goes to the provider and comes back to `/login` with a code. */
export interface OAuthLogin {
  readonly kind: 'oauth2';
  /** The provider's authorization page for this state. */
  authorizeUrl(state: string, redirectUri: string): string;
  /** Exchanges an authorization code for a token. */
  exchange(code: string, redirectUri: string): Promise<Token>;
}

/** A login with the provider's user name and password, which the server turns into an access token (Gogs). */
export interface PasswordLogin {
  readonly kind: 'password';
  /** An access token for these credentials; throws UnauthorizedError when they are wrong. */
  authenticate(username: string, password: string): Promise<Token>;
}

/** A user's standing in an organisation. */
export interface OrgMembership {
  member: boolean;
  admin: boolean;
}

/** Accounts: how users log in, who they are, and renewal of expiring tokens. */
export type LoginService = (OAuthLogin | PasswordLogin) & {
  /** The account a token belongs to. */
  user(token: Token): Promise<RemoteUser>;
  /** The logins of the organisations (groups) the user belongs to (DRONE_USER_FILTER). */
  orgs(token: Token): Promise<string[]>;
  /**
   * Whether the token's user (`login`) is an active member of organisation `org`, and an admin of it; absent
   * where the provider cannot say who administers an organisation.
   */
  membership?(token: Token, org: string, login: string): Promise<OrgMembership>;
  /** A fresh token for an expiring one; absent where the provider's tokens do not expire. */
  refresh?(token: Token): Promise<Token>;
};

/** One source-code host: the ports above, some absent where the provider has no such thing. */
export interface Scm {
  readonly name: ScmName;
  readonly hooks: WebhookParser;
  readonly contents: ContentService;
  /** Absent where there are no commit statuses (the local git provider, Gogs). */
  readonly statuses?: StatusService;
  /** Absent for the local git provider: its repositories are registered by URL. */
  readonly repos?: RepositoryService;
  /** Absent for the local git provider: its accounts come from DRONE_USER_CREATE and the API. */
  readonly login?: LoginService;
  /** The clone credentials a token gives, as Drone's netrc service forms them (research/drone-server.md §1.7). */
  cloneLogin?(token: Token): { login: string; password: string };
}
