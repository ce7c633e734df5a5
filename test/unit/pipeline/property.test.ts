// Robustness: random, truncated and mutated configurations go through parse, lint and compile and must
// come out as a plan or an error message — never as an exception.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDockerStage, compileExecStage, lintConfig, planBuild } from '../../../src/pipeline/index.js';
import { conformanceFiles, makeBuild, makeDetails, makeStage, readConformance } from './support/fixtures.js';

const corpus: string[] = [
  ...conformanceFiles('runner-exec/compiler', '.yml').map((f) => readConformance('runner-exec/compiler', f)),
  ...conformanceFiles('runner-docker/compiler', '.yml').map((f) => readConformance('runner-docker/compiler', f)),
  ...conformanceFiles('drone-yaml/linter', '.yml').map((f) => readConformance('drone-yaml/linter', f)),
  `kind: pipeline
type: exec
name: default
x: &defaults
  environment: {A: "1", B: {from_secret: b}}
  when: {branch: {include: [main, "feature/**"], exclude: [wip]}, status: [success, failure]}
steps:
- <<: *defaults
  name: build
  commands: ["echo \${DRONE_BRANCH} $$HOME"]
- name: test
  depends_on: [build]
  failure: ignore
  detach: true
  commands: [go test]
---
kind: secret
name: b
data: c2VjcmV0
---
kind: signature
hmac: abc
...
ignored: [
`,
  `kind: pipeline
name: default
workspace: {path: /go/src/app}
volumes: [{name: cache, temp: {medium: memory, size_limit: 1gb}}, {name: sock, host: {path: /var/run/docker.sock}}]
services: [{name: db, image: postgres:14, environment: {POSTGRES_PASSWORD: x}}]
steps:
- name: publish
  image: plugins/docker
  settings:
    repo: octocat/hello
    tags: [latest, 1.0, 1.10]
    build_args: {A: 1, B: [x, {y: z}]}
    password: {from_secret: docker_password}
  when: {event: [push, tag], ref: ["refs/tags/*"]}
  mem_limit: 512MiB
  shm_size: 64m
`,
];

const TOKENS = [':', '-', ' ', '\n', '  ', '[', ']', '{', '}', '&a', '*a', '<<: *a', '!!int', '"', "'", '|', '>', '#', ',', '?', '%', '@', '`', '${X}', '$$', '${', '\t', '---\n', '...\n', '~', 'null', 'yes', '0x1F', '1e400', '\u2028'];

const mutated = fc
  .tuple(fc.constantFrom(...corpus), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...TOKENS)), { maxLength: 8 }))
  .map(([text, edits]) => {
    let out = text;
    for (const [at, del, insert] of edits) {
      const i = at % (out.length + 1);
      out = out.slice(0, i) + insert + out.slice(i + del);
    }
    return out;
  });

const truncated = fc.tuple(fc.constantFrom(...corpus), fc.nat()).map(([text, at]) => text.slice(0, at % (text.length + 1)));

const randomText = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: fc.constantFrom(...TOKENS, 'a', 'b', '1'), maxLength: 60 }).map((s) => s));

const anyConfig = fc.oneof(mutated, truncated, randomText);

const trigger = { event: 'push', action: '', branch: 'main', ref: 'refs/heads/main', repo: 'o/r', target: '', cron: '' };

function assertErrorShape(result: { ok: boolean; error?: string }) {
  if (!result.ok) {
    expect(typeof result.error).toBe('string');
    expect(result.error?.length).toBeGreaterThan(0);
  }
}

function assertGraph(steps: Array<{ name: string; depends_on?: string[] }>) {
  const names = new Set(steps.map((s) => s.name));
  for (const step of steps) for (const dep of step.depends_on ?? []) expect(names.has(dep)).toBe(true);
}

describe('random, truncated and mutated configurations', () => {
  it('planBuild answers with stages or an error', async () => {
    await fc.assert(
      fc.asyncProperty(anyConfig, async (config) => {
        const result = await planBuild({ path: '.drone.yml', data: config, trusted: false, trigger });
        assertErrorShape(result);
        if (result.ok) {
          const names = new Set(result.stages.map((s) => s.name));
          for (const stage of result.stages) for (const dep of stage.depends_on) expect(names.has(dep)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('compileExecStage answers with a plan whose dependencies exist, or an error', () => {
    fc.assert(
      fc.property(anyConfig, (config) => {
        const result = compileExecStage({
          config,
          details: makeDetails({ build: makeBuild({ target: 'main' }), stage: makeStage({ name: 'default' }) }),
          root: '/tmp/r',
          environ: {},
          hostEnv: {},
        });
        assertErrorShape(result);
        if (result.ok) assertGraph(result.spec.steps);
      }),
      { numRuns: 400 },
    );
  });

  it('compileDockerStage answers with a plan whose dependencies exist, or an error', () => {
    fc.assert(
      fc.property(anyConfig, fc.boolean(), (config, trusted) => {
        const result = compileDockerStage({
          config,
          details: makeDetails({ stage: makeStage({ name: 'default', type: 'docker' }), repository: { ...makeDetails().repository, trusted } }),
          environ: {},
        });
        assertErrorShape(result);
        if (result.ok) assertGraph(result.spec.steps);
      }),
      { numRuns: 400 },
    );
  });

  it('lintConfig returns positioned errors or none', () => {
    fc.assert(
      fc.property(anyConfig, (config) => {
        for (const error of lintConfig(config, { trusted: false })) {
          expect(error.message.length).toBeGreaterThan(0);
          if (error.position) {
            expect(error.position.line).toBeGreaterThanOrEqual(1);
            expect(error.position.column).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('survives pathological nesting and alias bombs', async () => {
    const deep = 'kind: pipeline\nsteps: ' + '['.repeat(20_000) + ']'.repeat(20_000) + '\n';
    const bomb = ['kind: pipeline', 'a: &a ["x","x","x","x","x","x","x","x","x","x"]']
      .concat(Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`))
      .concat(['steps:', '- name: s', '  image: alpine', '  settings:', '    x: *m', ''])
      .join('\n');
    const selfAlias = 'kind: pipeline\nsteps: &s\n- name: a\n  image: alpine\n  settings: {x: *s}\n';
    for (const config of [deep, bomb, selfAlias]) {
      const plan = await planBuild({ path: '.drone.yml', data: config, trusted: false, trigger });
      assertErrorShape(plan);
      const docker = compileDockerStage({ config, details: makeDetails({ stage: makeStage({ type: 'docker' }) }), environ: {} });
      assertErrorShape(docker);
      expect(() => lintConfig(config, { trusted: false })).not.toThrow();
    }
  });
});
