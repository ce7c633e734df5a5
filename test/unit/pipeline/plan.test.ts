// planBuild: what the server turns a configuration into before creating a build (drone-server.md §7.2).

import { describe, expect, it } from 'vitest';
import { planBuild, type TriggerContext } from '../../../src/pipeline/index.js';

const push: TriggerContext = { event: 'push', action: '', branch: 'main', ref: 'refs/heads/main', repo: 'octocat/hello', target: '', cron: '' };

async function plan(data: string, trigger: Partial<TriggerContext> = {}, extra: { path?: string; maxSize?: number } = {}) {
  return planBuild({ path: extra.path ?? '.drone.yml', data, trusted: false, trigger: { ...push, ...trigger }, maxSize: extra.maxSize });
}

async function stages(data: string, trigger: Partial<TriggerContext> = {}) {
  const result = await plan(data, trigger);
  if (!result.ok) throw new Error(result.error);
  return result.stages;
}

describe('planBuild', () => {
  it('turns each matching pipeline into a stage with Drone defaults', async () => {
    const result = await stages('kind: pipeline\nsteps:\n- name: a\n  image: alpine\n');
    expect(result).toEqual([
      {
        name: 'default',
        kind: 'pipeline',
        type: 'docker',
        os: 'linux',
        arch: 'amd64',
        variant: '',
        kernel: '',
        limit: 0,
        labels: {},
        depends_on: [],
        on_success: true,
        on_failure: false,
        status: 'pending',
      },
    ]);
  });

  it('copies platform, node labels, concurrency and type', async () => {
    const [stage] = await stages(
      'kind: pipeline\ntype: exec\nname: arm\nplatform: {os: linux, arch: arm64, variant: v8, version: "1809"}\nnode: {pool: fast}\nconcurrency: {limit: 2}\n',
    );
    expect(stage).toMatchObject({ name: 'arm', type: 'exec', arch: 'arm64', variant: 'v8', kernel: '1809', labels: { pool: 'fast' }, limit: 2 });
  });

  it('skips pipelines whose trigger does not match, and returns no stages when none match', async () => {
    const yaml = 'kind: pipeline\nname: a\ntrigger: {branch: develop}\n---\nkind: pipeline\nname: b\ntrigger: {event: [push]}\n';
    expect((await stages(yaml)).map((s) => s.name)).toEqual(['b']);
    expect(await stages(yaml, { event: 'tag' })).toEqual([]);
  });

  it('ignores instance in triggers', async () => {
    expect(await stages('kind: pipeline\ntrigger: {instance: other.example.com}\n')).toHaveLength(1);
  });

  it('waits on dependencies, and replaces a skipped dependency by its own dependencies', async () => {
    const yaml = [
      'kind: pipeline\nname: a\n',
      'kind: pipeline\nname: b\ndepends_on: [a]\ntrigger: {branch: develop}\n',
      'kind: pipeline\nname: c\ndepends_on: [b]\n',
      'kind: pipeline\nname: d\ndepends_on: [a, c]\n',
    ].join('---\n');
    const result = await stages(yaml);
    expect(result.map((s) => [s.name, s.depends_on, s.status])).toEqual([
      ['a', [], 'pending'],
      ['c', ['a'], 'waiting_on_dependencies'],
      ['d', ['a', 'c'], 'waiting_on_dependencies'],
    ]);
  });

  it('starts a stage at once when all its dependencies were skipped', async () => {
    const yaml = 'kind: pipeline\nname: a\ntrigger: {branch: develop}\n---\nkind: pipeline\nname: b\ndepends_on: [a]\n';
    expect(await stages(yaml)).toMatchObject([{ name: 'b', depends_on: [], status: 'pending' }]);
  });

  it('sets on_success/on_failure from trigger.status', async () => {
    const yaml = 'kind: pipeline\nname: a\n---\nkind: pipeline\nname: notify\ndepends_on: [a]\ntrigger: {status: [success, failure]}\n';
    expect((await stages(yaml))[1]).toMatchObject({ on_success: true, on_failure: true });
  });

  it('requires a kind on every document', async () => {
    const result = await plan('kind: pipeline\nname: a\n---\nname: b\n');
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^line 3, column 1: missing kind attribute/) });
  });

  it('rejects a file ending in a separator, as Drone does (an empty last document has no kind)', async () => {
    const result = await plan('kind: pipeline\nname: a\n---\n');
    expect(result.ok).toBe(false);
  });

  it('ignores everything after a ... line', async () => {
    expect(await stages('kind: pipeline\nname: a\n...\nthis: [is not yaml\n')).toHaveLength(1);
  });

  it('reports YAML syntax errors with line and column', async () => {
    const result = await plan('kind: pipeline\nname: a\n---\nkind: pipeline\nsteps: [\n');
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^line [56], column \d+: invalid YAML: Flow sequence/) });
  });

  it('reports type errors with line and column', async () => {
    const result = await plan('kind: pipeline\nsteps:\n- name: a\n  commands: go build\n');
    expect(result).toEqual({ ok: false, error: 'line 4, column 13: steps[0].commands: expected a list of strings, found the string "go build"' });
  });

  it('lints pipeline names and dependencies like drone-yaml', async () => {
    expect(await plan('kind: pipeline\n---\nkind: pipeline\n')).toMatchObject({ ok: false, error: expect.stringContaining('duplicate pipeline names') });
    expect(await plan('kind: pipeline\nname: a\ndepends_on: [b]\n---\nkind: pipeline\nname: b\n')).toMatchObject({
      ok: false,
      error: expect.stringContaining('invalid or unknown pipeline dependency'),
    });
    expect(await plan('kind: pipeline\nname: a\ndepends_on: [a]\n')).toMatchObject({
      ok: false,
      error: expect.stringContaining('pipeline cannot have a dependency on itself'),
    });
    expect(await plan('kind: pipeline\nplatform: {os: plan9}\n')).toMatchObject({ ok: false, error: expect.stringContaining('unsupported os: plan9') });
    expect(await stages('kind: pipeline\ntype: exec\nplatform: {os: darwin}\n')).toHaveLength(1);
  });

  it('accepts merge keys and anchors', async () => {
    const yaml = 'kind: pipeline\nname: a\nx-defaults: &defaults\n  image: alpine\nsteps:\n- <<: *defaults\n  name: one\n';
    expect(await stages(yaml)).toHaveLength(1);
  });

  it('returns the configuration to store with the build', async () => {
    const yaml = 'kind: pipeline\nname: a\n';
    expect(await plan(yaml)).toMatchObject({ ok: true, config: yaml });
  });

  it('refuses a configuration above the size limit, naming the limit', async () => {
    const big = 'kind: pipeline\n# ' + 'x'.repeat(10 * 1024 * 1024) + '\n';
    const result = await plan(big);
    expect(result).toEqual({ ok: false, error: expect.stringContaining('larger than the limit of 2097152 bytes (2 MiB)') });
    expect(await plan('kind: pipeline\n# ' + 'x'.repeat(2000) + '\n', {}, { maxSize: 1024 })).toMatchObject({
      ok: false,
      error: expect.stringContaining('1 KiB'),
    });
  });

  it('answers a file of 10,000 steps within the limit', async () => {
    const steps = Array.from({ length: 10_000 }, (_, i) => `- name: s${i}\n  image: alpine\n  commands: [echo ${i}]\n`).join('');
    const yaml = `kind: pipeline\nname: big\nsteps:\n${steps}`;
    expect(Buffer.byteLength(yaml)).toBeLessThan(2 * 1024 * 1024);
    const result = await plan(yaml);
    expect(result).toMatchObject({ ok: true, stages: [{ name: 'big' }] });
  }, 60_000);
});

describe('planBuild with jsonnet', () => {
  const vars = { 'build.branch': 'main', 'repo.slug': 'octocat/hello' };
  it('converts .drone.jsonnet with Drone\'s external variables', async () => {
    const data = `local p(name) = { kind: 'pipeline', name: name, steps: [{ name: 'a', image: 'alpine' }] };
[p('linux-' + std.extVar('build.branch')), p('repo-' + std.extVar('repo.slug'))]`;
    const result = await planBuild({ path: '.drone.jsonnet', data, trusted: false, trigger: push, jsonnet: { enabled: true, vars } });
    if (!result.ok) throw new Error(result.error);
    expect(result.stages.map((s) => s.name)).toEqual(['linux-main', 'repo-octocat/hello']);
    expect(result.config.startsWith('---\n{')).toBe(true);
  });

  it('accepts a single object as one document', async () => {
    const result = await planBuild({ path: '.drone.jsonnet', data: "{kind: 'pipeline', name: 'one'}", trusted: false, trigger: push, jsonnet: { enabled: true, vars } });
    expect(result).toMatchObject({ ok: true, stages: [{ name: 'one' }] });
  });

  it('reports jsonnet errors', async () => {
    const result = await planBuild({ path: '.drone.jsonnet', data: '{kind: }', trusted: false, trigger: push, jsonnet: { enabled: true, vars } });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('.drone.jsonnet:1') });
  });

  it('refuses imports, which would read the server\'s files', async () => {
    const result = await planBuild({ path: '.drone.jsonnet', data: "local x = import '/etc/passwd';\n{}", trusted: false, trigger: push, jsonnet: { enabled: true, vars } });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('imports are not allowed') });
  });
});

describe('planBuild with kind: template', () => {
  const templates = async (name: string) =>
    name === 'go.jsonnet'
      ? {
          name,
          data: "[{kind: 'pipeline', name: 'go-' + std.extVar('input.version'), steps: [{name: 'test', image: 'golang:' + std.extVar('input.version'), commands: [std.extVar('input.cmds')]}]}]",
        }
      : undefined;

  it('renders a jsonnet template with input.* variables', async () => {
    const data = 'kind: template\nload: go.jsonnet\ndata:\n  version: 1.22\n  cmds: [go test, go vet]\n';
    const result = await planBuild({ path: '.drone.yml', data, trusted: false, trigger: push, templates, jsonnet: { enabled: true, vars: {} } });
    if (!result.ok) throw new Error(result.error);
    expect(result.stages.map((s) => s.name)).toEqual(['go-1.22']);
    expect(result.config).toContain('"[go test go vet]"');
  });

  it('says which template is missing', async () => {
    const result = await planBuild({ path: '.drone.yml', data: 'kind: template\nload: nope.jsonnet\n', trusted: false, trigger: push, templates });
    expect(result).toEqual({ ok: false, error: 'template converter: template name given not found: nope.jsonnet' });
  });

  it('refuses a template without a template store', async () => {
    const result = await planBuild({ path: '.drone.yml', data: 'kind: template\nload: go.jsonnet\n', trusted: false, trigger: push });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('kind: template') });
  });
});

describe('planBuild with other configuration formats', () => {
  it('hints that starlark is disabled when a .star file does not parse as YAML (Drone reads it as YAML then)', async () => {
    const result = await plan('def main(ctx):\n  return {}\n', {}, { path: '.drone.star' });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('starlark conversion is disabled') });
  });

  it('hints that jsonnet is disabled when a .jsonnet file does not parse as YAML', async () => {
    const result = await plan("local x = 1;\n{kind: 'pipeline'}\n", {}, { path: '.drone.jsonnet' });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('jsonnet conversion is disabled') });
  });
});

describe('planBuild on a configuration seen before', () => {
  const twoPipelines = [
    'kind: pipeline\nname: build\nnode: {team: a}\nsteps:\n- name: a\n  image: alpine\n',
    'kind: pipeline\nname: deploy\ntrigger: {branch: [release]}\ndepends_on: [build]\nsteps:\n- name: b\n  image: alpine\n',
  ].join('---\n');

  it('matches each build’s trigger anew and hands out stages of its own', async () => {
    const onMain = await stages(twoPipelines);
    const onRelease = await stages(twoPipelines, { branch: 'release', ref: 'refs/heads/release' });
    expect(onMain.map((s) => s.name)).toEqual(['build']);
    expect(onRelease.map((s) => [s.name, s.depends_on, s.status])).toEqual([
      ['build', [], 'pending'],
      ['deploy', ['build'], 'waiting_on_dependencies'],
    ]);
    // A build's stages are its own to change: the next build of the same text is not affected.
    onRelease[0].labels.team = 'changed';
    onRelease[1].depends_on.push('other');
    const again = await stages(twoPipelines, { branch: 'release', ref: 'refs/heads/release' });
    expect(again.map((s) => [s.labels, s.depends_on])).toEqual([
      [{ team: 'a' }, []],
      [{}, ['build']],
    ]);
  });

  it('reports the same error every time for a text that does not lint', async () => {
    const duplicate = 'kind: pipeline\nname: a\nsteps:\n- name: a\n  image: alpine\n---\nkind: pipeline\nname: a\nsteps:\n- name: b\n  image: alpine\n';
    const first = await plan(duplicate);
    const second = await plan(duplicate);
    expect(first).toMatchObject({ ok: false, error: expect.stringContaining('duplicate pipeline names: a') });
    expect(second).toEqual(first);
  });
});
