// Replacing a repository's webhook aimed at this server, the same on every provider: remove the hooks whose
// target has this server's host (a repair, a moved server), create one, then — because two enables on two
// servers can each create one — keep only the newest (the highest id) of those aimed at this host. Every
// interleaving of two enables ends with exactly one hook, so a push never builds twice.

import { text } from './json.js';

export interface HookEndpoints {
  /** The repository's hooks as the provider lists them. */
  list(): Promise<unknown[]>;
  /** Where a listed hook delivers. */
  targetOf(hook: unknown): string;
  create(): Promise<void>;
  remove(id: string): Promise<void>;
}

export async function replaceHook(endpoints: HookEndpoints, url: string): Promise<void> {
  await removeHooks(endpoints, url);
  await endpoints.create();
  const ours = await hooksAimedAt(endpoints, url);
  const newest = ours.reduce((best, id) => (Number(id) > Number(best) ? id : best), ours[0] ?? '');
  for (const id of ours) if (id !== newest) await endpoints.remove(id);
}

export async function removeHooks(endpoints: HookEndpoints, url: string): Promise<void> {
  for (const id of await hooksAimedAt(endpoints, url)) await endpoints.remove(id);
}

async function hooksAimedAt(endpoints: HookEndpoints, url: string): Promise<string[]> {
  const host = new URL(url).host;
  return (await endpoints.list()).filter((hook) => sameHost(endpoints.targetOf(hook), host)).map((hook) => text(hook, 'id'));
}

function sameHost(url: string, host: string): boolean {
  try {
    return new URL(url).host === host;
  } catch {
    return false;
  }
}
