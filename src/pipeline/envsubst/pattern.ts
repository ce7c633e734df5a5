// The shell pattern matcher envsubst uses for `${v#pattern}` and friends: a copy of Go's `path.Match`
// in which `*` and `?` also match `/`. Returns undefined for a malformed pattern.

class BadPattern extends Error {}

export function shellPatternMatch(pattern: string, name: string): boolean | undefined {
  try {
    return match(Array.from(pattern), Array.from(name));
  } catch (err) {
    if (err instanceof BadPattern) return undefined;
    throw err;
  }
}

function match(pattern: string[], name: string[]): boolean {
  outer: while (pattern.length > 0) {
    const { star, chunk, rest } = scanChunk(pattern);
    pattern = rest;
    if (star && chunk.length === 0) return true;
    const first = matchChunk(chunk, name);
    if (first.ok && (first.rest.length === 0 || pattern.length > 0)) {
      name = first.rest;
      continue;
    }
    if (first.error) throw new BadPattern();
    if (star) {
      for (let i = 0; i < name.length; i++) {
        const next = matchChunk(chunk, name.slice(i + 1));
        if (next.ok) {
          if (pattern.length === 0 && next.rest.length > 0) continue;
          name = next.rest;
          continue outer;
        }
        if (next.error) throw new BadPattern();
      }
    }
    return false;
  }
  return name.length === 0;
}

function scanChunk(pattern: string[]): { star: boolean; chunk: string[]; rest: string[] } {
  let star = false;
  while (pattern.length > 0 && pattern[0] === '*') {
    pattern = pattern.slice(1);
    star = true;
  }
  let inRange = false;
  let i = 0;
  scan: for (; i < pattern.length; i++) {
    switch (pattern[i]) {
      case '\\':
        if (i + 1 < pattern.length) i++;
        break;
      case '[':
        inRange = true;
        break;
      case ']':
        inRange = false;
        break;
      case '*':
        if (!inRange) break scan;
        break;
    }
  }
  return { star, chunk: pattern.slice(0, i), rest: pattern.slice(i) };
}

interface ChunkResult {
  rest: string[];
  ok: boolean;
  error: boolean;
}

function matchChunk(chunk: string[], s: string[]): ChunkResult {
  const fail = (error = false): ChunkResult => ({ rest: [], ok: false, error });
  while (chunk.length > 0) {
    if (s.length === 0) return fail();
    switch (chunk[0]) {
      case '[': {
        const r = s[0];
        s = s.slice(1);
        chunk = chunk.slice(1);
        let negated = false;
        if (chunk.length > 0 && chunk[0] === '^') {
          negated = true;
          chunk = chunk.slice(1);
        }
        let matched = false;
        let ranges = 0;
        for (;;) {
          if (chunk.length > 0 && chunk[0] === ']' && ranges > 0) {
            chunk = chunk.slice(1);
            break;
          }
          const lo = getEsc(chunk);
          if (!lo) return fail(true);
          chunk = lo.rest;
          let hi = lo.r;
          if (chunk[0] === '-') {
            const h = getEsc(chunk.slice(1));
            if (!h) return fail(true);
            hi = h.r;
            chunk = h.rest;
          }
          if (lo.r <= r && r <= hi) matched = true;
          ranges++;
        }
        if (matched === negated) return fail();
        break;
      }
      case '?':
        s = s.slice(1);
        chunk = chunk.slice(1);
        break;
      default: {
        if (chunk[0] === '\\') {
          chunk = chunk.slice(1);
          if (chunk.length === 0) return fail(true);
        }
        if (chunk[0] !== s[0]) return fail();
        s = s.slice(1);
        chunk = chunk.slice(1);
      }
    }
  }
  return { rest: s, ok: true, error: false };
}

function getEsc(chunk: string[]): { r: string; rest: string[] } | undefined {
  if (chunk.length === 0 || chunk[0] === '-' || chunk[0] === ']') return undefined;
  if (chunk[0] === '\\') {
    chunk = chunk.slice(1);
    if (chunk.length === 0) return undefined;
  }
  const rest = chunk.slice(1);
  if (rest.length === 0) return undefined;
  return { r: chunk[0], rest };
}
