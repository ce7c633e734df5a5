// Drone's skip rule (research/drone-server.md §7.2 step 1): a push or pull request whose message or title
// says `[ci skip]`, `[skip ci]` or `***no_ci***` builds nothing. Tags, crons, custom, promote and rollback
// events are never skipped.

const NEVER_SKIPPED = new Set(['tag', 'cron', 'custom', 'promote', 'rollback']);
const MARKERS = ['[ci skip]', '[skip ci]', '***no_ci***'];

export function shouldSkip(hook: { event: string; message?: string; title?: string }): boolean {
  if (NEVER_SKIPPED.has(hook.event)) return false;
  const text = `${hook.message ?? ''}\n${hook.title ?? ''}`.toLowerCase();
  return MARKERS.some((marker) => text.includes(marker));
}
