// The glob matcher Drone uses for `when` and `trigger` values: bmatcuk/doublestar v1.1.1 `Match` with `/`
// as the separator. No npm glob library has the same rules, and users' conditions depend on the details:
//
//   - `*` matches any run of non-separator characters, `?` one character;
//   - `**` as a whole path component matches any number of components, but `a/**` needs at least one
//     more component (it does not match `a`);
//   - `[abc]`, `[a-z]`, `[^a-z]` classes (negation is `^`), `{a,b}` alternatives, `\` escapes;
//   - a trailing `/` in the pattern or the name is dropped (a quirk of the splitter);
//   - the whole name must match; a malformed pattern matches nothing.

export class BadPatternError extends Error {
  constructor() {
    super('syntax error in pattern');
  }
}

/** Whether `name` matches the doublestar-v1 `pattern`; malformed patterns never match. */
export function globMatch(pattern: string, name: string): boolean {
  try {
    return matchPath(pattern, name);
  } catch (err) {
    if (err instanceof BadPatternError) return false;
    throw err;
  }
}

/** Like globMatch but throws BadPatternError for a malformed pattern (as doublestar reports it). */
export function matchPath(pattern: string, name: string): boolean {
  return matchComponents(splitOnSeparator(Array.from(pattern), '/'), splitOnSeparator(Array.from(name), '/'));
}

type Runes = string[];

function splitOnSeparator(path: Runes, separator: string): Runes[] {
  if (!path.includes(separator)) return [path];
  const parts: Runes[] = [];
  let start = 0;
  while (start < path.length) {
    let end = indexWithEscaping(path, separator, start);
    if (end === -1) end = path.length;
    parts.push(path.slice(start, end));
    start = end + 1;
  }
  return parts;
}

/** The index of `r` at or after `from` that is not preceded by a backslash, or -1. */
function indexWithEscaping(s: Runes, r: string, from: number): number {
  let end = s.indexOf(r, from);
  while (end > from && s[end - 1] === '\\') {
    end = s.indexOf(r, end + 1);
  }
  return end;
}

function matchComponents(pattern: Runes[], name: Runes[]): boolean {
  if (pattern.length === 0 && name.length === 0) return true;
  if (pattern.length === 0 || name.length === 0) return false;
  let p = 0;
  let n = 0;
  while (p < pattern.length && n < name.length) {
    if (isDoubleStar(pattern[p])) {
      p++;
      if (p >= pattern.length) return true;
      for (; n < name.length; n++) {
        if (safeMatchComponents(pattern.slice(p), name.slice(n))) return true;
      }
      return false;
    }
    if (!matchComponent(pattern[p], name[n])) return false;
    p++;
    n++;
  }
  return p >= pattern.length && n >= name.length;
}

// doublestar ignores errors from the recursive calls after a `**` component.
function safeMatchComponents(pattern: Runes[], name: Runes[]): boolean {
  try {
    return matchComponents(pattern, name);
  } catch (err) {
    if (err instanceof BadPatternError) return false;
    throw err;
  }
}

function isDoubleStar(component: Runes): boolean {
  return component.length === 2 && component[0] === '*' && component[1] === '*';
}

function matchComponent(pattern: Runes, name: Runes): boolean {
  if (pattern.length === 0 && name.length === 0) return true;
  if (pattern.length === 0) return false;
  if (name.length === 0 && !(pattern.length === 1 && pattern[0] === '*')) return false;
  let p = 0;
  let n = 0;
  while (p < pattern.length && n < name.length) {
    const pr = pattern[p];
    if (pr === '\\') {
      p++;
      if (p >= pattern.length) throw new BadPatternError();
      if (pattern[p] !== name[n]) return false;
      p++;
      n++;
    } else if (pr === '*') {
      p++;
      if (p >= pattern.length) return true;
      for (; n < name.length; n++) {
        if (safeMatchComponent(pattern.slice(p), name.slice(n))) return true;
      }
      return false;
    } else if (pr === '[') {
      p++;
      const endClass = indexWithEscaping(pattern, ']', p);
      if (endClass === -1) throw new BadPatternError();
      if (!matchClass(pattern.slice(p, endClass), name[n])) return false;
      p = endClass + 1;
      n++;
    } else if (pr === '{') {
      p++;
      const endOptions = indexWithEscaping(pattern, '}', p);
      if (endOptions === -1) throw new BadPatternError();
      const options = splitOnSeparator(pattern.slice(p, endOptions), ',');
      const rest = pattern.slice(endOptions + 1);
      for (const option of options) {
        if (matchComponent([...option, ...rest], name.slice(n))) return true;
      }
      return false;
    } else if (pr === '?' || pr === name[n]) {
      p++;
      n++;
    } else {
      return false;
    }
  }
  if (p >= pattern.length && n >= name.length) return true;
  const rest = pattern.slice(p).join('');
  return (n >= name.length && rest === '*') || rest === '**';
}

function safeMatchComponent(pattern: Runes, name: Runes): boolean {
  try {
    return matchComponent(pattern, name);
  } catch (err) {
    if (err instanceof BadPatternError) return false;
    throw err;
  }
}

function matchClass(cls: Runes, r: string): boolean {
  if (cls.length === 0) throw new BadPatternError();
  const negated = cls[0] === '^';
  let i = negated ? 1 : 0;
  let matched = false;
  while (i < cls.length) {
    let low = cls[i];
    if (low === '-') throw new BadPatternError();
    i++;
    if (low === '\\') {
      if (i >= cls.length) throw new BadPatternError();
      low = cls[i++];
    }
    let high = low;
    if (i < cls.length && cls[i] === '-') {
      i++;
      if (i >= cls.length) throw new BadPatternError();
      high = cls[i];
      if (high === '-') throw new BadPatternError();
      i++;
      if (high === '\\') {
        if (i >= cls.length) throw new BadPatternError();
        high = cls[i++];
      }
    }
    const code = r.codePointAt(0) ?? 0;
    if ((low.codePointAt(0) ?? 0) <= code && code <= (high.codePointAt(0) ?? 0)) matched = true;
  }
  return matched !== negated;
}
