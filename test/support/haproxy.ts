// Real HAProxy (Debian's package) in front of test servers: a configuration rendered from deploy/'s files
// (or Drone's documented ones in deploy/drone-docs/) with only the listen port and the server lines
// remapped, started through scripts/haproxy-*.sh. Backend states are read from the stats socket, so a
// test waits until HAProxy has marked a killed server DOWN instead of sleeping.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { until } from './wait.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const scripts = join(repoRoot, 'scripts');

/** deploy/'s configuration files, by mode. */
export const DEPLOY_CONFIGS = {
  l4: join(repoRoot, 'deploy/haproxy-l4.cfg'),
  l7: join(repoRoot, 'deploy/haproxy-l7.cfg'),
} as const;

/** Drone's two documented configurations, verbatim. */
export const DRONE_DOCS_CONFIGS = {
  l4: join(repoRoot, 'deploy/drone-docs/haproxy-l4.cfg'),
  l7: join(repoRoot, 'deploy/drone-docs/haproxy-l7.cfg'),
} as const;

export interface HaproxyBackendServer {
  /** The server's name in HAProxy (`X-App-Server: drone_servers/<name>` in layer 7). */
  name: string;
  host: string;
  port: number;
}

export interface HaproxyOptions {
  /** Which of deploy/'s configurations to use; ignored when `template` is given. */
  mode?: 'l4' | 'l7';
  /** Path of another configuration to render, e.g. DRONE_DOCS_CONFIGS.l7. */
  template?: string;
  servers: HaproxyBackendServer[];
  /** Port to listen on (127.0.0.1); a free one by default. */
  port?: number;
  /** Directory for the rendered configuration, pidfile and socket; by default a temp dir that stop() removes. */
  dir?: string;
  /** Add a stats socket to read backend states (default true; false leaves the template as it is). */
  statsSocket?: boolean;
}

/** One server's line of `show stat`. */
export interface HaproxyServerState {
  backend: string;
  server: string;
  /** `UP`, `DOWN`, `UP 1/2` (one failed check), `MAINT`, `no check`, … */
  status: string;
  /** Connections open to the server now. */
  currentSessions: number;
  /** Connections the server has been given in all. */
  totalSessions: number;
  /** Connection attempts retried (`retries`) and requests sent to another server (`redispatch`). */
  retries: number;
  redispatches: number;
}

export interface Haproxy {
  dir: string;
  configPath: string;
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  pid: number;
  /** The stats socket; undefined when started with `statsSocket: false`. */
  socketPath?: string;
  /** Every backend server's state. */
  serverStates(): Promise<HaproxyServerState[]>;
  /** Resolves with the time it took once `server` is `UP` or `DOWN` in HAProxy's eyes. */
  waitForServer(server: string, status: 'UP' | 'DOWN', timeoutMs?: number): Promise<number>;
  /** Sends a command to the runtime API (the stats socket, admin level), e.g. `disable server b/s1`. */
  command(line: string): Promise<string>;
  /**
   * Seamless reload (scripts/haproxy-reload.sh): a new process takes the listening sockets over and the old
   * one finishes the connections it holds. Resolves with the new process id (also in `pid`).
   */
  reload(): Promise<number>;
  /** kill -9 (a crash: every open connection is cut), then a start on the same port; resolves with the new pid. */
  crashAndRestart(): Promise<number>;
  /** Stops HAProxy (open connections are closed) and removes the directory if it was a temp dir of ours. */
  stop(): Promise<void>;
}

export async function startHaproxy(options: HaproxyOptions): Promise<Haproxy> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'hangar-haproxy-')));
  const port = options.port ?? (await freePort());
  const socketPath = options.statsSocket === false ? undefined : join(dir, 'haproxy.sock');
  const templatePath = options.template ?? DEPLOY_CONFIGS[options.mode ?? 'l7'];
  const template = await readFile(templatePath, 'utf8');
  const configPath = join(dir, 'haproxy.cfg');
  await writeFile(configPath, renderHaproxyConfig(template, { port, servers: options.servers, socketPath }));

  const { stdout } = await run(join(scripts, 'haproxy-start.sh'), [dir, configPath], { timeout: 180_000 });
  const pid = pidOf(stdout, 'haproxy-start.sh');

  const requireSocket = (): string => {
    if (!socketPath) throw new Error('this HAProxy was started without a stats socket');
    return socketPath;
  };
  const haproxy: Haproxy = {
    dir,
    configPath,
    url: `http://127.0.0.1:${port}`,
    port,
    pid,
    socketPath,
    serverStates: () => readServerStates(requireSocket()),
    async waitForServer(server, status, timeoutMs = 10_000) {
      const started = Date.now();
      const socket = requireSocket();
      await until(async () => {
        const state = (await readServerStates(socket)).find((s) => s.server === server);
        return state !== undefined && state.status === status;
      }, timeoutMs, 20);
      return Date.now() - started;
    },
    command: (line) => runtimeCommand(requireSocket(), line),
    async reload() {
      const { stdout: reloaded } = await run(join(scripts, 'haproxy-reload.sh'), [dir, configPath], { timeout: 60_000 });
      haproxy.pid = pidOf(reloaded, 'haproxy-reload.sh');
      return haproxy.pid;
    },
    async crashAndRestart() {
      const current = Number((await readFile(join(dir, 'haproxy.pid'), 'utf8')).trim());
      process.kill(current, 'SIGKILL');
      await until(async () => !isAlive(current), 10_000, 10);
      const { stdout: restarted } = await run(join(scripts, 'haproxy-start.sh'), [dir, configPath], { timeout: 60_000 });
      haproxy.pid = pidOf(restarted, 'haproxy-start.sh');
      return haproxy.pid;
    },
    async stop() {
      await run(join(scripts, 'haproxy-stop.sh'), [dir], { timeout: 30_000 });
      if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
  return haproxy;
}

function pidOf(stdout: string, script: string): number {
  const pid = Number(/pid=(\d+)/.exec(stdout)?.[1]);
  if (!pid) throw new Error(`${script} printed no pid: ${stdout}`);
  return pid;
}

/** Whether a process exists and is not a zombie (a daemon's parent may never reap it). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

export interface RenderOptions {
  port: number;
  servers: HaproxyBackendServer[];
  /** Adds `stats socket <path> mode 600 level admin expose-fd listeners` to the global section (created when missing). */
  socketPath?: string;
}

/**
 * The template with every `bind` line listening on 127.0.0.1:<port> and its `server` lines replaced by
 * `servers` (in place of the first one, keeping that line's options); nothing else changes.
 */
export function renderHaproxyConfig(template: string, options: RenderOptions): string {
  const output: string[] = [];
  let serversWritten = false;
  for (const line of template.split('\n')) {
    const bind = /^(\s*)bind\s+\S+(.*)$/.exec(line);
    const server = /^(\s*)server\s+\S+\s+(?:"[^"]*"|\S+)(.*)$/.exec(line);
    if (bind) {
      output.push(`${bind[1]}bind 127.0.0.1:${options.port}${bind[2]}`);
    } else if (server) {
      if (serversWritten) continue;
      for (const s of options.servers) output.push(`${server[1]}server ${s.name} ${s.host}:${s.port}${server[2]}`);
      serversWritten = true;
    } else {
      output.push(line);
    }
  }
  if (!serversWritten) throw new Error('the HAProxy template has no server line to replace');
  return options.socketPath ? withStatsSocket(output, options.socketPath).join('\n') : output.join('\n');
}

function withStatsSocket(lines: string[], socketPath: string): string[] {
  // expose-fd listeners: a reload hands the listening sockets to the new process (scripts/haproxy-reload.sh).
  const socketLine = `    stats socket ${socketPath} mode 600 level admin expose-fd listeners`;
  const global = lines.findIndex((line) => /^global\b/.test(line));
  if (global === -1) return ['global', socketLine, '', ...lines];
  return [...lines.slice(0, global + 1), socketLine, ...lines.slice(global + 1)];
}

/** Parses `show stat` (CSV with a `# pxname,svname,…` header) into the servers' rows. */
export function parseShowStat(csv: string): HaproxyServerState[] {
  const [header, ...rows] = csv.trim().split('\n');
  if (!header?.startsWith('# ')) throw new Error(`not a show stat answer: ${csv.slice(0, 200)}`);
  const columns = header.slice(2).split(',');
  const column = (name: string): number => {
    const index = columns.indexOf(name);
    if (index === -1) throw new Error(`show stat has no ${name} column`);
    return index;
  };
  const at = {
    pxname: column('pxname'),
    svname: column('svname'),
    status: column('status'),
    scur: column('scur'),
    stot: column('stot'),
    wretr: column('wretr'),
    wredis: column('wredis'),
  };
  return rows
    .map((row) => row.split(','))
    .filter((fields) => fields[at.svname] !== 'FRONTEND' && fields[at.svname] !== 'BACKEND')
    .map((fields) => ({
      backend: fields[at.pxname],
      server: fields[at.svname],
      status: fields[at.status],
      currentSessions: Number(fields[at.scur] || 0),
      totalSessions: Number(fields[at.stot] || 0),
      retries: Number(fields[at.wretr] || 0),
      redispatches: Number(fields[at.wredis] || 0),
    }));
}

export async function readServerStates(socketPath: string): Promise<HaproxyServerState[]> {
  return parseShowStat(await runtimeCommand(socketPath, 'show stat'));
}

/** One command on HAProxy's runtime API; the socket closes after the answer (non-interactive mode). */
export function runtimeCommand(socketPath: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${line}\n`));
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
