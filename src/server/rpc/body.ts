// Runner bodies arrive without Content-Type (runner-go sets none): the RPC plugin keeps them as raw bytes
// and each handler parses JSON itself; bad JSON is a 400 with a message.

import { BadRequestError } from '../../core/errors.js';
import type { Line } from '../../core/types.js';

export function parseJson(body: unknown): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`invalid JSON body: ${(err as Error).message}`);
  }
}

export function parseObject<T>(body: unknown, what: string): T {
  const value = parseJson(body);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new BadRequestError(`${what}: expected a JSON object`);
  return value as T;
}

/** A JSON array of `{pos, out, time}` lines; anything else is a 400. */
export function parseLines(body: unknown): Line[] {
  const value = parseJson(body);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BadRequestError('expected a JSON array of log lines');
  return value.map((item, index) => {
    if (item === null || typeof item !== 'object') throw new BadRequestError(`line ${index}: expected an object`);
    const { pos, out, time } = item as Record<string, unknown>;
    if (!Number.isInteger(pos) || (pos as number) < 0) throw new BadRequestError(`line ${index}: pos must be a non-negative integer`);
    return { pos: pos as number, out: typeof out === 'string' ? out : String(out ?? ''), time: Number.isFinite(time) ? Math.trunc(time as number) : 0 };
  });
}

/** A numeric route parameter (ids); anything else is a 400. */
export function idParam(value: unknown, name: string): number {
  const text = String(value ?? '');
  if (!/^\d+$/.test(text)) throw new BadRequestError(`${name} must be a number`);
  return Number(text);
}
