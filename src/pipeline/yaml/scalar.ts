// Scalar resolution as go-yaml v2 (the decoder inside Drone) does it: YAML 1.1 booleans (yes/no/on/off...),
// nulls, ints with any Go base prefix and underscores, floats. We parse documents with the `yaml` library's
// failsafe schema (every scalar a string) and resolve here, so that e.g. `version: 1.10` reaches a string
// field as "1.10" but a plugin setting as the float 1.1 — exactly as Drone sees them.

export type ResolvedScalar =
  | { tag: '!!null'; value: null }
  | { tag: '!!bool'; value: boolean }
  | { tag: '!!int'; value: bigint }
  | { tag: '!!float'; value: number }
  | { tag: '!!str'; value: string }
  | { tag: '!!binary'; value: string }
  | { tag: string; value: string };

export class TagMismatchError extends Error {}

const LONG_PREFIX = 'tag:yaml.org,2002:';

export function shortTag(tag: string): string {
  return tag.startsWith(LONG_PREFIX) ? '!!' + tag.slice(LONG_PREFIX.length) : tag;
}

const BOOLS: Record<string, boolean> = {};
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) BOOLS[s] = true;
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) BOOLS[s] = false;
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS: Record<string, number> = {
  '.nan': NaN,
  '.NaN': NaN,
  '.NAN': NaN,
  '.inf': Infinity,
  '.Inf': Infinity,
  '.INF': Infinity,
  '+.inf': Infinity,
  '+.Inf': Infinity,
  '+.INF': Infinity,
  '-.inf': -Infinity,
  '-.Inf': -Infinity,
  '-.INF': -Infinity,
};
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const RESOLVABLE = new Set(['', '!!str', '!!bool', '!!int', '!!float', '!!null', '!!timestamp']);

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

/**
 * Resolves a scalar's text. `tag` is '' for a plain scalar without tag, '!!str' for quoted and block
 * scalars, or the explicit tag in short form.
 */
export function resolveScalar(tag: string, text: string): ResolvedScalar {
  if (tag === '!!binary') return { tag, value: Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('latin1') };
  if (!RESOLVABLE.has(tag)) return { tag, value: text };
  const resolved = tag === '!!str' ? ({ tag: '!!str', value: text } as const) : resolveImplicit(text);
  if (tag === '' || tag === '!!str' || tag === resolved.tag) return resolved;
  if (tag === '!!float' && resolved.tag === '!!int') return { tag: '!!float', value: Number(resolved.value) };
  if (tag === '!!timestamp' && resolved.tag === '!!str') return resolved;
  throw new TagMismatchError(`cannot decode ${resolved.tag} \`${text}\` as a ${tag}`);
}

function resolveImplicit(text: string): ResolvedScalar {
  if (Object.prototype.hasOwnProperty.call(BOOLS, text)) return { tag: '!!bool', value: BOOLS[text] };
  if (NULLS.has(text)) return { tag: '!!null', value: null };
  if (Object.prototype.hasOwnProperty.call(SPECIAL_FLOATS, text)) return { tag: '!!float', value: SPECIAL_FLOATS[text] };
  const first = text[0];
  if (first === '.') {
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text)) return { tag: '!!float', value: Number(text) };
    return { tag: '!!str', value: text };
  }
  if (first === '+' || first === '-' || (first >= '0' && first <= '9')) {
    const plain = text.replace(/_/g, '');
    const int = parseGoInt(plain);
    if (int !== undefined && int >= INT64_MIN && int <= INT64_MAX) return { tag: '!!int', value: int };
    if (int !== undefined && int >= 0n && int <= UINT64_MAX && !plain.startsWith('+')) return { tag: '!!int', value: int };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = Number(plain);
      if (Number.isFinite(f)) return { tag: '!!float', value: f };
    }
  }
  return { tag: '!!str', value: text };
}

/** Go's `strconv.ParseInt(s, 0, 64)` syntax (without the range check): sign, then 0x/0o/0b/0 prefixes. */
function parseGoInt(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1n : 1n;
  const body = m[2];
  let value: bigint;
  if (/^0[xX]/.test(body)) value = BigInt('0x' + body.slice(2));
  else if (/^0[oO]/.test(body)) value = BigInt('0o' + body.slice(2));
  else if (/^0[bB]/.test(body)) value = BigInt('0b' + body.slice(2));
  else if (body.length > 1 && body[0] === '0') value = BigInt('0o' + body.slice(1));
  else value = BigInt(body);
  return sign * value;
}

export function isInt64(value: bigint): boolean {
  return value >= INT64_MIN && value <= INT64_MAX;
}
