// Labels on every container, volume and network of a stage (runner-go labels), so a stage's resources
// can be found and expired containers cleaned up.

import type { Build, Repo, Stage, SystemInfo } from '../../core/types.js';
import { goDurationFromMinutes } from '../internal/go-format.js';

export function containerLabels(input: {
  repo: Repo;
  build: Build;
  stage: Stage;
  system: SystemInfo;
  now?: number;
}): Record<string, string> {
  const { repo, build, stage, system } = input;
  const now = input.now ?? Math.floor(Date.now() / 1000);
  const timeout = repo.timeout ?? 0;
  return {
    'io.drone.repo.namespace': repo.namespace ?? '',
    'io.drone.repo.name': repo.name ?? '',
    'io.drone.repo.slug': repo.slug ?? '',
    'io.drone.build.number': String(build.number ?? 0),
    'io.drone.stage.name': stage.name ?? '',
    'io.drone.stage.number': String(stage.number ?? 0),
    'io.drone': 'true',
    'io.drone.protected': 'false',
    'io.drone.system.host': system.host ?? '',
    'io.drone.system.proto': system.proto ?? '',
    'io.drone.system.version': system.version ?? '',
    'io.drone.ttl': goDurationFromMinutes(timeout),
    'io.drone.expires': String(now + timeout * 60 + 3600),
    'io.drone.created': String(now),
  };
}
