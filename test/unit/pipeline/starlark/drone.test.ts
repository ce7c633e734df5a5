// Drone's Starlark contract: main(ctx) with ctx.repo/ctx.build/ctx.input, dict → one document, list → several,
// the step and size limits, and errors that point at the script's line.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertTemplate } from '../../../../src/pipeline/convert/template.js';
import { planBuild, type PlanInput } from '../../../../src/pipeline/plan.js';
import type { DroneContext } from '../../../../src/pipeline/starlark/context.js';
import { runDroneScript } from '../../../../src/pipeline/starlark/drone.js';
import { renderYamlDocuments } from '../../../../src/pipeline/starlark/render-yaml.js';

function context(build: Partial<Record<string, string | boolean>> = {}, params: Record<string, string> = {}): DroneContext {
  return {
    repo: {
      uid: '42', name: 'hello-world', namespace: 'octocat', slug: 'octocat/hello-world', git_http_url: 'https://github.com/octocat/hello-world.git',
      git_ssh_url: 'git@github.com:octocat/hello-world.git', link: 'https://github.com/octocat/hello-world', branch: 'main', config: '.drone.star',
      private: false, visibility: 'public', active: true, trusted: false, protected: false, ignore_forks: false, ignore_pull_requests: false,
    },
    build: {
      event: 'push', action: '', cron: '', environment: '', link: '', branch: 'main', source: 'main', before: 'a1', after: 'b2', target: 'main',
      ref: 'refs/heads/main', commit: 'b2', title: '', message: 'fix things', source_repo: '', author_login: 'octocat', author_name: 'The Octocat',
      author_email: 'octocat@example.com', author_avatar: '', sender: 'octocat', debug: false, ...build,
    },
    params,
    input: {},
  };
}

function run(source: string, ctx = context(), limits: { stepLimit?: number; sizeLimit?: number; timeLimitMs?: number } = {}) {
  return runDroneScript(source, '.drone.star', ctx, limits);
}

const MATRIX = `
versions = ["1.20", "1.21", "1.22"]

def step(name, image, commands):
    return {"name": name, "image": image, "commands": commands}

def pipeline(version):
    return {
        "kind": "pipeline",
        "type": "docker",
        "name": "go-%s" % version,
        "steps": [
            step("test", "golang:" + version, ["go test ./..."]),
            step("build", "golang:{}".format(version), ["go build"]),
        ],
    }

def main(ctx):
    return [pipeline(v) for v in versions]
`;

describe("Drone's starlark contract", () => {
  it('writes a list of dicts as one `---` document each, in Drone\'s JSON form', () => {
    const result = run(MATRIX);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.text.split('---\n').filter(Boolean)).toHaveLength(3);
    expect(result.text.startsWith('---\n{"kind": "pipeline", "type": "docker", "name": "go-1.20", "steps": [{"name": "test", "image": "golang:1.20", "commands": ["go test ./..."]}')).toBe(true);
  });

  it('writes a dict as a single document without a separator', () => {
    const result = run('def main(ctx):\n  return {"kind": "pipeline", "name": "build", "steps": [{"name": "a", "image": "alpine"}]}\n');
    expect(result).toMatchObject({ ok: true, text: '{"kind": "pipeline", "name": "build", "steps": [{"name": "a", "image": "alpine"}]}' });
  });

  it('plans one stage per generated pipeline', async () => {
    const input: PlanInput = {
      path: '.drone.star',
      data: MATRIX,
      trusted: false,
      trigger: { event: 'push', action: '', branch: 'main', ref: 'refs/heads/main', repo: 'octocat/hello-world', target: '', cron: '' },
      starlark: { enabled: true, context: context() },
    };
    const plan = await planBuild(input);
    expect(plan.ok).toBe(true);
    if (plan.ok) expect(plan.stages.map((s) => s.name)).toEqual(['go-1.20', 'go-1.21', 'go-1.22']);
  });

  it('reads a .drone.star as YAML (and says why it fails) when starlark is disabled', async () => {
    const plan = await planBuild({
      path: '.drone.star',
      data: MATRIX,
      trusted: false,
      trigger: { event: 'push', action: '', branch: 'main', ref: 'refs/heads/main', repo: 'octocat/hello-world', target: '', cron: '' },
      starlark: { enabled: false, context: context() },
    });
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.error).toContain('starlark conversion is disabled');
  });

  it('lets a script branch on ctx.build.branch and ctx.build.event', () => {
    const script = `
def main(ctx):
    steps = [{"name": "test", "image": "node", "commands": ["npm test"]}]
    if ctx.build.branch == "main" and ctx.build.event == "push":
        steps.append({"name": "publish", "image": "plugins/npm"})
    if ctx.build.event == "tag":
        steps.append({"name": "release", "image": "plugins/github-release"})
    return {"kind": "pipeline", "name": "default", "steps": steps}
`;
    const names = (ctx: DroneContext) => {
      const r = run(script, ctx);
      if (!r.ok) throw new Error(r.error);
      return [...r.text.matchAll(/"name": "(\w+)", "image"/g)].map((m) => m[1]);
    };
    expect(names(context())).toEqual(['test', 'publish']);
    expect(names(context({ branch: 'feature', target: 'feature' }))).toEqual(['test']);
    expect(names(context({ event: 'tag' }))).toEqual(['test', 'release']);
    expect(names(context({ event: 'pull_request' }))).toEqual(['test']);
  });

  it("exposes exactly the ctx fields Drone fills, as structs", () => {
    const script = 'def main(ctx):\n    return {"ctx": dir(ctx), "repo": dir(ctx.repo), "build": dir(ctx.build), "types": [type(ctx), type(ctx.build.params), type(ctx.repo.private)]}\n';
    const result = run(script);
    if (!result.ok) throw new Error(result.error);
    const fields = JSON.parse(result.text) as Record<string, string[]>;
    expect(fields.ctx).toEqual(['build', 'input', 'repo']);
    expect(fields.repo).toEqual([
      'active', 'branch', 'config', 'git_http_url', 'git_ssh_url', 'ignore_forks', 'ignore_pull_requests', 'link', 'name', 'namespace',
      'private', 'protected', 'slug', 'trusted', 'uid', 'visibility',
    ]);
    expect(fields.build).toEqual([
      'action', 'after', 'author_avatar', 'author_email', 'author_login', 'author_name', 'before', 'branch', 'commit', 'cron', 'debug',
      'environment', 'event', 'link', 'message', 'params', 'ref', 'sender', 'source', 'source_repo', 'target', 'title',
    ]);
    expect(fields.types).toEqual(['struct', 'dict', 'bool']);
    expect(run('def main(ctx):\n    return {"x": ctx.build.brnach}\n')).toEqual({
      ok: false,
      error: '.drone.star:2:27: "build" struct has no .brnach attribute (did you mean .branch?)',
    });
  });

  it('formats ctx.repo.slug and reads params', () => {
    const script = `
def main(ctx):
    owner, name = ctx.repo.slug.split("/")
    return {
        "kind": "pipeline",
        "name": "%s-%s" % (owner, name),
        "steps": [{"name": "echo", "image": "alpine", "commands": ["echo {} {}".format(ctx.repo.slug.upper(), ctx.build.params.get("TARGET", "none"))]}],
    }
`;
    const result = run(script, context({}, { TARGET: 'prod' }));
    expect(result.ok && result.text).toContain('"name": "octocat-hello-world"');
    expect(result.ok && result.text).toContain('"echo OCTOCAT/HELLO-WORLD prod"');
  });

  it('reports fail() as an error with its message, file, line and column', () => {
    const result = run('def main(ctx):\n    if ctx.build.event != "tag":\n        fail("only tags build here:", ctx.build.event)\n    return {}\n');
    expect(result).toEqual({ ok: false, error: '.drone.star:3:13: fail: only tags build here: push' });
  });

  it('counts columns in characters, as Go does, past non-ASCII text', () => {
    expect(run('def main(ctx):\n    return {"é": 1 + "x"}\n')).toEqual({ ok: false, error: '.drone.star:2:20: unknown binary op: int + string' });
  });

  it('reports a resolve error before running anything', () => {
    const result = run('def main(ctx):\n    return {"kind": undefined_name}\n');
    expect(result).toEqual({ ok: false, error: '.drone.star:2:21: undefined: undefined_name' });
  });

  it('stops a script that loops forever at the step limit', () => {
    // No while loops or recursion in Drone's dialect: the longest loops are nested ranges.
    const result = run('def main(ctx):\n    n = 0\n    for i in range(1 << 30):\n        for j in range(1 << 30):\n            n += i * j\n    return {}\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^\.drone\.star:\d+:\d+: Starlark computation cancelled: too many steps$/);
  });

  it('stops a script that works over large data for too long, though within the step limit', () => {
    const script = 'def main(ctx):\n    s = "ab" * (1 << 22)\n    for i in range(1000):\n        s.replace("a", "c")\n    return {}\n';
    const started = performance.now();
    const result = run(script, context(), { timeLimitMs: 300 });
    expect(result).toEqual({ ok: false, error: '.drone.star:4:18: Starlark computation cancelled: took longer than 300 ms' });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('honours a configured step limit', () => {
    const script = 'def main(ctx):\n    return [{"kind": "pipeline", "name": str(i)} for i in range(500)]\n';
    expect(run(script).ok).toBe(true);
    expect(run(script, context(), { stepLimit: 300 }).ok).toBe(false);
  });

  it('refuses output over the size limit', () => {
    const script = 'def main(ctx):\n    return {"kind": "pipeline", "name": "big", "environment": {"BLOB": "x" * 2000000}}\n';
    expect(run(script)).toEqual({ ok: false, error: 'starlark: maximum file size exceeded' });
    expect(run(script.replace('2000000', '100'), context(), { sizeLimit: 10 })).toEqual({ ok: false, error: 'starlark: maximum file size exceeded' });
  });

  it('stops allocations that would exhaust the server\'s memory, and over-nested files, with an error', () => {
    for (const expr of ['list(range(1 << 30))', '"x" * (1 << 30)', '[0] * (1 << 30)']) {
      const result = run(`def main(ctx):\n    x = ${expr}\n    return {}\n`);
      expect(result.ok, expr).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/^\.drone\.star:2:\d+: .*(excessive|too large)/);
    }
    const nested = run('def main(ctx):\n    return ' + '['.repeat(5000) + ']'.repeat(5000) + '\n');
    expect(nested.ok).toBe(false);
  });

  it("answers Drone's errors for a missing or wrong main", () => {
    expect(run('x = 1\n')).toEqual({ ok: false, error: 'starlark: missing main function' });
    expect(run('main = 1\n')).toEqual({ ok: false, error: 'starlark: main must be a function' });
    expect(run('def main(ctx):\n  return "kind: pipeline"\n')).toEqual({ ok: false, error: 'starlark: main returns an invalid type' });
  });

  it('refuses load, recursion and reassigned globals, as Drone does', () => {
    expect(run('load("other.star", "x")\ndef main(ctx):\n  return {}\n')).toEqual({
      ok: false,
      error: '.drone.star:1:1: cannot load other.star: starlark: cannot load external scripts',
    });
    const recursive = run('def f(n):\n  return f(n - 1) if n else 0\ndef main(ctx):\n  f(3)\n  return {}\n');
    expect(!recursive.ok && recursive.error).toMatch(/function f called recursively/);
    expect(run('x = 1\nx = 2\ndef main(ctx):\n  return {}\n')).toEqual({ ok: false, error: '.drone.star:2:1: cannot reassign global x declared at .drone.star:1:1' });
    expect(run('def main(ctx):\n  while True:\n    pass\n')).toEqual({ ok: false, error: '.drone.star:2:3: this Starlark dialect does not support while loops' });
    expect(run('def main(ctx):\n  return {"s": set([1])}\n')).toEqual({ ok: false, error: '.drone.star:2:16: this Starlark dialect does not support set' });
    expect(run('if True:\n  x = 1\ndef main(ctx):\n  return {}\n')).toEqual({ ok: false, error: '.drone.star:1:1: if statement not within a function' });
  });

  it('freezes module globals, so main cannot mutate shared state', () => {
    const result = run('steps = []\ndef main(ctx):\n  steps.append(1)\n  return {}\n');
    expect(!result.ok && result.error).toMatch(/cannot append to frozen list/);
  });

  it('quotes strings as Drone does: %q for plain text, HTML-safe JSON otherwise', () => {
    const result = run('def main(ctx):\n  return {"a": "<b> & é", "b": "line\\nbreak <x>", "c": 1.5, "d": None, "e": True, "f": (1, 2)}\n');
    expect(result).toMatchObject({ ok: true, text: '{"a": "<b> & é", "b": "line\\nbreak \\u003cx\\u003e", "c": 1.5, "d": null, "e": true, "f": [1, 2]}' });
  });

  it('renders documents as YAML for the CLI', () => {
    const result = run(MATRIX);
    if (!result.ok) throw new Error(result.error);
    const yaml = renderYamlDocuments(result.documents);
    expect(yaml.startsWith('---\nkind: pipeline\ntype: docker\nname: go-1.20\nsteps:\n  - name: test\n    image: golang:1.20\n')).toBe(true);
    expect(yaml.match(/^---$/gm)).toHaveLength(3);
  });

  it("runs a Starlark template with the data as ctx.input, matching Drone's own golden output", async () => {
    // drone/drone plugin/converter/testdata: starlark.template.yml, starlark.input.star and its .golden.
    const template = [
      'def main(ctx):',
      '  return {',
      '    "kind": "pipeline",',
      '    "name": "build",',
      '    "steps": [',
      '      {',
      '        "name": ctx.input.stepName,',
      '        "image": ctx.input.image,',
      '        "commands": [',
      '            ctx.input.commands',
      '        ]',
      '      }',
      '    ]',
      '  }',
      '',
    ].join('\n');
    const config = 'kind: template\nload: plugin.starlark\ndata:\n  stepName: my_step\n  image: my_image\n  commands: my_command\n';
    const lookup = async (name: string) => (name === 'plugin.starlark' ? { name, data: template } : undefined);
    const result = await convertTemplate(config, lookup, {}, { context: context() });
    expect(result).toEqual({
      ok: true,
      yaml: '{"kind": "pipeline", "name": "build", "steps": [{"name": "my_step", "image": "my_image", "commands": ["my_command"]}]}',
    });
  });

  it('answers any file, however malformed, with a result or an error, never an exception', () => {
    const token = fc.constantFrom(
      'def', 'main', '(', ')', ':', 'ctx', 'return', 'for', 'in', 'if', 'else', 'lambda', '[', ']', '{', '}', ',', '=', '+=', '+', '*',
      '%', '//', '.', 'x', 'y', '"s"', "'%s'", '1', '0', '1.5', '\n', '\n    ', ' ', 'range', 'len', 'str', 'fail', '**', 'not', 'and', 'or',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
        const result = run(tokens.join(''), context(), { stepLimit: 10_000 });
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
