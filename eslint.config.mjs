// Lint rules, including the layering: routers and services never touch knex, repositories
// never touch Express, and the statistics are pure (no I/O of any kind).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noKnex = { paths: [{ name: 'knex', message: 'Only repositories (and server/db) touch knex.', allowTypeImports: true }] };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['server/**/routes.ts', 'server/**/service.ts', 'server/pages/**/*.ts', 'server/app.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', noKnex] },
  },
  {
    files: ['server/**/repository.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'express', message: 'Repositories know nothing of HTTP.' }] }] },
  },
  {
    files: ['server/stats/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['knex', 'express', 'fs', 'node:fs', 'http', 'node:http', 'net', 'node:net', 'child_process', 'node:child_process']
          .map((name) => ({ name, message: 'Statistics are pure functions: no I/O.' })),
      }],
      'no-restricted-globals': ['error', { name: 'Date', message: 'Statistics take time as an argument.' }, { name: 'fetch', message: 'No I/O in statistics.' }],
    },
  },
  {
    files: ['public/js/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', Survey: 'readonly', SurveyTheme: 'readonly', SurveyUI: 'readonly', Chart: 'readonly' },
    },
  },
  {
    files: ['eslint.config.mjs'],
    languageOptions: { sourceType: 'module' },
  },
);
