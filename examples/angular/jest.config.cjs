// Jest for the Angular example only (the root jest config's roots are spec/, so it never
// picks this up). jest-preset-angular compiles the components with Angular's JIT compiler in
// jsdom; `npm run test:angular` also compiles them ahead of time with ngc.
const { createCjsPreset } = require('jest-preset-angular/presets');

/** @type {import('jest').Config} */
module.exports = {
  ...createCjsPreset({ tsconfig: '<rootDir>/tsconfig.spec.json' }),
  rootDir: __dirname,
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.spec.ts'],
  setupFilesAfterEnv: ['<rootDir>/setup-jest.ts'],
  moduleNameMapper: {
    // The library from source, as tsconfig.json's `paths` does for ngc.
    '^rxjs-channel$': '<rootDir>/../../lib/index.ts',
    // lib/ imports its own files with `.js` extensions (Node ESM style).
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};
