// Reading the loosely shaped JSON of provider payloads and API answers without `any`: every accessor
// returns the type it names, or an empty value when the field is missing or of another type.

export type JsonObject = { readonly [key: string]: unknown };

export function asObject(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = asObject(current)[key];
  return current;
}

/** A string at `path`; numbers are given as their decimal text (provider ids are numbers). */
export function text(value: unknown, ...path: string[]): string {
  const found = field(value, ...path);
  if (typeof found === 'string') return found;
  if (typeof found === 'number' && Number.isFinite(found)) return String(found);
  return '';
}

export function num(value: unknown, ...path: string[]): number {
  const found = field(value, ...path);
  if (typeof found === 'number') return found;
  if (typeof found === 'string' && /^-?\d+$/.test(found)) return Number(found);
  return 0;
}

export function flag(value: unknown, ...path: string[]): boolean {
  return field(value, ...path) === true;
}

/** Unix seconds of an ISO date (or of a number of seconds, as GitHub's push payloads have), 0 when absent. */
export function seconds(value: unknown, ...path: string[]): number {
  const found = field(value, ...path);
  if (typeof found === 'number') return found;
  if (typeof found !== 'string' || found === '') return 0;
  const ms = Date.parse(found);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}
