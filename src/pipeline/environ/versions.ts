// DRONE_SEMVER_* and DRONE_CALVER_* for tag builds (runner-go environ/semver.go and calver.go, with
// coreos/go-semver's strict parser and its error texts).

import { goQuote } from '../internal/go-format.js';

export function semverVariables(tag: string): Record<string, string> {
  const parsed = parseSemver(tag.startsWith('v') ? tag.slice(1) : tag);
  if ('error' in parsed) return { DRONE_SEMVER_ERROR: parsed.error };
  const { major, minor, patch, preRelease, metadata } = parsed;
  const short = `${major}.${minor}.${patch}`;
  const env: Record<string, string> = {
    DRONE_SEMVER: short + (preRelease ? `-${preRelease}` : '') + (metadata ? `+${metadata}` : ''),
    DRONE_SEMVER_MAJOR: String(major),
    DRONE_SEMVER_MINOR: String(minor),
    DRONE_SEMVER_PATCH: String(patch),
    DRONE_SEMVER_SHORT: short,
  };
  if (preRelease) env.DRONE_SEMVER_PRERELEASE = preRelease;
  if (metadata) env.DRONE_SEMVER_BUILD = metadata;
  return env;
}

type Semver = { major: bigint; minor: bigint; patch: bigint; preRelease: string; metadata: string };

const IDENTIFIER = /^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/;
const INT64_MAX = (1n << 63n) - 1n;

function parseSemver(input: string): Semver | { error: string } {
  let version = input;
  const [beforeMeta, metadata = ''] = splitOff(version, '+');
  version = beforeMeta;
  const [beforePre, preRelease = ''] = splitOff(version, '-');
  version = beforePre;
  const parts = splitN(version, '.', 3);
  if (parts.length !== 3) return { error: `${version} is not in dotted-tri format` };
  if (preRelease !== '' && !IDENTIFIER.test(preRelease)) {
    return { error: `failed to validate pre-release: ${preRelease} is not a valid semver identifier` };
  }
  if (metadata !== '' && !IDENTIFIER.test(metadata)) {
    return { error: `failed to validate metadata: ${metadata} is not a valid semver identifier` };
  }
  const numbers: bigint[] = [];
  for (const part of parts) {
    if (!/^[+-]?[0-9]+$/.test(part)) return { error: `strconv.ParseInt: parsing ${goQuote(part)}: invalid syntax` };
    const value = BigInt(part);
    if (value > INT64_MAX || value < -INT64_MAX - 1n) {
      return { error: `strconv.ParseInt: parsing ${goQuote(part)}: value out of range` };
    }
    numbers.push(value);
  }
  return { major: numbers[0], minor: numbers[1], patch: numbers[2], preRelease, metadata };
}

/** Go's strings.SplitN(s, sep, 2) as used by go-semver's splitOff: [before, after] or [s]. */
function splitOff(s: string, delim: string): [string, string?] {
  const at = s.indexOf(delim);
  return at < 0 ? [s] : [s.slice(0, at), s.slice(at + delim.length)];
}

function splitN(s: string, sep: string, n: number): string[] {
  const parts: string[] = [];
  let rest = s;
  while (parts.length < n - 1) {
    const at = rest.indexOf(sep);
    if (at < 0) break;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + sep.length);
  }
  parts.push(rest);
  return parts;
}

export function calverVariables(tag: string): Record<string, string> {
  const version = parseCalver(tag.startsWith('v') ? tag.slice(1) : tag);
  if (!version || !isYear(version.major)) return {};
  const short = calverString({ ...version, modifier: '' });
  const env: Record<string, string> = {
    DRONE_CALVER: calverString(version),
    DRONE_CALVER_MAJOR_MINOR: `${version.major}.${version.minor}`,
    DRONE_CALVER_MAJOR: version.major,
    DRONE_CALVER_MINOR: version.minor,
    DRONE_CALVER_MICRO: version.micro,
    DRONE_CALVER_SHORT: short,
  };
  if (version.modifier) env.DRONE_CALVER_MODIFIER = version.modifier;
  return env;
}

interface Calver {
  major: string;
  minor: string;
  micro: string;
  modifier: string;
}

function parseCalver(s: string): Calver | undefined {
  const parts = splitN(s, '.', 3);
  if (parts.length < 2) return undefined;
  const version: Calver = { major: parts[0], minor: parts[1], micro: parts[2] ?? '', modifier: '' };
  if (version.micro.includes('-')) {
    const [micro, modifier] = splitN(version.micro, '-', 2);
    version.micro = micro;
    version.modifier = modifier;
  }
  if (!isGoInt(version.major) || !isGoInt(version.minor)) return undefined;
  return version;
}

function calverString(v: Calver): string {
  let out = `${v.major}.${v.minor}`;
  if (v.micro !== '') out += `.${v.micro}`;
  if (v.modifier !== '') out += `-${v.modifier}`;
  return out;
}

function isGoInt(s: string): boolean {
  return /^[+-]?[0-9]+$/.test(s) && BigInt(s) <= INT64_MAX && BigInt(s) >= -INT64_MAX - 1n;
}

function isYear(s: string): boolean {
  const i = isGoInt(s) ? Number(s) : 0;
  return (i > 18 && i < 100) || (i > 2018 && i < 9999);
}
