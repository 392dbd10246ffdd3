// ts-jest's ESM preset; tests run with NODE_OPTIONS=--experimental-vm-modules (see package.json).
/** @type {import('jest').Config} */
export default {
  extensionsToTreatAsEsm: ['.ts'],
  testEnvironment: 'node',
  roots: ['<rootDir>/server', '<rootDir>/forecasting', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // The wallboard's alias for the server's contracts (wallboard/tsconfig.json): `$contracts/live/board`.
    '^\\$contracts/(.*)$': '<rootDir>/server/$1.contract.ts',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  testTimeout: 60_000,
  // A PostgreSQL server for the run: TEST_DATABASE_URL's when it answers, else an embedded one.
  globalSetup: '<rootDir>/test/support/embedded-postgres.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
