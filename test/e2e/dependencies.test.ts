// What can be checked of the production dependencies without an advisory service (docs/SECURITY.md): each is
// pinned to an exact version, that version is not deprecated on the npm registry and was published within
// the last two years — or docs/SECURITY.md lists it under "Kept on purpose" with its reason.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { dependencies: Record<string, string> };
const security = readFileSync(new URL('docs/SECURITY.md', root), 'utf8');
const keptOnPurpose = new Set([...security.slice(security.indexOf('Kept on purpose')).matchAll(/^- `([^`]+)`/gm)].map((match) => match[1]));
const TWO_YEARS_MS = 2 * 365.25 * 24 * 3600 * 1000;

interface RegistryDocument {
  time: Record<string, string>;
  versions: Record<string, { deprecated?: string }>;
}

describe('production dependencies', () => {
  it('are pinned to exact versions', () => {
    for (const [name, version] of Object.entries(pkg.dependencies)) expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('are neither deprecated nor older than two years, unless docs/SECURITY.md says why they stay', async () => {
    const findings = await Promise.all(
      Object.entries(pkg.dependencies).map(async ([name, version]) => {
        const response = await fetch(`https://registry.npmjs.org/${name.replace('/', '%2f')}`, { signal: AbortSignal.timeout(30_000) });
        const document = (await response.json()) as RegistryDocument;
        const deprecated = document.versions[version]?.deprecated;
        const age = Date.now() - Date.parse(document.time[version]);
        if (deprecated) return `${name}@${version} is deprecated: ${deprecated}`;
        if (!(age < TWO_YEARS_MS) && !keptOnPurpose.has(name)) return `${name}@${version} was published ${(age / (365.25 * 24 * 3600 * 1000)).toFixed(1)} years ago`;
        return undefined;
      }),
    );
    expect(findings.filter(Boolean)).toEqual([]);
    for (const name of keptOnPurpose) expect(Object.keys(pkg.dependencies), `docs/SECURITY.md keeps ${name}, which is not a dependency`).toContain(name);
  });
});
