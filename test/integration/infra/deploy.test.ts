// deploy/ against Drone's HA documentation (read at test time from ../shared/reference/drone-ha.md): the
// verbatim copies still match it, our HAProxy configurations keep every documented setting, and the
// compose file mirrors the documented example. (No Docker engine here: the files are parsed, not run;
// haproxy.test.ts runs the HAProxy configurations.)

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const deploy = join(root, 'deploy');
const documentation = readFileSync(join(root, '../shared/reference/drone-ha.md'), 'utf8');

/** The first fenced code block after `heading` in Drone's HA page. */
function documentedBlock(heading: string): string {
  const start = documentation.indexOf(heading);
  if (start === -1) throw new Error(`no "${heading}" in drone-ha.md`);
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(documentation.slice(start));
  if (!block) throw new Error(`no code block after "${heading}"`);
  return block[1];
}

const documented = {
  l4: documentedBlock('### Layer 4 mode'),
  l7: documentedBlock('### Layer 7 mode'),
  compose: documentedBlock('## `docker-compose.yml` file'),
};

const read = (path: string): string => readFileSync(join(deploy, path), 'utf8');

/** Sections of an HAProxy configuration (`defaults`, `frontend drone`, …) with their directives. */
function sections(config: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const rawLine of config.split('\n')) {
    const line = rawLine.replace(/#.*$/, '').trim().replace(/\s+/g, ' ');
    if (!line) continue;
    if (/^(global|defaults|frontend|backend|listen)\b/.test(line)) {
      current = [];
      result.set(line, current);
    } else {
      current?.push(line);
    }
  }
  return result;
}

/** What applies in each frontend/backend: its own directives and those of `defaults`. */
function effectiveDirectives(config: string): Map<string, Set<string>> {
  const all = sections(config);
  const defaults = all.get('defaults') ?? [];
  const result = new Map<string, Set<string>>();
  for (const [name, directives] of all) {
    if (name === 'defaults' || name === 'global') continue;
    // A server address may be "${VARIABLE-default}": compare its default, the address used when unset.
    const expanded = directives.map((d) => d.replace(/"\$\{\w+-([^}]*)\}"/g, '$1'));
    result.set(name, new Set([...defaults, ...expanded]));
  }
  return result;
}

describe("Drone's documented HAProxy configurations", () => {
  it('are kept verbatim in deploy/drone-docs/', () => {
    expect(read('drone-docs/haproxy-l4.cfg').trimEnd()).toBe(documented.l4.trimEnd());
    expect(read('drone-docs/haproxy-l7.cfg').trimEnd()).toBe(documented.l7.trimEnd());
  });

  for (const mode of ['l4', 'l7'] as const) {
    it(`have every setting in deploy/haproxy-${mode}.cfg, with a larger maxconn`, () => {
      const ours = effectiveDirectives(read(`haproxy-${mode}.cfg`));
      const theirs = effectiveDirectives(documented[mode]);
      expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
      for (const [section, directives] of theirs) {
        for (const directive of directives) {
          if (directive.startsWith('maxconn ')) continue;
          expect(ours.get(section), `${section}: ${directive}`).toContain(directive);
        }
        const maxconn = [...(ours.get(section) ?? [])].find((d) => d.startsWith('maxconn '));
        if (maxconn) expect(Number(maxconn.split(' ')[1])).toBeGreaterThanOrEqual(1024);
      }
    });
  }
});

interface ComposeService {
  build?: { context: string; dockerfile: string };
  image?: string;
  environment?: string[];
  ports?: string[];
  volumes?: string[];
  depends_on?: string[] | Record<string, unknown>;
  healthcheck?: unknown;
}

function services(yamlText: string): Record<string, ComposeService> {
  return (parse(yamlText) as { services: Record<string, ComposeService> }).services;
}

function environment(service: ComposeService | undefined): Map<string, string> {
  return new Map((service?.environment ?? []).map((entry) => {
    const eq = entry.indexOf('=');
    return [entry.slice(0, eq), entry.slice(eq + 1)] as [string, string];
  }));
}

describe('deploy/docker-compose.yml', () => {
  const ours = services(read('docker-compose.yml'));
  const theirs = services(documented.compose);

  it("has the documented example's services", () => {
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
  });

  // The documented https assumes TLS in front of HAProxy; the demo is served over http on localhost:8080.
  const intendedDifferences = new Set(['DRONE_SERVER_PROXY_PROTO']);

  it("gives both servers every documented DRONE_* variable, with the documented values where they are literal", () => {
    for (const name of ['dronea', 'droneb']) {
      const ourEnv = environment(ours[name]);
      for (const [variable, value] of environment(theirs[name])) {
        expect(ourEnv.has(variable), `${name}: ${variable}`).toBe(true);
        if (value.includes('${') || intendedDifferences.has(variable)) continue;
        expect(ourEnv.get(variable), `${name}: ${variable}`).toBe(value);
      }
    }
  });

  it('builds its images from Dockerfiles that exist, and connects the runner through the proxy with the servers\' secret', () => {
    for (const service of Object.values(ours)) {
      if (!service.build) continue;
      expect(existsSync(join(deploy, service.build.context, service.build.dockerfile)), service.build.dockerfile).toBe(true);
    }
    const runner = environment(ours.runner);
    expect(runner.get('DRONE_RPC_HOST')).toBe(environment(theirs.runner).get('DRONE_RPC_HOST'));
    expect(runner.get('DRONE_RPC_SECRET')).toBe(environment(ours.dronea).get('DRONE_RPC_SECRET'));
    expect(ours.proxy.ports).toEqual(theirs.proxy.ports);
  });

  it('runs HAProxy with deploy/haproxy-l7.cfg pointed at the two servers', () => {
    const [source] = (ours.proxy.volumes ?? [])[0].split(':');
    expect(source).toBe('./haproxy-l7.cfg');
    expect(existsSync(join(deploy, source))).toBe(true);
    const proxyEnv = environment(ours.proxy);
    for (const [variable, server] of [['HANGAR_SERVER1_ADDR', 'dronea'], ['HANGAR_SERVER2_ADDR', 'droneb']]) {
      expect(read('haproxy-l7.cfg')).toContain(`\${${variable}-`);
      const port = environment(ours[server]).get('DRONE_SERVER_PORT')?.replace(/^:/, '');
      expect(proxyEnv.get(variable)).toBe(`${server}:${port}`);
    }
  });
});

describe('deploy/Dockerfile.server and Dockerfile.runner', () => {
  for (const [file, command] of [['Dockerfile.server', ['hangar', 'server']], ['Dockerfile.runner', ['hangar', 'runner', 'exec']]] as const) {
    it(`${file}: node:20-bookworm-slim, copies only files that exist, runs \`${command.join(' ')}\` with git installed`, () => {
      const text = read(file);
      const instructions = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
      const froms = instructions.filter((l) => l.startsWith('FROM '));
      expect(froms.every((l) => l.split(/\s+/)[1] === 'node:20-bookworm-slim')).toBe(true);

      for (const copy of instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from='))) {
        const sources = copy.split(/\s+/).slice(1, -1);
        for (const source of sources) expect(existsSync(join(root, source)), `${file}: COPY ${source}`).toBe(true);
      }

      const finalStage = instructions.slice(instructions.lastIndexOf(froms[froms.length - 1]));
      expect(finalStage.some((l) => l.startsWith('RUN ') && /apt-get install .*\bgit\b/.test(l))).toBe(true);
      const cmd = finalStage.find((l) => l.startsWith('CMD '));
      expect(JSON.parse(cmd?.slice(4) ?? 'null')).toEqual(command);
    });
  }

  it('Dockerfile.server keeps drone/drone\'s defaults: port 80 and SQLite in the /data volume', () => {
    const text = read('Dockerfile.server');
    expect(text).toMatch(/^VOLUME \/data$/m);
    expect(text).toContain('DRONE_DATABASE_DATASOURCE=/data/database.sqlite');
    expect(text).toContain('DRONE_SERVER_PORT=:80');
  });
});
