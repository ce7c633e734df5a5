// DRONE_STARLARK_* as a Drone operator sets them: off by default, Drone's limits when unset or 0.

import { describe, expect, it } from 'vitest';
import { loadServerConfig } from '../../../../src/config/server.js';

describe('DRONE_STARLARK_* settings', () => {
  it("defaults to disabled with Drone's limits", () => {
    expect(loadServerConfig({}).starlark).toEqual({ enabled: false, stepLimit: 50_000, sizeLimit: 1_000_000 });
  });

  it('reads the switch and the limits, 0 meaning the default', () => {
    const env = { DRONE_STARLARK_ENABLED: 'true', DRONE_STARLARK_STEP_LIMIT: '120000', DRONE_STARLARK_SIZE_LIMIT: '0' };
    expect(loadServerConfig(env).starlark).toEqual({ enabled: true, stepLimit: 120_000, sizeLimit: 1_000_000 });
  });
});
