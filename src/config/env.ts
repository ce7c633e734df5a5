// Readers for DRONE_* variables with Drone's parsing rules (Go envconfig): booleans as Go's ParseBool,
// durations in Go syntax (`30s`, `1h30m`, `500ms`), lists split on commas, maps as `k1:v1,k2:v2`.
// Every reader throws a ConfigError naming the variable, so a bad value stops the start with a clear message.

import fs from 'node:fs';
import dotenv from 'dotenv';

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/**
 * The process environment plus an optional `.env` file (godotenv semantics: variables already set win).
 * Returns a copy; the process environment is not modified.
 */
export function loadEnv(envFile = '.env', base: Env = process.env): Env {
  const merged: Env = { ...base };
  if (envFile && fs.existsSync(envFile)) {
    const parsed = dotenv.parse(fs.readFileSync(envFile));
    for (const [key, value] of Object.entries(parsed)) {
      if (merged[key] === undefined) merged[key] = value;
    }
  }
  return merged;
}

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function str(env: Env, name: string, fallback = ''): string {
  return raw(env, name) ?? fallback;
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function bool(env: Env, name: string, fallback = false): boolean {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new ConfigError(name, `"${value}" is not a boolean (use true or false)`);
}

export function int(env: Env, name: string, fallback: number, opts: { min?: number; max?: number } = {}): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^[+-]?\d+$/.test(value.trim())) throw new ConfigError(name, `"${value}" is not an integer`);
  const n = Number.parseInt(value, 10);
  if (opts.min !== undefined && n < opts.min) throw new ConfigError(name, `${n} is below the minimum ${opts.min}`);
  if (opts.max !== undefined && n > opts.max) throw new ConfigError(name, `${n} is above the maximum ${opts.max}`);
  return n;
}

export function list(env: Env, name: string, fallback: string[] = []): string[] {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** `k1:v1,k2:v2`, as envconfig reads maps: every pair needs exactly one colon. */
export function map(env: Env, name: string): Record<string, string> {
  const value = raw(env, name);
  const out: Record<string, string> = {};
  if (value === undefined) return out;
  for (const pair of value.split(',')) {
    if (pair.trim() === '') continue;
    const parts = pair.split(':');
    if (parts.length !== 2) throw new ConfigError(name, `"${pair}" is not a key:value pair`);
    out[parts[0].trim()] = parts[1].trim();
  }
  return out;
}

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Parses a Go duration (`1h30m`, `500ms`, `30s`) into milliseconds; throws on anything else. */
export function parseGoDuration(text: string): number {
  const input = text.trim();
  if (input === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let index = 0;
  let sign = 1;
  if (input.startsWith('-') || input.startsWith('+')) {
    sign = input.startsWith('-') ? -1 : 1;
    index = 1;
  }
  if (index >= input.length) throw new Error(`invalid duration "${text}"`);
  while (index < input.length) {
    re.lastIndex = index;
    const match = re.exec(input);
    if (!match) throw new Error(`invalid duration "${text}"`);
    total += Number.parseFloat(match[1]) * UNIT_MS[match[2]];
    index = re.lastIndex;
  }
  return sign * total;
}

export function duration(env: Env, name: string, fallbackMs: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallbackMs;
  try {
    const ms = parseGoDuration(value);
    if (ms < 0) throw new Error(`negative duration "${value}"`);
    return ms;
  } catch {
    throw new ConfigError(name, `"${value}" is not a duration (examples: 500ms, 30s, 1h30m)`);
  }
}

export function oneOf<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(name, `"${value}" is not one of ${choices.join(', ')}`);
}
