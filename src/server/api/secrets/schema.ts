// Repository secret bodies (research/drone-server.md §4.8): names of letters, digits, `-`, `_` and `.`;
// values never leave the server through the API.

import { z } from 'zod';
import type { Secret } from '../../../core/types.js';

export const SECRET_NAME = /^[a-zA-Z0-9_.-]+$/;

export const CreateSecretBody = z.object({
  name: z.string().regex(SECRET_NAME, 'name may contain only letters, digits, -, _ and .'),
  data: z.string().min(1, 'data is required'),
  pull_request: z.boolean().default(false),
  pull_request_push: z.boolean().default(false),
});

export const UpdateSecretBody = z.object({
  data: z.string().min(1).optional(),
  pull_request: z.boolean().optional(),
  pull_request_push: z.boolean().optional(),
});

/** A secret as the API shows it: everything but its value. */
export function withoutValue(secret: Secret): Secret {
  const { data: _data, ...rest } = secret;
  return rest;
}
