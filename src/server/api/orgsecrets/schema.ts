// Params of org secret routes: the namespace is stored in Drone's `secret_namespace`, at most 50
// characters on PostgreSQL, so a longer one can hold no secret.

import { z } from 'zod';
import { NamespaceNameParams, NamespaceParams } from '../schemas.js';

const NAMESPACE_MAX = 50;

export const OrgParams = NamespaceParams.extend({ namespace: z.string().min(1).max(NAMESPACE_MAX) });
export const OrgSecretParams = NamespaceNameParams.extend({ namespace: z.string().min(1).max(NAMESPACE_MAX) });
