// Validating a cron job sent to `POST /api/repos/{owner}/{name}/cron` as Drone does (core/cron.go): the
// name is turned into its slug first, then the expression, the name and the branch are checked in that
// order, with Drone's messages. Lengths are those of Drone's PostgreSQL columns, where Drone itself
// would fail with an internal error.

import { BadRequestError } from '../../core/errors.js';
import type { NewCron } from '../../core/store.js';
import { cronNameSlug } from './cron-name.js';
import { InvalidCronExpression, parseCronExpression } from './schedule.js';

export interface CronInput {
  name?: string;
  expr?: string;
  branch?: string;
}

const MAX_NAME = 50;
const MAX_EXPR = 50;
const MAX_BRANCH = 250;

/** The job to store, with its first fire time after `nowSeconds`; throws BadRequestError. */
export function prepareNewCron(input: CronInput, nowSeconds: number): NewCron {
  const name = cronNameSlug(input.name ?? '');
  const expr = input.expr ?? '';
  const branch = input.branch ?? '';
  const next = firstFireTime(expr, nowSeconds);
  if (name === '') throw new BadRequestError('Invalid Cronjob Name');
  if (name.length > MAX_NAME) throw new BadRequestError(`Invalid Cronjob Name: at most ${MAX_NAME} characters`);
  if (branch === '') throw new BadRequestError('Invalid Cronjob Branch');
  if (branch.length > MAX_BRANCH) throw new BadRequestError(`Invalid Cronjob Branch: at most ${MAX_BRANCH} characters`);
  return { name, expr, branch, next };
}

/** A new branch given to `PATCH …/cron/{cron}`; Drone stores any value, an empty one would never build. */
export function validateCronBranch(branch: string): string {
  if (branch === '') throw new BadRequestError('Invalid Cronjob Branch');
  if (branch.length > MAX_BRANCH) throw new BadRequestError(`Invalid Cronjob Branch: at most ${MAX_BRANCH} characters`);
  return branch;
}

function firstFireTime(expr: string, nowSeconds: number): number {
  if (expr.length > MAX_EXPR) throw new BadRequestError(`Invalid Cronjob Expression: at most ${MAX_EXPR} characters`);
  let next: number | undefined;
  try {
    next = parseCronExpression(expr).next(nowSeconds);
  } catch (err) {
    if (err instanceof InvalidCronExpression) throw new BadRequestError('Invalid Cronjob Expression');
    throw err;
  }
  // Drone accepts an expression that never fires (30 February) and then runs it on every tick.
  if (next === undefined) throw new BadRequestError('Invalid Cronjob Expression: it never fires');
  return next;
}
