// Lint rules, including the layering: routers and services never touch knex, repositories
// never touch Express, and the statistics are pure (no I/O of any kind).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Keys that come from input (form fields, JSON keys, CSV headers and cells, query names)
// may be `__proto__`, `constructor` or `prototype`. Written into a plain object, such a key
// reaches Object.prototype, which the whole process shares: one manager's mapping form once
// made every later login answer 400. Dictionaries are a Map or Object.create(null); these
// are the shapes that caused it or would let it back in.
const dictionaryTypes = ['Record', 'Data', 'Json'].join('|');
const noPrototypeDictionaries = [
  {
    selector: `VariableDeclarator[id.typeAnnotation.typeAnnotation.typeName.name=/^(${dictionaryTypes})$/][init.type='ObjectExpression'][init.properties.length=0]`,
    message: 'A dictionary built key by key is a Map or Object.create(null): a plain {} lets `__proto__` reach Object.prototype.',
  },
  {
    selector: "AssignmentExpression[operator='??='][left.type='MemberExpression'][left.computed=true][right.type='ObjectExpression']",
    message: '`x[key] ??= {}` finds Object.prototype for key `__proto__`; use a Map.',
  },
  {
    selector: "AssignmentExpression > MemberExpression.left[computed=true][object.type='MemberExpression'][object.computed=true]",
    message: '`x[a][b] = v` writes to Object.prototype when a is `__proto__`; use a Map of Maps.',
  },
  {
    selector: "AssignmentExpression > MemberExpression.left[computed=true][object.type=/^(AssignmentExpression|LogicalExpression)$/]",
    message: '`(x[a] ??= {})[b] = v` writes to Object.prototype when a is `__proto__`; use a Map of Maps.',
  },
  {
    selector: "BinaryExpression[operator='in'][left.type!='Literal']",
    message: '`key in object` is also true for inherited keys (`constructor`, `toString`); use Object.hasOwn or a Map.',
  },
  { selector: 'ForInStatement', message: 'for...in also walks inherited keys; use Object.keys/entries or a Map.' },
];

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
    files: ['server/**/*.ts'],
    // Statistics index number arrays; the demo builds synthetic answers from fixed names.
    ignores: ['server/stats/**', 'server/demo/**'],
    rules: { 'no-restricted-syntax': ['error', ...noPrototypeDictionaries] },
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
