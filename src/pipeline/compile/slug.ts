// Script file names of the exec runner: the step name slugged like gosimple/slug (transliterated, lower
// case, runs of other characters turned into one dash). Unlike Drone we keep names unique within a stage:
// two steps whose names slug alike ("a b", "a-b") would otherwise overwrite each other's script.

const SUBSTITUTIONS: Record<string, string> = { '&': 'and', '@': 'at', '"': '', "'": '', '’': '' };

export function slugify(name: string): string {
  let s = '';
  for (const ch of name) s += SUBSTITUTIONS[ch] ?? ch;
  s = s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  s = s.replace(/[^a-z0-9_-]+/g, '-').replace(/-+/g, '-');
  return s.replace(/^[-_]+|[-_]+$/g, '');
}

/** Gives each name a distinct slug, suffixing repeats with -2, -3... */
export function uniqueSlugs(names: string[]): string[] {
  const used = new Set<string>(['clone']);
  return names.map((name) => {
    const base = slugify(name) || 'step';
    let slug = base;
    for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`;
    used.add(slug);
    return slug;
  });
}
