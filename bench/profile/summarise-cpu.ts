// Sums the self time of V8 CPU profiles (.cpuprofile, as lifecycle.profile.test.ts has the servers write
// them) by where the code lives: Hangar's own folders, each npm package, Node's internals, garbage
// collection. What a profile of a burst prints.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: `src/<folder>`, an npm package, a Node internal, or V8's own work. */
function placeOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `npm ${pkg[1]}`;
  const own = /\/dist\/(?:src\/)?([^/]+)\/?/.exec(url);
  if (own) return `hangar ${own[1]}`;
  if (url.startsWith('node:')) return `node ${url.slice(5).split('/')[0]}`;
  return url;
}

/** Lines of the summary: busy time, then each place's share of it, largest first. */
export function summariseCpuProfiles(dir: string): string[] {
  const totals = new Map<string, number>();
  let all = 0;
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    profile.samples.forEach((id, index) => {
      const place = placeOf(byId.get(id)?.callFrame ?? { functionName: '(unknown)', url: '' });
      const micros = profile.timeDeltas[index] ?? 0;
      totals.set(place, (totals.get(place) ?? 0) + micros);
      all += micros;
    });
  }
  const busy = all - (totals.get('(idle)') ?? 0);
  const lines = [`busy ${(busy / 1e6).toFixed(2)} s of ${(all / 1e6).toFixed(2)} s sampled`];
  for (const [place, micros] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    if (place !== '(idle)') lines.push(`${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${place}`);
  }
  return lines;
}
