import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built by `./haven start` into web/dist (see src/cli/web-build.ts); `npm run web:dev` serves it with hot
// reload and sends /api to a Haven started on port 8080.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names: the server sends them with a year-long immutable cache.
    assetsDir: 'assets',
    sourcemap: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
