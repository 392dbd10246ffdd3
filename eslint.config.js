// `npm run lint` (with dependency-cruiser for the import boundaries, see .dependency-cruiser.cjs).
// typescript-eslint's type-checked rules read the types through the project service: each file gets the
// nearest tsconfig.json (tsconfig.json for server/, forecasting/, migrations/, test/; wallboard/tsconfig.json
// for the board and the manager pages). Layout is Prettier's job, so eslint-config-prettier comes last.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './wallboard/svelte.config.js';

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'data/', 'scratch/', 'test-results/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
  },
  {
    files: ['wallboard/**/*.ts', 'wallboard/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, svelteConfig },
    },
  },
  {
    // The house rules the issue asks for, on top of the recommended set.
    files: ['**/*.ts', '**/*.svelte'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      // A leading underscore marks a binding that is there on purpose (a parameter a signature needs, a
      // property taken out of an object with `...rest`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Off: an `async` method that implements a Promise-returning port without awaiting (the in-memory
      // ingest port, test fakes) turns a throw into a rejection as the real one does; dropping `async` would not.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // `for (let [name, params] of ...)` where only `name` is reassigned stays as it is. (Components use
    // svelte/prefer-const, which knows `let { ... } = $props()`.)
    files: ['**/*.ts'],
    rules: { 'prefer-const': ['error', { destructuring: 'all' }] },
  },
  {
    // Tests read HTTP response bodies and socket payloads, which are `any` on purpose (a test checks the
    // JSON the server sent, not the type the server meant): the no-unsafe family would flag ~2,500 reads.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Svelte components, where the script reads types the parser cannot give ESLint:
    files: ['**/*.svelte'],
    rules: {
      // An imported component is the untyped `*.svelte` module to ESLint's TypeScript program, so a
      // callback prop's parameters (`rowKey={(r) => ...}`) are `any` here; svelte-check types them.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // The parser reads `generics="T"` as `type T = unknown`, so `T | null` looks redundant.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      // `{' '}` keeps a space that Svelte would trim at the edge of a block or a line.
      'svelte/no-useless-mustaches': 'off',
    },
  },
  {
    // The wallboard imports from the server only contract files. dependency-cruiser checks this for
    // .ts files (.dependency-cruiser.cjs); it reads a component after Svelte has compiled it, when its
    // `import type` lines are gone, so components are checked here.
    files: ['wallboard/**/*.svelte'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // A relative climb (../server/) or a path alias ($server/, @server/).
              regex: '(^|[/@$#~])server/(?!.*\\.contract(\\.[jt]s)?$)',
              message: 'The wallboard imports from the server only contract files (*.contract.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    // Config and script files outside every tsconfig: plain JavaScript rules, no type information.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  prettier,
);
