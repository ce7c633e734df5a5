// `hangar lint`: output lines and exit codes.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lintCommand, lintFile } from '../../../src/cli/commands/lint.js';

const dir = mkdtempSync(join(tmpdir(), 'hangar-lint-'));

function write(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

async function run(args: string[]): Promise<{ code: number | undefined; out: string[] }> {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  process.exitCode = undefined;
  try {
    await lintCommand().parseAsync(args, { from: 'user' });
    return { code: process.exitCode as number | undefined, out };
  } finally {
    log.mockRestore();
    process.exitCode = undefined;
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('hangar lint', () => {
  it('prints every error as file:line:column: message and exits 1', async () => {
    const file = write('bad.yml', 'kind: pipeline\nsteps:\n- name: a\n  image: alpine\n  privileged: true\n  network_mode: host\n');
    const { code, out } = await run([file]);
    expect(code).toBe(1);
    expect(out).toEqual([
      `${file}:5:3: linter: untrusted repositories cannot enable privileged mode`,
      `${file}:6:3: linter: untrusted repositories cannot configure network_mode`,
    ]);
  });

  it('exits 0 and prints nothing for a good file', async () => {
    const file = write('good.yml', 'kind: pipeline\nsteps:\n- name: a\n  image: alpine\n  commands: [echo hi]\n');
    expect(await run([file])).toEqual({ code: 0, out: [] });
  });

  it('honours --trusted', async () => {
    const file = write('trusted.yml', 'kind: pipeline\nsteps:\n- name: a\n  image: alpine\n  privileged: true\n');
    expect((await run([file])).code).toBe(1);
    expect((await run([file, '--trusted'])).code).toBe(0);
  });

  it('reports YAML errors with their position', async () => {
    const file = write('syntax.yml', 'kind: pipeline\nsteps:\n  - name: a\n   image: x\n');
    const { code, out } = await run([file]);
    expect(code).toBe(1);
    expect(out[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: invalid YAML`));
  });

  it('says when the file cannot be read', async () => {
    const { code, out } = await run([join(dir, 'missing.yml')]);
    expect(code).toBe(1);
    expect(out[0]).toContain('cannot read the file: ENOENT');
  });

  it('converts .drone.jsonnet first, with --var values', async () => {
    const file = write('.drone.jsonnet', "[{kind: 'pipeline', name: std.extVar('build.branch'), steps: [{name: 'a'}]}]");
    const lines = await lintFile(file, { var: ['build.branch=main'] });
    expect(lines).toEqual([`${file} (converted):6:7: linter: invalid or missing image`]);
  });
});
