// Secret bodies of repository and organisation secrets (research/drone-server.md §4.8): names of letters,
// digits, `-`, `_` and `.`; values never leave the server through the API. Clients send null for fields
// they leave unchanged (drone-go's structs), so null counts as absent; so does a missing body.

import { z } from 'zod';
import type { Secret } from '../../../core/types.js';
import { RepoParams } from '../schemas.js';

export const SECRET_NAME = /^[a-zA-Z0-9_.-]+$/;
/** The shortest column of Drone's secret tables (PostgreSQL `orgsecrets.secret_name`). */
const NAME_MAX = 200;
/** Certificates and kubeconfigs fit; the request body limit is the real bound. */
const DATA_MAX = 1_000_000;

const flag = z.boolean().nullish();

export const RepoSecretParams = RepoParams.extend({ secret: z.string().min(1).max(255) });

export const CreateSecretBody = z.object({
  name: z.string().max(NAME_MAX).regex(SECRET_NAME, 'name may contain only letters, digits, -, _ and .'),
  data: z.string().min(1, 'data is required').max(DATA_MAX),
  pull_request: flag.transform((value) => value ?? false),
  pull_request_push: flag.transform((value) => value ?? false),
});

export const UpdateSecretBody = z
  .object({
    data: z.string().min(1, 'data must not be empty').max(DATA_MAX).nullish(),
    pull_request: flag,
    pull_request_push: flag,
  })
  .nullish()
  .transform((body) => ({
    data: body?.data ?? undefined,
    pull_request: body?.pull_request ?? undefined,
    pull_request_push: body?.pull_request_push ?? undefined,
  }));

/** A secret as the API shows it: everything but its value. */
export function withoutValue(secret: Secret): Secret {
  const { data: _data, ...rest } = secret;
  return rest;
}
