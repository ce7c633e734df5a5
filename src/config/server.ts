// `hangar server` configuration: Drone's DRONE_* variables with Drone's names and defaults
// (research/drone-server.md §6), plus HANGAR_* settings for what Drone does not have (protocol timings).

import os from 'node:os';
import path from 'node:path';
import { ConfigError, type Env, bool, duration, int, list, map, oneOf, str } from './env.js';
import { type AccountSettings, type ScmSettings, parseAccounts, parseScm } from './scm.js';

export type { AccountSettings, ScmSettings } from './scm.js';

export interface ListenAddress {
  /** '' means every interface. */
  host: string;
  port: number;
}

/** Every protocol timing is a setting with Drone's default, so tests can shrink them (milliseconds). */
export interface Timings {
  /** How long `POST /rpc/v2/stage` is held before answering 204 (Drone: 30 s). */
  stagePollHold: number;
  /** How long `POST /rpc/v2/build/{id}/watch` is held before answering 204 (Drone: 30 s). */
  watchHold: number;
  /** Lease granted by Accept, before the runner reports anything (see LEASE_DEFAULTS). */
  acceptLease: number;
  /** Lease granted by each sign of life of a runner working on a stage (see LEASE_DEFAULTS). */
  runningLease: number;
  /** Period of the database sweep (parked polls, held watches, expired leases, reconciler). */
  sweepInterval: number;
  /** How long a reservation keeps a stage from other waiters before Accept. */
  reservation: number;
  /** Extra time after `started + repo timeout` before a stage kept alive only by watches expires. */
  timeoutGrace: number;
}

/**
 * The default leases (issue 14: a killed runner's stage ends within 30 s of its death). A renewal extends a
 * lease only once less than half of it is left (store/sql/renew-leases.ts), so a runner that dies just after
 * one leaves `runningLease` to wait, plus one sweep: 27 s + 1 s. A stock runner (runner-go) sends nothing
 * during a silent step except its build watch, and sleeps 10 s after each watch's 204: the lease must
 * outlast that sleep and the sweep tick that renews the next watch — half the lease minus a tick, 12.5 s,
 * against 11 s. Accept is followed at once by the runner's details call and watch, so a stage whose runner
 * dies before starting a step is re-queued after 20 s.
 */
export const LEASE_DEFAULTS = { acceptLease: 20_000, runningLease: 27_000 } as const;

export type DatabaseDriver = 'sqlite3' | 'postgres';

/** Where Redis is: a URL, an address, or Sentinels naming a master. Absent: single node, in memory. */
export type RedisSettings =
  | { kind: 'url'; url: string; commandTimeoutMs: number }
  | { kind: 'address'; host: string; port: number; password: string; db: number; commandTimeoutMs: number }
  | { kind: 'sentinel'; sentinels: Array<{ host: string; port: number }>; master: string; password: string; db: number; commandTimeoutMs: number };

/** What a parked poll gets when the server drains (DESIGN §3a). */
export type DrainAnswer = '204' | 'empty-stage';

export interface UserCreate {
  login: string;
  admin: boolean;
  machine: boolean;
  token: string;
}

export interface ServerConfig {
  server: {
    host: string;
    proto: string;
    /** proto://host: links, status URLs. */
    addr: string;
    listen: ListenAddress;
    proxyHost: string;
    proxyProto: string;
    /** proxyProto://proxyHost: the public address webhooks are sent to and browsers come from. */
    proxyAddr: string;
    privateMode: boolean;
    /**
     * HANGAR_TRUST_PROXY: whose X-Forwarded-For to believe for the client's address (login rate limits):
     * false, true (any), or the addresses/CIDRs of the load balancers.
     */
    trustProxy: boolean | string[];
  };
  database: {
    driver: DatabaseDriver;
    datasource: string;
    /** The 32-byte AES-256-GCM key for secrets, or undefined (secrets stored as plaintext, like Drone). */
    secret?: Buffer;
    /** DRONE_DATABASE_ENCRYPT_USER_TABLE: SCM tokens of users encrypted with `secret`. */
    encryptUserTable: boolean;
    /** DRONE_DATABASE_ENCRYPT_MIXED_MODE: a secret that does not decrypt (stored before `secret` was set) reads as plaintext. */
    encryptMixedMode: boolean;
    maxConnections: number;
  };
  /** Redis for the HA mode: cross-server signals and live logs. Undefined: in memory, one server. */
  redis?: RedisSettings;
  rpc: {
    secret: string;
  };
  drain: {
    /** After SIGTERM, how long /healthz answers 503 before parked requests are released (the LB's detection time). */
    delayMs: number;
    /** 204 (Drone's answer: a stock runner sleeps 10 s) or 200 {"id":0} (a stock runner re-polls at once, elsewhere). */
    pollAnswer: DrainAnswer;
  };
  /** The exec runner embedded in the server process; capacity 0 means none. */
  runner: {
    capacity: number;
    name: string;
    labels: Record<string, string>;
    root: string;
  };
  cookie: { secret: string; timeoutMs: number; secure: boolean };
  userCreate?: UserCreate;
  logs: { debug: boolean; trace: boolean; pretty: boolean; text: boolean; color: boolean };
  git: { alwaysAuth: boolean; username: string; password: string; cacheDir: string };
  scm: ScmSettings;
  /** How long one call to the SCM's API may take (ms). */
  scmTimeoutMs: number;
  accounts: AccountSettings;
  prometheus: { anonymousAccess: boolean };
  status: { disabled: boolean; name: string };
  cron: { disabled: boolean; intervalMs: number };
  jsonnet: { enabled: boolean; importLimit: number };
  /** Step and output-size limits: Drone's defaults (50000 steps, 1000000 bytes) when unset or 0. */
  starlark: { enabled: boolean; stepLimit: number; sizeLimit: number };
  /** Largest configuration file (bytes) the server reads before rejecting it. */
  configMaxSize: number;
  timings: Timings;
  /** Messages to log at start: variables of features Hangar does not have yet. */
  warnings: string[];
}

/** `:8080`, `127.0.0.1:8081`, `8080` → listen address. */
export function parseListen(name: string, value: string): ListenAddress {
  if (value.startsWith('tcp://')) throw new ConfigError(name, `"${value}": a tcp:// address is not supported; use :PORT`);
  const match = /^(?:(\[[^\]]*\]|[^:]*):)?(\d{1,5})$/.exec(value.trim());
  if (!match) throw new ConfigError(name, `"${value}" is not a listen address (examples: :8080, 127.0.0.1:8080)`);
  const port = Number(match[2]);
  if (port > 65535) throw new ConfigError(name, `port ${port} is out of range`);
  return { host: (match[1] ?? '').replace(/^\[|\]$/g, ''), port };
}

function stripScheme(host: string): string {
  return host.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '').toLowerCase();
}

function parseUserCreate(env: Env): UserCreate | undefined {
  const name = 'DRONE_USER_CREATE';
  if (!str(env, name)) return undefined;
  const fields = map(env, name);
  const login = fields.username ?? fields.login;
  if (!login) throw new ConfigError(name, 'missing username:NAME');
  if (!/^[.a-zA-Z0-9_-]{1,50}$/.test(login)) throw new ConfigError(name, `"${login}" is not a valid login`);
  const flag = (key: string): boolean => {
    const value = fields[key];
    if (value === undefined) return false;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new ConfigError(name, `${key}:${value} is not true or false`);
  };
  const user: UserCreate = { login, admin: flag('admin'), machine: flag('machine'), token: fields.token ?? '' };
  if (user.machine && !user.token) throw new ConfigError(name, 'a machine account needs token:…');
  return user;
}

function databaseSecret(env: Env): Buffer | undefined {
  const value = str(env, 'DRONE_DATABASE_SECRET');
  if (!value) return undefined;
  const key = Buffer.from(value, 'utf8');
  if (key.length !== 32) {
    throw new ConfigError('DRONE_DATABASE_SECRET', `the encryption key must be exactly 32 bytes, got ${key.length}`);
  }
  return key;
}

/** Variables of features Hangar does not have yet: warn, don't fail (a Drone .env must still start). */
function pendingFeatureWarnings(env: Env): string[] {
  const warnings: string[] = [];
  for (const name of ['DRONE_S3_BUCKET', 'DRONE_AZURE_BLOB_CONTAINER_NAME', 'DRONE_YAML_ENDPOINT', 'DRONE_CONVERT_PLUGIN_ENDPOINT', 'DRONE_VALIDATE_PLUGIN_ENDPOINT', 'DRONE_WEBHOOK_ENDPOINT']) {
    if (str(env, name)) warnings.push(`${name}: not supported yet; ignored`);
  }
  return warnings;
}

function parseTrustProxy(env: Env): boolean | string[] {
  const value = str(env, 'HANGAR_TRUST_PROXY');
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  return list(env, 'HANGAR_TRUST_PROXY');
}

/** `host:port` (IPv6 in brackets). */
function hostPort(name: string, value: string, defaultPort: number): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!match) throw new ConfigError(name, `"${value}" is not host:port`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port: match[2] ? Number(match[2]) : defaultPort };
}

/**
 * Drone's DRONE_REDIS_CONNECTION (redis:// or rediss:// URL) or DRONE_REDIS_ADDR (+ _PASSWORD, _DB), and
 * Hangar's HANGAR_REDIS_SENTINELS (+ HANGAR_REDIS_SENTINEL_MASTER) for Redis Sentinel.
 */
function parseRedis(env: Env): RedisSettings | undefined {
  const commandTimeoutMs = duration(env, 'HANGAR_REDIS_COMMAND_TIMEOUT', 300);
  const sentinels = list(env, 'HANGAR_REDIS_SENTINELS');
  if (sentinels.length > 0) {
    return {
      kind: 'sentinel',
      sentinels: sentinels.map((entry) => hostPort('HANGAR_REDIS_SENTINELS', entry, 26379)),
      master: str(env, 'HANGAR_REDIS_SENTINEL_MASTER', 'mymaster'),
      password: str(env, 'DRONE_REDIS_PASSWORD'),
      db: int(env, 'DRONE_REDIS_DB', 0, { min: 0 }),
      commandTimeoutMs,
    };
  }
  const url = str(env, 'DRONE_REDIS_CONNECTION');
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError('DRONE_REDIS_CONNECTION', `"${url}" is not a URL (redis://host:6379/0 or rediss://…)`);
    }
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
      throw new ConfigError('DRONE_REDIS_CONNECTION', `"${parsed.protocol}" is not redis: or rediss:`);
    }
    return { kind: 'url', url, commandTimeoutMs };
  }
  const addr = str(env, 'DRONE_REDIS_ADDR');
  if (addr) {
    const { host, port } = hostPort('DRONE_REDIS_ADDR', addr, 6379);
    return { kind: 'address', host, port, password: str(env, 'DRONE_REDIS_PASSWORD'), db: int(env, 'DRONE_REDIS_DB', 0, { min: 0 }), commandTimeoutMs };
  }
  return undefined;
}

export function loadServerConfig(env: Env): ServerConfig {
  const host = stripScheme(str(env, 'DRONE_SERVER_HOST', 'localhost:8080'));
  const proto = oneOf(env, 'DRONE_SERVER_PROTO', ['http', 'https'], 'http');
  const listen = parseListen('DRONE_SERVER_PORT', str(env, 'DRONE_SERVER_PORT', ':8080'));
  const proxyHost = stripScheme(str(env, 'DRONE_SERVER_PROXY_HOST', host));
  const proxyProto = str(env, 'DRONE_SERVER_PROXY_PROTO', proto);
  const driverName = str(env, 'DRONE_DATABASE_DRIVER', 'sqlite3');
  if (driverName === 'mysql') throw new ConfigError('DRONE_DATABASE_DRIVER', 'mysql is not supported yet; use sqlite3 or postgres');
  const driver = oneOf<DatabaseDriver>(env, 'DRONE_DATABASE_DRIVER', ['sqlite3', 'postgres'], 'sqlite3');
  const datasource = str(env, 'DRONE_DATABASE_DATASOURCE', driver === 'sqlite3' ? 'core.sqlite' : '');
  const redis = parseRedis(env);
  if (driver === 'postgres' && !/^postgres(ql)?:\/\//.test(datasource) && !datasource.includes('=')) {
    throw new ConfigError('DRONE_DATABASE_DATASOURCE', 'postgres needs a connection URL (postgres://user:pass@host:5432/db)');
  }
  const sqliteDir = driver === 'sqlite3' ? path.dirname(path.resolve(datasource)) : os.tmpdir();

  return {
    server: {
      host,
      proto,
      addr: `${proto}://${host}`,
      listen,
      proxyHost,
      proxyProto,
      proxyAddr: `${proxyProto}://${proxyHost}`,
      privateMode: bool(env, 'DRONE_SERVER_PRIVATE_MODE'),
      trustProxy: parseTrustProxy(env),
    },
    database: {
      driver,
      datasource,
      secret: databaseSecret(env),
      encryptUserTable: bool(env, 'DRONE_DATABASE_ENCRYPT_USER_TABLE'),
      encryptMixedMode: bool(env, 'DRONE_DATABASE_ENCRYPT_MIXED_MODE'),
      maxConnections: int(env, 'DRONE_DATABASE_MAX_CONNECTIONS', 0, { min: 0 }),
    },
    redis,
    rpc: { secret: str(env, 'DRONE_RPC_SECRET') },
    drain: {
      // One server on its own has no load balancer to tell: it stops at once. In a cluster the others take over.
      delayMs: duration(env, 'HANGAR_DRAIN_DELAY', redis ? 2_000 : 0),
      pollAnswer: oneOf<DrainAnswer>(env, 'HANGAR_DRAIN_POLL_ANSWER', ['204', 'empty-stage'], '204'),
    },
    runner: {
      capacity: int(env, 'DRONE_RUNNER_CAPACITY', 0, { min: 0, max: 1000 }),
      name: str(env, 'DRONE_RUNNER_NAME', os.hostname()),
      labels: map(env, 'DRONE_RUNNER_LABELS'),
      root: str(env, 'DRONE_RUNNER_ROOT', os.tmpdir()),
    },
    cookie: {
      secret: str(env, 'DRONE_COOKIE_SECRET'),
      timeoutMs: duration(env, 'DRONE_COOKIE_TIMEOUT', 720 * 3_600_000),
      // Behind https the session cookie is never sent in the clear, whether or not DRONE_COOKIE_SECURE says so.
      secure: bool(env, 'DRONE_COOKIE_SECURE') || proto === 'https',
    },
    userCreate: parseUserCreate(env),
    logs: {
      debug: bool(env, 'DRONE_LOGS_DEBUG'),
      trace: bool(env, 'DRONE_LOGS_TRACE'),
      pretty: bool(env, 'DRONE_LOGS_PRETTY'),
      text: bool(env, 'DRONE_LOGS_TEXT'),
      color: bool(env, 'DRONE_LOGS_COLOR'),
    },
    git: {
      alwaysAuth: bool(env, 'DRONE_GIT_ALWAYS_AUTH'),
      username: str(env, 'DRONE_GIT_USERNAME'),
      password: str(env, 'DRONE_GIT_PASSWORD'),
      cacheDir: str(env, 'HANGAR_GIT_CACHE', path.join(sqliteDir, 'hangar-git-cache')),
    },
    scm: parseScm(env, `${proto}://${host}`),
    scmTimeoutMs: duration(env, 'HANGAR_SCM_TIMEOUT', 15_000),
    accounts: parseAccounts(env),
    prometheus: { anonymousAccess: bool(env, 'DRONE_PROMETHEUS_ANONYMOUS_ACCESS') },
    status: { disabled: bool(env, 'DRONE_STATUS_DISABLED'), name: str(env, 'DRONE_STATUS_NAME', 'continuous-integration/drone') },
    cron: { disabled: bool(env, 'DRONE_CRON_DISABLED'), intervalMs: duration(env, 'DRONE_CRON_INTERVAL', 30 * 60_000) },
    jsonnet: { enabled: bool(env, 'DRONE_JSONNET_ENABLED'), importLimit: int(env, 'DRONE_JSONNET_IMPORT_LIMIT', 0, { min: 0 }) },
    starlark: {
      enabled: bool(env, 'DRONE_STARLARK_ENABLED'),
      stepLimit: int(env, 'DRONE_STARLARK_STEP_LIMIT', 0, { min: 0 }) || 50_000,
      sizeLimit: int(env, 'DRONE_STARLARK_SIZE_LIMIT', 0, { min: 0 }) || 1_000_000,
    },
    configMaxSize: int(env, 'HANGAR_CONFIG_MAX_SIZE', 2 * 1024 * 1024, { min: 1 }),
    timings: {
      stagePollHold: duration(env, 'HANGAR_STAGE_POLL_HOLD', 30_000),
      watchHold: duration(env, 'HANGAR_WATCH_HOLD', 30_000),
      acceptLease: duration(env, 'HANGAR_ACCEPT_LEASE', LEASE_DEFAULTS.acceptLease),
      runningLease: duration(env, 'HANGAR_RUNNING_LEASE', LEASE_DEFAULTS.runningLease),
      sweepInterval: duration(env, 'HANGAR_SWEEP_INTERVAL', 1_000),
      reservation: duration(env, 'HANGAR_RESERVATION', 2_000),
      timeoutGrace: duration(env, 'HANGAR_TIMEOUT_GRACE', 5 * 60_000),
    },
    warnings: pendingFeatureWarnings(env),
  };
}
