// `hangar starlark [file]` as a user runs it: the generated documents as YAML on stdout, the build context
// from flags, and a script error on stderr with file, line and column and a non-zero exit code.
// Runs the built CLI (dist/, made by `npm run build`, which `npm test` runs first).

import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { shmTempDir } from '../../../support/shm.js';

const HANGAR = fileURLToPath(new URL('../../../../bin/hangar.js', import.meta.url));

const SCRIPT = `
def pipeline(name, image):
    return {"kind": "pipeline", "type": "docker", "name": name, "steps": [{"name": "test", "image": image}]}

def main(ctx):
    out = [pipeline("node-%d" % v, "node:%d" % v) for v in [18, 20]]
    if ctx.build.event == "tag":
        out.append(pipeline("release-" + ctx.build.ref.split("/")[-1], "plugins/github-release"))
    out.append({"kind": "pipeline", "name": "info", "steps": [{"name": "echo", "image": "alpine",
        "commands": ["echo %s %s %s %s" % (ctx.repo.slug, ctx.build.branch, ctx.build.commit, ctx.build.params.get("DEPLOY", "-"))]}]})
    return out
`;

function hangar(cwd: string, args: string[], command = 'starlark'): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [HANGAR, command, ...args], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('hangar starlark', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await shmTempDir('hangar-starlark-');
    await writeFile(join(dir, '.drone.star'), SCRIPT);
    await writeFile(join(dir, 'broken.star'), 'def main(ctx):\n    return {"kind": "pipeline", "name": "x" + 1}\n');
    await writeFile(join(dir, 'unlinted.star'), 'def main(ctx):\n    return {"kind": "pipeline", "name": "a", "steps": [{"name": "s", "image": "alpine", "privileged": True}]}\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the generated documents of .drone.star as YAML, --- separated', async () => {
    const { code, stdout } = await hangar(dir, ['--repo', 'acme/web', '--branch', 'develop', '--commit', 'abc123', '--param', 'DEPLOY=staging']);
    expect(code).toBe(0);
    expect(stdout.startsWith('---\nkind: pipeline\ntype: docker\nname: node-18\n')).toBe(true);
    const docs = YAML.parseAllDocuments(stdout).map((d) => d.toJS() as { name: string; steps: Array<{ commands?: string[] }> });
    expect(docs.map((d) => d.name)).toEqual(['node-18', 'node-20', 'info']);
    expect(docs[2].steps[0].commands).toEqual(['echo acme/web develop abc123 staging']);
  });

  it('takes the event and ref from flags', async () => {
    const { code, stdout } = await hangar(dir, ['.drone.star', '--event', 'tag', '--ref', 'refs/tags/v1.2.0']);
    expect(code).toBe(0);
    expect(YAML.parseAllDocuments(stdout).map((d) => (d.toJS() as { name: string }).name)).toEqual(['node-18', 'node-20', 'release-v1.2.0', 'info']);
  });

  it('prints the exact text the server builds from with --raw', async () => {
    const { code, stdout } = await hangar(dir, ['--raw']);
    expect(code).toBe(0);
    expect(stdout.startsWith('---\n{"kind": "pipeline", "type": "docker", "name": "node-18", "steps": [{"name": "test", "image": "node:18"}]}\n---\n')).toBe(true);
  });

  it('exits non-zero with the error, file, line and column', async () => {
    const { code, stdout, stderr } = await hangar(dir, ['broken.star']);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe('broken.star:2:45: unknown binary op: string + int');
  });

  it('lets `hangar lint` check the documents a .drone.star generates', async () => {
    expect(await hangar(dir, ['.drone.star'], 'lint')).toMatchObject({ code: 0, stdout: '' });
    const untrusted = await hangar(dir, ['unlinted.star'], 'lint');
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toMatch(/^unlinted\.star \(converted\):\d+:\d+: .*privileged/m);
    const broken = await hangar(dir, ['broken.star'], 'lint');
    expect(broken).toMatchObject({ code: 1, stdout: 'broken.star:2:45: unknown binary op: string + int\n' });
  });
});
