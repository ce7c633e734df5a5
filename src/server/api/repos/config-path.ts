// A repository's configuration path: relative to the repository's root and inside it. A path that climbs
// out (`..`) or starts at `/` could make an SCM's file API read another repository's file.

import { z } from 'zod';

export const configPath = z
  .string()
  .min(1)
  .max(500)
  .refine((path) => !path.startsWith('/') && !path.split(/[\\/]/).includes('..'), 'config_path must be a path inside the repository (no leading / and no ..)');
