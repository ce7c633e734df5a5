// Template routes (research/drone-server.md §4.10): a name ending in a converter's extension and data,
// both required; the namespace is Drone's `template_namespace`, at most 50 characters on PostgreSQL.

import { z } from 'zod';
import { NamespaceNameParams, NamespaceParams } from '../schemas.js';

const NAMESPACE_MAX = 50;
const DATA_MAX = 1_000_000;
const TEMPLATE_NAME = /^[^/]+\.(yml|yaml|star|starlark|script|jsonnet)$/;

const namespace = z.string().min(1).max(NAMESPACE_MAX);

export const TemplateNamespaceParams = NamespaceParams.extend({ namespace });
export const TemplateParams = NamespaceNameParams.extend({ namespace });

export const CreateTemplateBody = z.object({
  name: z
    .string()
    .min(1, 'No Template Name Provided')
    .max(255)
    .regex(TEMPLATE_NAME, 'Template extension invalid. Must be yaml, starlark or jsonnet'),
  data: z.string().min(1, 'No Template Data Provided').max(DATA_MAX),
});

/** Null is "unchanged", as drone-go sends it. */
export const UpdateTemplateBody = z
  .object({
    data: z.string().min(1, 'No Template Data Provided').max(DATA_MAX).nullish(),
    namespace: namespace.nullish(),
  })
  .nullish()
  .transform((body) => ({ data: body?.data ?? undefined, namespace: body?.namespace ?? undefined }));
