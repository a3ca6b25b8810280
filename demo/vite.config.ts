/**
 * The demo pages' Vite config: a multi-page app rooted at demo/, run as a dev server by
 * `npm start` (scripts/start.ts through demo/dev-server.ts, which adds the stack's URL and key).
 *
 * - `/`          landing page, links and the demo logins
 * - `/customer/` Lumen Prints, a sample shop with the launcher embedded by one script tag
 * - `/console/`  the agent console, `<parley-inbox>` on a plain page
 * - `/react/`    the console inside a React 19 app (native custom element support)
 * - `/vue/`      the console inside a Vue 3 app
 */
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { standardDecorators } from '../scripts/vite-decorators.ts';
import { parleyEmbed } from './vite-plugins.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  appType: 'mpa',
  publicDir: false,
  clearScreen: false,
  // Its own pre-bundled dependencies, apart from any other Vite run in the repository.
  cacheDir: `${repo}node_modules/.vite-demo`,
  plugins: [
    standardDecorators({ sourceMaps: true }),
    parleyEmbed(),
    vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('parley-') } } }),
  ],
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  optimizeDeps: {
    // Every page's dependencies up front, so the first visit to any page never waits for a
    // re-optimization and a reload.
    entries: ['**/index.html'],
    include: [
      'lit', 'lit/decorators.js', 'lit/directives/live.js', 'lit/directives/repeat.js', '@lit/context',
      'nanostores', '@supabase/supabase-js', 'react', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'react-dom/client', 'vue',
    ],
  },
  server: {
    // The sources and node_modules live above the root.
    fs: { allow: [repo] },
    // Vite answers only localhost and IP addresses by default; e2e/plain-http.spec.ts maps this name
    // to 127.0.0.1 to load the shop from an origin that is not a secure context.
    allowedHosts: ['shop.test'],
  },
});
