#!/usr/bin/env node
// The `hangar` executable: the compiled CLI lives in dist/ (built by `npm run build`, run by `prepare`).
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    console.error('hangar: dist/ is missing; run `npm run build` (npm ci does it through `prepare`).');
    process.exit(1);
  }
  throw err;
});
