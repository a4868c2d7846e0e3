// Jest for the Angular example: the browser test of the built app and the check of the guide's
// Angular snippets (`npm run test:angular` runs it after building the app; see ../run-tests.mjs).
// Its own rootDir, so the root jest run (roots spec/) never picks it up. Runs on the repository's
// Node and node_modules (jest, ts-jest, playwright-core).
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  testTimeout: 30_000,
};
