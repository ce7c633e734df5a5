// Configurations built to hurt the server: a Jsonnet file that never ends or allocates without bound, a YAML
// "billion laughs" of nested aliases, a YAML nested thousands deep. Each is refused with a clear error within
// a bounded time, and the server's event loop keeps answering meanwhile.

import { describe, expect, it } from 'vitest';
import { convertJsonnet } from '../../../src/pipeline/convert/jsonnet.js';
import { planBuild } from '../../../src/pipeline/plan.js';

const push = { event: 'push', action: '', branch: 'main', ref: 'refs/heads/main', repo: 'octocat/hello', target: '', cron: '' };
const LIMITS = { timeoutMs: 2_000, memoryBytes: 256 * 1024 * 1024 };

/** Counts how often the event loop got a turn while `work` ran: a blocked loop gets none. */
async function whileLoopTicks<T>(work: Promise<T>): Promise<{ result: T; ticks: number }> {
  let ticks = 0;
  const timer = setInterval(() => (ticks += 1), 100);
  try {
    return { result: await work, ticks };
  } finally {
    clearInterval(timer);
  }
}

describe('configurations that never end or never stop growing', () => {
  it('stops a Jsonnet file that recurses forever after its time limit, the event loop free meanwhile', async () => {
    const started = Date.now();
    const { result, ticks } = await whileLoopTicks(convertJsonnet('local f(x) = f(x + 1) tailstrict; f(0)', '.drone.jsonnet', {}, LIMITS));
    expect(result).toEqual({ ok: false, error: '.drone.jsonnet: jsonnet evaluation stopped after 2 s' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(ticks).toBeGreaterThan(5);
  });

  it('stops a Jsonnet file that allocates without bound at its memory limit', async () => {
    const result = await convertJsonnet('std.length(std.makeArray(200000000, function(i) [i, i, i]))', '.drone.jsonnet', {}, LIMITS);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toMatch(/jsonnet evaluation stopped/);
  });

  it('still converts a normal Jsonnet file after those', async () => {
    expect(await convertJsonnet("[{kind: 'pipeline', name: std.extVar('build.branch')}]", '.drone.jsonnet', { 'build.branch': 'main' }, LIMITS)).toEqual({
      ok: true,
      yaml: '---\n{\n   "kind": "pipeline",\n   "name": "main"\n}\n',
    });
  });

  it('refuses a YAML billion laughs instead of expanding it', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    // The last level, in plugin settings (any value goes there, and becomes PLUGIN_* JSON), would be 9^10
    // strings once expanded.
    const data = `kind: pipeline\ntype: docker\nname: bomb\n${levels.join('\n')}\nsteps:\n- name: a\n  image: plugins/x\n  settings:\n    lols: *j\n`;
    const { result, ticks } = await whileLoopTicks(planBuild({ path: '.drone.yml', data, trusted: false, trigger: push }));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toMatch(/alias/i);
    expect(ticks).toBeLessThan(20);
  });

  it('refuses YAML nested thousands deep with a message, not a crash', async () => {
    const depth = 20_000;
    const data = `kind: pipeline\ntype: exec\nname: deep\nx: ${'['.repeat(depth)}${']'.repeat(depth)}\nsteps:\n- name: a\n  commands: [echo]\n`;
    const result = await planBuild({ path: '.drone.yml', data, trusted: false, trigger: push });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).not.toBe('');
  });
});
