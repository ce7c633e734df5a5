// The `config_path` a repository setting may take: a path inside the repository (pipeline/config-path.ts).

import { z } from 'zod';
import { isInsideRepository } from '../../../pipeline/index.js';

export const configPath = z.string().min(1).max(500).refine(isInsideRepository, 'config_path must be a path inside the repository (no leading / and no ..)');
