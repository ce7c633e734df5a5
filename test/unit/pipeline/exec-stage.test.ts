// compileExecStage beyond the goldens: substitution, environment, secrets, policies, clone script,
// hangar-exec options and the errors a user sees.

import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compileExecStage, ErrPolicy, RunPolicy, type ExecStageInput } from '../../../src/pipeline/index.js';
import { makeBuild, makeDetails, makeRepo, makeStage } from './support/fixtures.js';

function compile(config: string, overrides: Partial<ExecStageInput> = {}, details: Parameters<typeof makeDetails>[0] = {}) {
  return compileExecStage({
    config,
    details: makeDetails({ build: makeBuild({ target: 'main', after: 'abc123', ref: 'refs/heads/main' }), ...details }),
    root: '/tmp/stage',
    environ: {},
    hostEnv: { PATH: '/usr/bin:/bin', USER: 'runner', HTTP_PROXY: 'http://proxy:3128' },
    ...overrides,
  });
}

function ok(result: ReturnType<typeof compileExecStage>) {
  if (!result.ok) throw new Error(result.error);
  return result.spec;
}

function script(step: { files?: Array<{ data?: string }> }): string {
  return Buffer.from(step.files?.[0]?.data ?? '', 'base64').toString('utf8');
}

const header = 'kind: pipeline\ntype: exec\nname: default\n';

describe('compileExecStage', () => {
  it('substitutes ${VAR} from the build before parsing, leaving $VAR for the shell', () => {
    const spec = ok(compile(header + 'clone: {disable: true}\nsteps:\n- name: a\n  commands: ["echo ${DRONE_BRANCH} $HOME $${DRONE_COMMIT}"]\n'));
    expect(script(spec.steps[0])).toContain('\necho main $HOME ${DRONE_COMMIT}\n');
  });

  it('builds the step environment: host PATH/USER, runner environ, proxies, DRONE_* variables, home and workspace', () => {
    const spec = ok(
      compile(header + 'steps:\n- name: a\n  commands: [env]\n  environment:\n    GREETING: hello\n    PATH: /opt/tool/bin:$PATH\n', {
        environ: { COMPANY: 'acme', DRONE_BRANCH: 'overridden' },
      }),
    );
    const env = spec.steps[1].environment ?? {};
    expect(env).toMatchObject({
      USER: 'runner',
      COMPANY: 'acme',
      HTTP_PROXY: 'http://proxy:3128',
      http_proxy: 'http://proxy:3128',
      CI: 'true',
      DRONE: 'true',
      DRONE_BRANCH: 'main',
      DRONE_COMMIT_SHA: 'abc123',
      HOME: '/tmp/stage/home/drone',
      DRONE_WORKSPACE: '/tmp/stage/drone/src',
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: 'drone',
      GREETING: 'hello',
      PATH: '/opt/tool/bin:/usr/bin:/bin',
    });
    expect(spec.steps[0].environment?.PATH).toBe('/usr/bin:/bin');
  });

  it('clones with git at the commit, from the http url', () => {
    const spec = ok(compile(header + 'steps:\n- name: a\n  commands: [ls]\n', {}, { repository: makeRepo({ git_http_url: 'https://git.example.com/o/r.git' }) }));
    const clone = spec.steps[0];
    expect(clone).toMatchObject({ name: 'clone', command: '/bin/sh', args: ['-e', '/tmp/stage/opt/clone'], run_policy: RunPolicy.Always });
    expect(script(clone)).toContain('git remote add origin https://git.example.com/o/r.git\n');
    expect(script(clone)).toContain('git checkout abc123 -b main\n');
  });

  it('merges pull requests onto their target branch', () => {
    const spec = ok(
      compile(header + 'steps:\n- name: a\n  commands: [ls]\n', {}, {
        build: makeBuild({ event: 'pull_request', target: 'main', after: 'f00', ref: 'refs/pull/7/head' }),
      }),
    );
    expect(script(spec.steps[0])).toContain('git fetch origin refs/pull/7/head:\n');
    expect(script(spec.steps[0])).toContain('git merge  f00\n');
  });

  it('writes the netrc file only when the server sent one', () => {
    const withNetrc = ok(compile(header, {}, { netrc: { machine: 'git.example.com', login: 'u', password: 'p' } }));
    const netrc = withNetrc.files.find((f) => f.path.endsWith('.netrc'));
    expect(Buffer.from(netrc?.data ?? '', 'base64').toString()).toBe('machine git.example.com login u password p');
    expect(netrc?.mode).toBe(0o600);
    expect(ok(compile(header)).files.some((f) => f.path.endsWith('.netrc'))).toBe(false);
  });

  it('maps failure: ignore (any case), detach and depends_on', () => {
    const spec = ok(
      compile(header + 'steps:\n- name: a\n  commands: [x]\n  failure: IGNORE\n- name: b\n  commands: [y]\n  detach: true\n  depends_on: [a]\n'),
    );
    const [, a, b] = spec.steps;
    expect(a.err_policy).toBe(ErrPolicy.Ignore);
    expect(a.depends_on).toEqual(['clone']);
    expect(b).toMatchObject({ detach: true, depends_on: ['a'] });
  });

  it('resolves secrets from the server (case-insensitive) and hides them from pull requests unless allowed', () => {
    const yaml = header + 'clone: {disable: true}\nsteps:\n- name: a\n  commands: [x]\n  environment:\n    TOKEN: {from_secret: Token}\n    OPEN: {from_secret: open}\n';
    const secrets = [
      { name: 'token', data: 's3cret', pull_request: false },
      { name: 'open', data: 'public', pull_request: true },
    ];
    const push = ok(compile(yaml, {}, { secrets }));
    expect(push.steps[0].secrets).toEqual([
      { name: 'Token', env: 'TOKEN', data: 's3cret', mask: true },
      { name: 'open', env: 'OPEN', data: 'public', mask: true },
    ]);
    const pr = ok(compile(yaml, {}, { secrets, build: makeBuild({ event: 'pull_request', ref: 'refs/pull/1/head' }) }));
    expect(pr.steps[0].secrets.map((s) => s.data)).toEqual(['', 'public']);
  });

  it('decrypts kind: secret documents with the repository key', () => {
    const key = 'a'.repeat(32);
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(key), nonce);
    const encrypted = Buffer.concat([nonce, cipher.update('hunter2'), cipher.final(), cipher.getAuthTag()]).toString('base64');
    const yaml = `${header}clone: {disable: true}\nsteps:\n- name: a\n  commands: [x]\n  environment:\n    PW: {from_secret: pw}\n---\nkind: secret\nname: pw\ndata: ${encrypted}\n`;
    const spec = ok(compile(yaml, {}, { repository: makeRepo({ secret: key, private: true }) }));
    expect(spec.steps[0].secrets[0].data).toBe('hunter2');
  });

  it('finds the pipeline by exact stage name', () => {
    const yaml = 'kind: pipeline\ntype: exec\nname: linux\n---\nkind: pipeline\ntype: exec\nname: mac\nsteps:\n- name: m\n  commands: [x]\n';
    const spec = ok(compile(yaml, {}, { stage: makeStage({ name: 'mac' }) }));
    expect(spec.steps.map((s) => s.name)).toEqual(['clone', 'm']);
    const missing = compile(yaml, {}, { stage: makeStage({ name: 'default' }) });
    expect(missing).toEqual({ ok: false, error: expect.stringContaining('no pipeline of type exec named "default"') });
  });

  it('ignores docker pipelines in the same file', () => {
    const yaml = 'kind: pipeline\nname: default\nsteps:\n- name: d\n  image: alpine\n  mem_limit: lots\n---\n' + header.replace('default', 'e') + 'steps:\n- name: e\n  commands: [x]\n';
    expect(compile(yaml, {}, { stage: makeStage({ name: 'e' }) }).ok).toBe(true);
  });

  it('rejects images, duplicate and missing names with line and column', () => {
    expect(compile(header + 'steps:\n- name: a\n  image: alpine\n')).toEqual({
      ok: false,
      error: 'line 6, column 3: Linter: cannot define images for an exec pipeline',
    });
    expect(compile(header + 'steps:\n- name: a\n- name: a\n')).toEqual({ ok: false, error: 'line 6, column 3: Linter: duplicate step name: a' });
    expect(compile(header + 'steps:\n- commands: [x]\n')).toMatchObject({ ok: false, error: expect.stringContaining('invalid or missing step name') });
  });

  it('reserves the name clone while the clone step is enabled', () => {
    expect(compile(header + 'steps:\n- name: clone\n  commands: [x]\n')).toMatchObject({ ok: false, error: expect.stringContaining('clone is reserved') });
    expect(compile(header + 'clone: {disable: true}\nsteps:\n- name: clone\n  commands: [x]\n').ok).toBe(true);
  });

  it('rejects unknown dependencies and cycles before running', () => {
    expect(compile(header + 'steps:\n- name: a\n  depends_on: [nope]\n')).toMatchObject({
      ok: false,
      error: expect.stringContaining('depends on unknown step nope'),
    });
    expect(compile(header + 'steps:\n- name: a\n  depends_on: [b]\n- name: b\n  depends_on: [a]\n')).toMatchObject({
      ok: false,
      error: expect.stringContaining('dependency cycle detected'),
    });
  });

  it('reports substitution errors', () => {
    expect(compile(header + 'steps:\n- name: a\n  commands: ["${A"]\n')).toEqual({ ok: false, error: 'cannot substitute variables: missing closing brace' });
  });

  it('supports hangar exec: a given workspace, no clone, include and exclude', () => {
    const yaml = header + 'steps:\n- name: a\n  commands: [x]\n- name: b\n  commands: [y]\n- name: c\n  commands: [z]\n';
    const spec = ok(compile(yaml, { workspace: '/home/me/project', cloneDisabled: true, include: ['a', 'b'], exclude: ['b'] }));
    expect(spec.steps.map((s) => [s.name, s.run_policy, s.working_dir])).toEqual([
      ['a', RunPolicy.OnSuccess, '/home/me/project'],
      ['b', RunPolicy.Never, '/home/me/project'],
      ['c', RunPolicy.Never, '/home/me/project'],
    ]);
    expect(spec.files.some((f) => f.path === '/home/me/project')).toBe(false);
    expect(spec.steps[0].environment?.DRONE_WORKSPACE).toBe('/home/me/project');
  });

  it('gives steps whose names slug alike distinct scripts', () => {
    const spec = ok(compile(header + 'clone: {disable: true}\nsteps:\n- name: Run Tests\n  commands: [a]\n- name: run-tests\n  commands: [b]\n'));
    expect(spec.steps.map((s) => s.args[1])).toEqual(['/tmp/stage/opt/run-tests', '/tmp/stage/opt/run-tests-2']);
  });

  it('quotes traced commands like Go', () => {
    const spec = ok(compile(header + 'clone: {disable: true}\nsteps:\n- name: a\n  commands: ["echo \\"a $B\\"\\t\'é\'"]\n'));
    expect(script(spec.steps[0])).toBe('\nset -e\n\necho + "echo \\"a \\$B\\"\\t\'é\'"\necho "a $B"\t\'é\'\n');
  });
});
