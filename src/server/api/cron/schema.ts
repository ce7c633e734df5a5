// Cron request bodies (research/drone-server.md §4.9, §5.2). Create reads only name, expr and branch
// (the event is always push); update changes only branch, target and disabled. Other fields are ignored,
// as Drone's decoder ignores them.

import { z } from 'zod';

export const CreateCronBody = z.object({
  name: z.string().optional(),
  expr: z.string().optional(),
  branch: z.string().optional(),
});

export const UpdateCronBody = z.object({
  branch: z.string().optional(),
  target: z.string().max(250, 'at most 250 characters').optional(),
  disabled: z.boolean().optional(),
});

export interface CronParams {
  owner: string;
  name: string;
  cron: string;
}
