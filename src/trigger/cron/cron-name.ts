// Cron job names as Drone stores them: the given name turned into its slug (gosimple/slug 1.3's Make,
// which Drone applies before validating). Transliteration of non-Latin scripts is approximated: accents
// are dropped and a few ligatures spelled out; anything else becomes a dash.

const SUBSTITUTIONS: Record<string, string> = {
  '&': 'and',
  '@': 'at',
  '"': '',
  "'": '',
  '’': '',
  '‒': '-',
  '–': '-',
  '—': '-',
  '―': '-',
};

const LETTERS: Record<string, string> = { ß: 'ss', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ł: 'l', Ł: 'L', þ: 'th', Þ: 'TH' };

export function cronNameSlug(name: string): string {
  let slug = '';
  for (const ch of name.trim()) slug += SUBSTITUTIONS[ch] ?? LETTERS[ch] ?? ch;
  slug = slug.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  slug = slug.replace(/[^a-z0-9_-]/g, '-').replace(/-+/g, '-');
  return slug.replace(/^-+|-+$/g, '');
}
