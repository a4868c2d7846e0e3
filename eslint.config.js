// Lint rules, including the architecture of STYLE.md: dependencies point one way.
// index.ts -> kinds, operators, errors; operators -> kinds; kinds -> internal, errors;
// internal -> nothing above it; nothing in lib/ imports the barrel.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';


export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'examples/angular/**', '.pack/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['lib/internal/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['../*/**', '!../errors.js', '!../../errors.js'], message: 'lib/internal/ imports no channel kind, no operator and never the barrel.' },
          { group: ['../index.js'], message: 'lib/internal/ never imports the barrel.' },
        ],
      }],
    },
  },
  {
    files: ['lib/*/**/*.ts'],
    ignores: ['lib/internal/**', 'lib/operators/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['../index.js'], message: 'No file inside lib/ imports the barrel.' },
          { group: ['../operators/*'], message: 'Channel kinds do not import operators.' },
        ],
      }],
    },
  },
  {
    files: ['lib/operators/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../index.js'], message: 'No file inside lib/ imports the barrel.' }] }],
    },
  },
  {
    files: ['spec/**/*.ts', 'bench/**', 'examples/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', setImmediate: 'readonly', URL: 'readonly' } },
  },
);
