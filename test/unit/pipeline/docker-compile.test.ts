// compileDockerStage beyond the goldens: plugin settings, auto-privileged plugins, workspace, secrets,
// registry credentials, runner options.

import { describe, expect, it } from 'vitest';
import { compileDockerStage, type DockerStageInput } from '../../../src/pipeline/index.js';
import { expandImage, imageOnHost, trimImage } from '../../../src/pipeline/compile/image.js';
import { makeBuild, makeDetails, makeRepo, makeStage } from './support/fixtures.js';

function compile(config: string, overrides: Partial<DockerStageInput> = {}, details: Parameters<typeof makeDetails>[0] = {}) {
  const result = compileDockerStage({
    config: 'kind: pipeline\nname: default\n' + config,
    details: makeDetails({ stage: makeStage({ type: 'docker' }), build: makeBuild({ target: 'main', event: 'push' }), ...details }),
    environ: {},
    randomId: () => 'id',
    ...overrides,
  });
  if (!result.ok) throw new Error(result.error);
  return result.spec;
}

describe('plugin settings', () => {
  const spec = compile(`clone: {disable: true}
steps:
- name: publish
  image: plugins/docker
  settings:
    repo: octocat/hello
    tags: [latest, 1.0, 1.10, 2, true, ~]
    version: 1.10
    big: 1e21
    small: 0.00001
    debug: yes
    build-args: {B: 2, A: "<x>"}
    nested: [a, [b]]
    password: {from_secret: docker_password}
    empty: ~
`);
  const env = spec.steps[0].environment;

  it('writes scalars as text, floats in Go form', () => {
    expect(env).toMatchObject({ PLUGIN_REPO: 'octocat/hello', PLUGIN_VERSION: '1.1', PLUGIN_BIG: '1e+21', PLUGIN_SMALL: '1e-05', PLUGIN_DEBUG: 'true' });
  });

  it('joins lists of scalars with commas', () => {
    expect(env.PLUGIN_TAGS).toBe('latest,1,1.1,2,true,');
  });

  it('writes maps and nested lists as JSON with sorted keys and Go escaping', () => {
    expect(env['PLUGIN_BUILD-ARGS']).toBe('{"A":"\\u003cx\\u003e","B":2}');
    expect(env.PLUGIN_NESTED).toBe('["a",["b"]]');
  });

  it('turns from_secret settings into masked secrets and skips null settings', () => {
    expect(spec.steps[0].secrets).toContainEqual({ name: 'docker_password', env: 'PLUGIN_PASSWORD', data: '', mask: true });
    expect(env).not.toHaveProperty('PLUGIN_EMPTY');
  });

  it('runs known plugin images privileged when they have no commands', () => {
    expect(spec.steps[0].privileged).toBe(true);
    const withCommands = compile('steps:\n- name: p\n  image: plugins/docker:20\n  commands: [docker ps]\n');
    expect(withCommands.steps[1].privileged).toBeUndefined();
    const withHome = compile('steps:\n- name: p\n  image: plugins/ecr\n  environment: {HOME: /root}\n');
    expect(withHome.steps[1].privileged).toBeUndefined();
    const custom = compile('steps:\n- name: p\n  image: acme/dind\n', { runner: { privilegedImages: ['acme/dind'] } });
    expect(custom.steps[1].privileged).toBe(true);
  });
});

describe('steps', () => {
  it('normalizes images and maps step fields', () => {
    const spec = compile(`clone: {disable: true}
steps:
- name: a
  image: golang:1.22
  pull: Always
  failure: fast
  user: root
  entrypoint: [/bin/bash]
  command: [-c, ls]
  dns: [8.8.8.8]
  extra_hosts: ["a:1.2.3.4"]
  network_mode: host
  volumes: [{name: cache, path: /cache}]
  devices: [{name: dev, path: /dev/xvda}]
`, {}, { repository: makeRepo({ trusted: true }) });
    expect(spec.steps[0]).toMatchObject({
      image: 'docker.io/library/golang:1.22',
      pull: 'always',
      err_policy: 'fail-fast',
      user: 'root',
      entrypoint: ['/bin/bash'],
      args: ['-c', 'ls'],
      dns: ['8.8.8.8'],
      extra_hosts: ['a:1.2.3.4'],
      network: 'host',
      volumes: [{ name: 'cache', path: '/cache' }, { name: '_workspace', path: '/drone/src' }],
      devices: [{ name: 'dev', path: '/dev/xvda' }],
    });
  });

  it('generates the shell script in DRONE_SCRIPT', () => {
    const spec = compile('clone: {disable: true}\nsteps:\n- name: a\n  image: alpine\n  commands: [echo $HOME]\n');
    expect(spec.steps[0].entrypoint).toEqual(['/bin/sh', '-c']);
    expect(spec.steps[0].args).toEqual(['echo "$DRONE_SCRIPT" | /bin/sh']);
    expect(spec.steps[0].environment.DRONE_SCRIPT).toContain('\nset -e\n');
    expect(spec.steps[0].environment.DRONE_SCRIPT).toMatch(/\necho \+ "echo \\\$HOME"\necho \$HOME\n$/);
  });

  it('uses powershell on windows, with c: workspace paths', () => {
    const spec = compile('platform: {os: windows}\nclone: {disable: true}\nsteps:\n- name: a\n  image: mcr.microsoft.com/powershell\n  commands: [dir]\n');
    expect(spec.steps[0].entrypoint).toEqual(['powershell', '-noprofile', '-noninteractive', '-command']);
    expect(spec.steps[0].environment.SHELL).toBe('powershell.exe');
    expect(spec.steps[0].working_dir).toBe('c:\\drone\\src');
  });

  it('runs services detached first, with their image working dir when they have no commands', () => {
    const spec = compile('services:\n- name: db\n  image: postgres\nsteps:\n- name: a\n  image: alpine\n  commands: [ls]\n');
    expect(spec.steps.map((s) => [s.name, s.detach ?? false, s.working_dir, s.depends_on])).toEqual([
      ['clone', false, '/drone/src', undefined],
      ['db', true, undefined, ['clone']],
      ['a', false, '/drone/src', ['db']],
    ]);
  });

  it('honours a custom workspace and refuses restricted ones', () => {
    const spec = compile('workspace: {base: /go, path: src/app}\nsteps:\n- name: a\n  image: alpine\n  commands: [ls]\n');
    expect(spec.steps[1].working_dir).toBe('/go/src/app');
    expect(spec.steps[1].volumes).toContainEqual({ name: '_workspace', path: '/go' });
    expect(spec.steps[1].environment).toMatchObject({ DRONE_WORKSPACE: '/go/src/app', DRONE_WORKSPACE_BASE: '/go', DRONE_WORKSPACE_PATH: 'src/app' });
    const restricted = compile('workspace: {path: /etc}\nsteps:\n- name: a\n  image: alpine\n  commands: [ls]\n');
    expect(restricted.steps[1].working_dir).toBe('/drone/src');
  });
});

describe('clone, secrets, registries, runner options', () => {
  it('configures the clone step from clone settings and always gives it netrc', () => {
    const spec = compile('clone: {depth: 50, retries: 3, skip_verify: true}\n', { runner: { netrcCloneOnly: true } }, {
      netrc: { machine: 'github.com', login: 'x', password: 'y' },
    });
    expect(spec.steps[0]).toMatchObject({ name: 'clone', image: 'drone/git:latest', run_policy: 'always', pull: 'if-not-exists' });
    expect(spec.steps[0].environment).toMatchObject({ PLUGIN_DEPTH: '50', PLUGIN_RETRIES: '3', PLUGIN_SKIP_VERIFY: 'true', DRONE_NETRC_MACHINE: 'github.com' });
  });

  it('masks every resolved secret in every step', () => {
    const spec = compile('steps:\n- name: a\n  image: alpine\n  environment: {T: {from_secret: token}}\n', {}, { secrets: [{ name: 'token', data: 'abc123' }] });
    for (const step of spec.steps) expect(step.secrets).toContainEqual({ data: 'abc123', mask: true });
    expect(spec.steps[1].secrets).toContainEqual({ name: 'token', env: 'T', data: 'abc123', mask: true });
  });

  it('attaches registry credentials from image_pull_secrets to matching images', () => {
    const config = JSON.stringify({ auths: { 'https://registry.example.com': { auth: Buffer.from('me:pw').toString('base64') } } });
    const spec = compile(
      'image_pull_secrets: [dockerconfig]\nsteps:\n- name: a\n  image: registry.example.com/team/app\n- name: b\n  image: alpine\n',
      {},
      { secrets: [{ name: 'dockerconfig', data: config }] },
    );
    expect(spec.steps[1].auth).toEqual({ address: 'registry.example.com', username: 'me', password: 'pw' });
    expect(spec.steps[2].auth).toBeUndefined();
  });

  it('skips the clone and mounts the host directory for hangar exec', () => {
    const spec = compile('steps:\n- name: a\n  image: alpine\n  commands: [ls]\n', { runner: { mount: '/home/me/project' } });
    expect(spec.steps[0].run_policy).toBe('never');
    expect(spec.volumes[0]).toEqual({ host: expect.objectContaining({ name: '_workspace', path: '/home/me/project' }) });
    expect(spec.steps[1].environment.DRONE_DOCKER_VOLUME_PATH).toBe('/home/me/project');
  });

  it('applies include and exclude filters, clone exempt', () => {
    const spec = compile('steps:\n- name: a\n  image: alpine\n- name: b\n  image: alpine\n', { include: ['a'] });
    expect(spec.steps.map((s) => s.run_policy)).toEqual(['always', 'on-success', 'never']);
  });

  it('adds runner networks, volumes and resource defaults', () => {
    const spec = compile('steps:\n- name: a\n  image: alpine\n  mem_limit: 1gb\n', {
      runner: { networks: ['shared'], volumes: { '/var/cache/go': '/go/pkg:ro' }, resources: { memory: 512, cpuShares: 100 } },
    });
    const step = spec.steps[1];
    expect(step.networks).toEqual(['shared']);
    expect(step.volumes).toContainEqual({ name: 'id', path: '/go/pkg' });
    expect(spec.volumes).toContainEqual({ host: { id: 'id', name: 'id', path: '/var/cache/go', read_only: true } });
    expect(step.mem_limit).toBe(1024 ** 3);
    expect(spec.steps[0].mem_limit).toBe(512);
    expect(step.cpu_shares).toBe(100);
  });

  it('looks the pipeline up by name with "" and "default" equivalent', () => {
    const result = compileDockerStage({
      config: 'kind: pipeline\nsteps:\n- name: a\n  image: alpine\n',
      details: makeDetails({ stage: makeStage({ name: 'default', type: 'docker' }) }),
      environ: {},
    });
    expect(result.ok).toBe(true);
  });

  it('lints the pipeline for the repository\'s trust', () => {
    const config = 'kind: pipeline\nsteps:\n- name: a\n  image: alpine\n  privileged: true\n';
    const untrusted = compileDockerStage({ config, details: makeDetails({ stage: makeStage({ type: 'docker' }) }), environ: {} });
    expect(untrusted).toEqual({ ok: false, error: 'line 5, column 3: linter: untrusted repositories cannot enable privileged mode' });
    const trusted = compileDockerStage({ config, details: makeDetails({ stage: makeStage({ type: 'docker' }), repository: makeRepo({ trusted: true }) }), environ: {} });
    expect(trusted.ok).toBe(true);
  });
});

describe('image references', () => {
  it('normalizes like docker/distribution', () => {
    expect(expandImage('golang')).toBe('docker.io/library/golang:latest');
    expect(expandImage('octocat/hello:1')).toBe('docker.io/octocat/hello:1');
    expect(expandImage('index.docker.io/library/alpine')).toBe('docker.io/library/alpine:latest');
    expect(expandImage('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(expandImage('gcr.io/p/app@sha256:' + 'a'.repeat(64))).toBe('gcr.io/p/app@sha256:' + 'a'.repeat(64));
    expect(expandImage('Bad/Name')).toBe('Bad/Name');
    expect(trimImage('docker.io/plugins/docker:20')).toBe('plugins/docker');
    expect(imageOnHost('gcr.io/p/app', 'https://gcr.io')).toBe(true);
    expect(imageOnHost('alpine', 'index.docker.io')).toBe(true);
  });
});
