// Repo-wide lint rules: TypeScript everywhere, React hooks in the app, and the frontend's
// architecture (style.md) enforced as import zones so a wrong import fails CI, not review.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const repoRoot = path.dirname(fileURLToPath(import.meta.url));
const frontendSrc = path.join(repoRoot, 'frontend', 'src');

/** Feature folder names, read from disk so a new feature is fenced in without editing this file. */
function featureNames() {
  try {
    return readdirSync(path.join(frontendSrc, 'features'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

const importZones = [
  // Features never import each other: what two features share moves to shared code,
  // and pages in src/app compose features.
  ...featureNames().map((feature) => ({
    target: `./frontend/src/features/${feature}`,
    from: './frontend/src/features',
    except: [`./${feature}`],
    message: 'A feature must not import another feature; compose them in src/app or move shared code out.',
  })),
  // Shared code flows one way: it never reaches into features or the app shell. Data several
  // features read lives in src/api (docs/app.md, "Shared concerns").
  ...['api', 'components', 'config', 'lib', 'stores', 'testing', 'types', 'locales'].map((folder) => ({
    target: `./frontend/src/${folder}`,
    from: ['./frontend/src/features', './frontend/src/app'],
    message: 'Shared code must not import features or the app shell.',
  })),
  {
    target: './frontend/src/features',
    from: './frontend/src/app',
    message: 'Features must not import the app shell.',
  },
  // The shopper portal is its own entry (issue 12): it loads no Cairn app code, only config and types.
  {
    target: './frontend/src/portal',
    from: [
      './frontend/src/app',
      './frontend/src/features',
      './frontend/src/components',
      './frontend/src/lib',
      './frontend/src/api',
      './frontend/src/stores',
      './frontend/src/locales',
    ],
    message: 'The portal loads no Cairn app code: keep what it needs in src/portal.',
  },
  // Screens reach Supabase only through src/api or a feature's api/ (and hooks) modules.
  ...['./frontend/src/app/**', './frontend/src/components/**', './frontend/src/features/*/components/**'].map(
    (target) => ({
      target,
      from: ['./frontend/src/lib/supabase.ts'],
      message: "Use src/api or the feature's api/ module instead of the Supabase client in UI code.",
    }),
  ),
];

export default defineConfig([
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '**/coverage/',
    '.cairn/',
    'supabase/.temp/',
    // Deno code with npm: specifiers, linted by `deno lint` in its own runtime.
    'supabase/functions/',
    'scripts/testing/fixtures/functions/',
    'frontend/src/types/database.types.ts',
  ]),
  js.configs.recommended,
  tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['scripts/**/*.{ts,js,mjs,cjs}', 'supabase/tests/**/*.ts', '*.{js,mjs,cjs,ts}', 'frontend/*.ts'],
    languageOptions: { globals: globals.node },
  },
  // The local stack is a package of its own (docs/adr/0004-layout.md): everything else reaches it
  // through its exports, and it never reaches back into the project's tooling.
  {
    files: ['scripts/**/*.ts', 'supabase/tests/**/*.ts'],
    ignores: ['scripts/local-stack/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/local-stack/**', '!@cairn/local-stack/**'],
              message: "Import the local stack through its package exports: '@cairn/local-stack/…'.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/local-stack/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: path.join(repoRoot, 'scripts', 'local-stack', 'tsconfig.json') }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: repoRoot,
          zones: [
            {
              target: './scripts/local-stack',
              from: [
                './scripts/tools',
                './scripts/testing',
                './scripts/data',
                './scripts/bench',
                './scripts/e2e',
                './scripts/lib',
                './supabase/tests',
              ],
              message: 'The local stack is self-contained: it must not import the project tooling or tests.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['frontend/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: path.join(repoRoot, 'frontend', 'tsconfig.json') }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: importZones, basePath: repoRoot }],
      'import-x/no-default-export': 'error',
      'import-x/no-cycle': 'error',
      // One zod build in the app, the tree-shakable one: the classic API pulls nearly all of zod's
      // core into the chunk the sign-in page loads (issue 4's budget: ≤ 200 KB gzip).
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'zod', message: "Import { z } from 'zod/mini' (see eslint.config.js)." }] },
      ],
      // Supabase queries live in a feature's api/ modules, never in components or hooks.
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='from'][callee.object.name='supabase']",
          message: 'Call supabase.from() only in src/api or a feature api/ module.',
        },
      ],
    },
  },
  {
    files: ['frontend/src/api/**/*.ts', 'frontend/src/features/*/api/**/*.ts', 'frontend/src/lib/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['frontend/src/**/*.tsx', 'frontend/src/**/hooks/**/*.ts'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
]);
