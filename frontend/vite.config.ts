/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dev server runs on 127.0.0.1:3000 because supabase/config.toml's site_url (auth redirects)
// points there; `npm run dev -w frontend -- --port N` overrides it for side-by-side instances.
export default defineConfig({
  plugins: [react()],
  // One .env at the repo root for the whole project; Vite exposes only its VITE_* variables to the app.
  envDir: '..',
  resolve: {
    // `@/` is frontend/src, as in tsconfig.json's paths; a root-relative path keeps Node types out of the app.
    alias: [{ find: /^@\//, replacement: '/src/' }],
  },
  build: {
    rolldownOptions: {
      output: {
        // Libraries change less often than app code: separate chunks stay cached across deploys.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/ },
            { name: 'supabase', test: /node_modules[\\/]@supabase[\\/]/ },
          ],
        },
      },
    },
  },
  server: { host: '127.0.0.1', port: 3000, strictPort: true },
  preview: { host: '127.0.0.1', port: 3000, strictPort: true },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/testing/setup.ts'],
  },
});
