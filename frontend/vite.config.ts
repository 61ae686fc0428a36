/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv, type Plugin } from 'vite';
import { parseEnv } from './src/config/parse-env.ts';

// The dev server runs on 127.0.0.1:3000 because supabase/config.toml's site_url (auth redirects)
// points there; `npm run dev -w frontend -- --port N` overrides it for side-by-side instances.
// One .env at the repo root for the whole project; Vite exposes only its VITE_* variables to the app.
const envDir = '..';

/**
 * The shopper portal is its own entry (portal/index.html, src/portal): no Cairn app code loads
 * there. Its paths (/portal/favourites …) are served portal/index.html, in development and
 * preview as a static host must in production.
 */
function portalPages(): Plugin {
  const rewrite = (url: string | undefined) =>
    url && /^\/portal(\/[^.?]*)?(\?.*)?$/.test(url) ? url.replace(/^\/portal[^?]*/, '/portal/index.html') : url;
  return {
    name: 'cairn-portal-pages',
    configureServer(server) {
      server.middlewares.use((request, _response, next) => {
        request.url = rewrite(request.url);
        next();
      });
    },
    configurePreviewServer(server) {
      server.middlewares.use((request, _response, next) => {
        request.url = rewrite(request.url);
        next();
      });
    },
  };
}

/** What a static host should send with the build's `assets/` files (README, "Deploying"). */
export const IMMUTABLE_ASSETS = 'public, max-age=31536000, immutable';

/**
 * `vite preview` answers every file with `Cache-Control: no-cache`, so a returning person's
 * browser asks again for each of the app's ~70 scripts (304s, six at a time over HTTP/1.1) on
 * every load. The files under `assets/` carry their content's hash in their name: preview serves
 * them as a static host should (README), cached for good; `index.html` is still revalidated.
 */
function immutableAssets(): Plugin {
  return {
    name: 'cairn-immutable-assets',
    configurePreviewServer(server) {
      server.middlewares.use((request, response, next) => {
        if (request.url?.startsWith('/assets/')) {
          // sirv passes its own Cache-Control to writeHead, which wins over setHeader.
          const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => typeof response;
          response.writeHead = ((...args: unknown[]) => {
            const headers = args.find((arg) => typeof arg === 'object' && arg !== null && !Array.isArray(arg)) as
              Record<string, unknown> | undefined;
            if (headers) headers['Cache-Control'] = IMMUTABLE_ASSETS;
            else response.setHeader('Cache-Control', IMMUTABLE_ASSETS);
            return writeHead(...args);
          }) as typeof response.writeHead;
        }
        next();
      });
    },
  };
}

const ICON = /node_modules[\\/]lucide-react[\\/]dist[\\/]esm[\\/]icons[\\/]/;

export default defineConfig(({ command, mode }) => {
  // A production build must name its Supabase project: without VITE_SUPABASE_URL and the anon key
  // it fails here, instead of shipping an app that talks to a developer's local stack.
  if (command === 'build' && mode === 'production') parseEnv(loadEnv(mode, envDir, 'VITE_'));
  return {
    plugins: [react(), portalPages(), immutableAssets()],
    envDir,
    resolve: {
      // `@/` is frontend/src, as in tsconfig.json's paths; a root-relative path keeps Node types out of the app.
      alias: [{ find: /^@\//, replacement: '/src/' }],
    },
    build: {
      rolldownOptions: {
        input: { app: 'index.html', portal: 'portal/index.html' },
        output: {
          // Libraries change less often than app code: separate chunks stay cached across deploys.
          codeSplitting: {
            // Split so the shopper portal (its own entry) shares React, Auth and the REST client
            // with the app without downloading the router, Realtime or Storage it never uses.
            groups: [
              { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
              { name: 'router', test: /node_modules[\\/](react-router|react-router-dom)[\\/]/ },
              { name: 'supabase-auth', test: /node_modules[\\/]@supabase[\\/]auth-js[\\/]/ },
              { name: 'supabase-rest', test: /node_modules[\\/]@supabase[\\/]postgrest-js[\\/]/ },
              { name: 'supabase', test: /node_modules[\\/]@supabase[\\/]/ },
              // lucide-react makes each icon its own module, and the pages share them in so many
              // combinations that nearly each became its own chunk (a load of /pipeline asked for
              // 15 icon files of under 1 KB). Lucide's code and the icons the entries themselves
              // import stay one chunk of the entry (the sign-in page does not download every
              // page's icons); the icons two or more of the other chunks share go in one chunk.
              { name: 'lucide', test: /node_modules[\\/]lucide-react[\\/]/, tags: ['$initial'], priority: 1 },
              { name: 'icons', test: ICON, minShareCount: 2 },
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
      // npm test runs these beside the stack tests at a lower CPU priority (scripts/tools/test.ts):
      // a test waits on the CPU as well as on its own work, so 5 s is not enough on two busy cores.
      testTimeout: 15_000,
      setupFiles: ['src/testing/setup.ts'],
      // Stylesheets stay out of tests, except read as text (?raw) by src/app/stylesheets.test.ts.
      css: { include: [/\.css\?raw$/] },
    },
  };
});
