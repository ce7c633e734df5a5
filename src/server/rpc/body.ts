// Runner bodies arrive without Content-Type (runner-go sets none): the RPC plugin keeps them as raw bytes
// and each handler parses JSON itself; bad JSON is a 400 with a message.

import { BadRequestError } from '../../core/errors.js';
import { isDone, isStatus } from '../../core/status.js';
import type { Line, Stage, Step } from '../../core/types.js';

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

/** A runner's report of a stage or a step: its id and its status are required, the rest has defaults. */
export function parseReport<T extends Stage | Step>(body: unknown, what: 'stage' | 'step'): T {
  const report = parseObject<T>(body, what);
  if (!Number.isInteger(report.id) || report.id <= 0) throw new BadRequestError(`${what}: id must be a positive integer`);
  if (!isStatus(report.status)) throw new BadRequestError(`${what} ${report.id}: unknown status ${JSON.stringify(report.status)}`);
  return report;
}

/** A stage's report; a final one must also say how each of its steps ended. */
export function parseStageReport(body: unknown): Stage {
  const stage = parseReport<Stage>(body, 'stage');
  if (isDone(stage.status)) {
    for (const step of stage.steps ?? []) {
      if (!isStatus(step?.status)) throw new BadRequestError(`stage ${stage.id}: step ${step?.id}: unknown status ${JSON.stringify(step?.status)}`);
    }
  }
  return stage;
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
