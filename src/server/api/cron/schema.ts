// Cron request bodies (research/drone-server.md §4.9, §5.2). Create reads only name, expr and branch
// (the event is always push); update changes only branch, target and disabled. Other fields are ignored,
// as Drone's decoder ignores them.

import { z } from 'zod';
import { RepoParams } from '../schemas.js';

export const CreateCronBody = z.object({
  name: z.string().max(255).optional(),
  expr: z.string().max(255).optional(),
  branch: z.string().max(255).optional(),
});

// drone-go's CronPatch has no omitempty: `drone cron disable` sends {"event":null,"branch":null,"target":null,…}.
export const UpdateCronBody = z.object({
  branch: z.string().max(255).nullish(),
  target: z.string().max(250, 'at most 250 characters').nullish(),
  disabled: z.boolean().nullish(),
});

export const CronParams = RepoParams.extend({ cron: z.string().min(1).max(255) });
