// The jest config StrykerJS uses (see stryker.config.mjs and docs/mutation-testing.md).
// It is the project's config with these changes (and fewer property runs, see below):
// - lib/ is a root as well as spec/, or per-test coverage finds almost no tests through
//   lib/index.ts (TOOLING-NOTES.md);
// - specs that only check the packaging, compile types, need a network server, or do their
//   work in child processes are left out: Stryker cannot credit a kill made in a child process,
//   and those specs cost minutes per dry run without covering a single instrumented line;
// - the thread specs (real worker_threads; spec/browser-threads/ runs in Chromium) for the same
//   reason, and because a mutant that stalls a worker turns each later test into a timeout;
// - spec/docs/ (the TSDoc examples) is left out too: it runs the examples of every lib/ folder,
//   including kinds outside the mutated folders whose examples need other modules, and one red
//   example anywhere fails Stryker's dry run. The mirrored specs are what must kill mutants.
import base from './jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  roots: ['<rootDir>/spec', '<rootDir>/lib'],
  // Every mutant re-runs the properties that cover it: a tenth of their runs (propertyRuns in
  // spec/helpers.ts), or the whole run would take hours here.
  setupFiles: ['<rootDir>/spec/support/mutation-setup.cjs'],
  // A mutant that leaves a wait pending fails its test after 2.5 s (killed) instead of running
  // into Stryker's own timeout, which restarts the test runner: the slowest test takes ~1.2 s.
  testTimeout: 2_500,
  testPathIgnorePatterns: [
    '/node_modules/',
    '/spec/package/',
    '/spec/types/',
    '/spec/nats/',
    '/spec/browser/',
    '/spec/heap/',
    '/spec/examples/',
    '/spec/runtimes/',
    '/spec/threads/',
    '/spec/browser-threads/',
    '/spec/docs/',
    '\\.types\\.spec\\.ts$',
    '/zz-tmp-[^/]*\\.spec\\.ts$',
  ],
};
