// Mutation testing: `npm run test:mutation` (not part of `npm test`; see docs/mutation-testing.md).
// StrykerJS 9.6.x because StrykerJS 10 needs Node >= 22 (TOOLING-NOTES.md).
// Narrow a run with `npm run test:mutation -- --mutate 'lib/internal/slots.ts'`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.stryker.config.js',
    enableFindRelatedTests: true,
  },
  mutate: [
    'lib/internal/*.ts',
    'lib/mpsc/*.ts',
    'lib/operators/*.ts',
    'lib/select/*.ts',
    // Barrels and type-only files hold no behaviour to mutate.
    '!lib/*/index.ts',
    '!lib/internal/erased.ts',
    // The thread transport is exercised only by real worker threads (spec/threads/), whose
    // kills Stryker cannot credit: mutating it would list every mutant as uncovered.
    '!lib/mpsc/port.ts',
  ],
  // Keep the sandbox copy small: nothing the in-process specs read lives in these.
  ignorePatterns: [
    'dist', 'site', 'site-dist', 'bench', 'examples/angular', '.pack', '.scratch', 'coverage', 'reports',
  ],
  // No checker: ts-jest transpiles in isolation (tsconfig.jest.json), so a mutant that does not
  // type-check still runs; the typescript checker would drop those but doubles the run time here.
  disableTypeChecks: 'lib/**/*.ts',
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: 2,
  // The machine is shared and loaded: be generous before calling a mutant a timeout.
  timeoutMS: 5000,
  timeoutFactor: 1.5,
  dryRunTimeoutMinutes: 30,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  thresholds: { high: 90, low: 80, break: null },
};
