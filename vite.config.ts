// The dashboard's build. The page lives in web/, is served by the server from dist/web, and in
// development talks to a server on :3000 through the proxy below.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { DEFAULT_HTTP_PORT } from './shared/limits.ts';

const here = import.meta.dirname;
const server = `http://127.0.0.1:${DEFAULT_HTTP_PORT}`;

export default defineConfig({
  root: resolve(here, 'web'),
  plugins: [react()],
  build: {
    outDir: resolve(here, 'dist/web'),
    emptyOutDir: true,
    // recharts alone is above the default warning size; one chunk is fine for a local tool.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': server,
      '/ws': { target: server, ws: true },
    },
  },
});
