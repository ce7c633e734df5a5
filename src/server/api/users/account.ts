// What the user routes share: the request bodies, finding the named account, and turning a store write
// into the answer (research/drone-server.md §4.6: a login is 1–50 bytes of letters, digits, `.`, `_`, `-`).
// drone-go sends its whole User struct and drone-node its whole user object: unknown keys are ignored, and
// null counts as absent.

import { z } from 'zod';
import type { UserWrite } from '../../../core/store.js';
import type { User } from '../../../core/types.js';
import type { ServerContext } from '../../context.js';
import { conflict, notFound } from '../errors.js';

/** The widths of Drone's users columns (PostgreSQL). */
const EMAIL_MAX = 500;
const AVATAR_MAX = 2000;
const TOKEN_MAX = 500;

const flag = z.boolean().nullish();
const email = z.string().max(EMAIL_MAX).nullish();
const token = z.string().max(TOKEN_MAX).nullish();

export const Login = z
  .string()
  .min(1, 'Invalid username length')
  .max(50, 'Invalid username length')
  .regex(/^[.a-zA-Z0-9_-]+$/, 'Invalid character in username');

export const CreateUserBody = z.object({
  login: Login,
  email,
  avatar: z.string().max(AVATAR_MAX).nullish(),
  /** drone-go's name for the avatar. */
  avatar_url: z.string().max(AVATAR_MAX).nullish(),
  admin: flag,
  machine: flag,
  /** Accepted and ignored, as by Drone: a created account is active (drone-go always sends `active: false`). */
  active: flag,
  token,
});

/** An admin's change of an account: admin and active as Drone applies them; machine and a new token as drone-go's UserPatch carries them. */
export const UpdateUserBody = z
  .object({ admin: flag, active: flag, machine: flag, token })
  .nullish()
  .transform((body) => ({
    admin: body?.admin ?? undefined,
    active: body?.active ?? undefined,
    machine: body?.machine ?? undefined,
    token: body?.token || undefined,
  }));

/** The user's own change: only the email, as under Drone. */
export const UpdateSelfBody = z
  .object({ email })
  .nullish()
  .transform((body) => ({ email: body?.email ?? undefined }));

/** The account named by login or, as Drone also accepts, by numeric id. */
export async function loadUser(ctx: ServerContext, login: string): Promise<User> {
  const user = await ctx.store.users.findByLogin(login);
  if (user) return user;
  const id = /^[1-9][0-9]{0,15}$/.test(login) ? Number(login) : 0;
  const byId = id > 0 ? await ctx.store.users.find(id) : undefined;
  if (!byId) throw notFound();
  return byId;
}

/** The written account and its API token, or the reason it was refused. */
export function written(result: UserWrite): { user: User; token: string } {
  if (result.kind === 'not_found') throw notFound();
  if (result.kind === 'conflict') throw conflict(result.field === 'login' ? 'a user with this login already exists' : 'this token is in use by another account');
  return { user: result.user, token: result.token };
}
