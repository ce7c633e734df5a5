// Replacing the webhook aimed at this server: whatever the interleaving of two enables (two servers, a
// double click), one hook remains — so a push never builds twice.

import { describe, expect, it } from 'vitest';
import { type HookEndpoints, removeHooks, replaceHook } from '../../../src/scm/internal/hooks.js';

/** A provider's hook list, and one enable's calls to it. */
class Hooks {
  private next = 10;
  readonly all: Array<{ id: number; url: string }> = [{ id: 3, url: 'https://ci.example.com/hook' }, { id: 4, url: 'https://other.example.com/hook' }];
  endpoints(onStep: () => Promise<void>): HookEndpoints {
    return {
      list: async () => (await onStep(), this.all.map((hook) => ({ id: hook.id, config: { url: hook.url } }))),
      targetOf: (hook) => String((hook as { config: { url: string } }).config.url),
      create: async () => (await onStep(), void this.all.push({ id: this.next++, url: 'https://ci.example.com/hook' })),
      remove: async (id) => {
        await onStep();
        const at = this.all.findIndex((hook) => String(hook.id) === id);
        if (at >= 0) this.all.splice(at, 1);
      },
    };
  }
}

/** Two enables advanced step by step in a given order of turns (A or B). */
async function interleave(order: string): Promise<Hooks> {
  const hooks = new Hooks();
  const turns = { A: [] as Array<() => void>, B: [] as Array<() => void> };
  const stepper = (who: 'A' | 'B') => () => new Promise<void>((resolve) => turns[who].push(resolve));
  const a = replaceHook(hooks.endpoints(stepper('A')), 'https://ci.example.com/hook');
  const b = replaceHook(hooks.endpoints(stepper('B')), 'https://ci.example.com/hook');
  const done = Promise.all([a, b]);
  let finished = false;
  void done.then(() => (finished = true));
  for (let i = 0; !finished && i < 200; i++) {
    const who = (order[i % order.length] as 'A' | 'B') ?? 'A';
    const next = turns[who].shift() ?? turns[who === 'A' ? 'B' : 'A'].shift();
    next?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await done;
  return hooks;
}

describe('replacing the webhook', () => {
  it.each(['A', 'AB', 'ABBA', 'AAB', 'BBA', 'ABAB'])('leaves one hook aimed at this server when two enables interleave as %s', async (order) => {
    const hooks = await interleave(order);
    expect(hooks.all.filter((hook) => hook.url.startsWith('https://ci.example.com')).length).toBe(1);
    expect(hooks.all.some((hook) => hook.url.startsWith('https://other.example.com'))).toBe(true);
  });

  it('removes only the hooks aimed at this server', async () => {
    const hooks = new Hooks();
    await removeHooks(hooks.endpoints(async () => {}), 'https://ci.example.com/hook');
    expect(hooks.all).toEqual([{ id: 4, url: 'https://other.example.com/hook' }]);
  });
});
