// The web UI's build: web/ → dist/web/ (index.html and content-hashed files under assets/, which
// `hangar server` serves as immutable). Built by `npm run build`, which `npm ci` runs through `prepare`.

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  publicDir: false,
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    // The first page's JavaScript must stay under 200 KB gzipped (issue 10); the report shows the figure.
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
  },
});
