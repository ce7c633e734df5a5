// `page` (from 1) and `per_page` query parameters, as Drone reads them.

import { badRequest } from './errors.js';

export function pagination(query: Record<string, string | undefined>, limits: { perPage: number; maxPerPage: number }): { page: number; perPage: number } {
  const page = positive(query.page, 'page') ?? 1;
  const perPage = Math.min(positive(query.per_page, 'per_page') ?? limits.perPage, limits.maxPerPage);
  return { page, perPage };
}

function positive(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw badRequest(`${name} must be a positive integer`);
  return Number(value);
}
