// Specs run against lib/ by default. With RXJS_CHANNEL_PACKED set to an installed copy of the
// packed tarball (see scripts/test-packed.mjs), every `import ... from 'rxjs-channel'` in the
// specs resolves to that copy instead, so the same contract specs exercise what users install.
const packed = process.env.RXJS_CHANNEL_PACKED;
// spec/nats starts a real nats-server per suite: it runs as its own step, `npm run test:nats`.
const nats = process.env.RXJS_CHANNEL_NATS === '1';
const ignored = [
  ...(nats ? [] : ['/spec/nats/']),
  ...(packed ? ['/spec/internal/', '/spec/package/', '/spec/docs/', '/spec/examples/', '/spec/nats/'] : []),
];

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  // A spec file that leaves a handle open (a worker port, a server) must not hang CI: jest
  // reports it ("did not exit") and exits. Natural exit itself is asserted where it is the
  // contract (the thread and example specs run their programs in child processes).
  forceExit: true,
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
  moduleNameMapper: {
    '^rxjs-channel$': packed ? `${packed}/node_modules/rxjs-channel/dist/cjs/index.js` : '<rootDir>/lib/index.ts',
    '^rxjs-channel/testing$': packed ? `${packed}/node_modules/rxjs-channel/dist/cjs/testing/index.js` : '<rootDir>/lib/testing/index.ts',
    ...(packed ? { '^rxjs$': '<rootDir>/node_modules/rxjs' } : {}),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testPathIgnorePatterns: ['/node_modules/', ...ignored],
};
