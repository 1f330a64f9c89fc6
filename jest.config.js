/** Jest in ESM mode: ts-jest compiles TypeScript as ES modules. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: ['TS151001'] } }]
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  reporters: ['default', '<rootDir>/test/support/count-reporter.js'],
  // A unit test takes under a second (the slowest, 3 s on a loaded 2-core machine); integration files set what their builds need.
  testTimeout: 15_000,
  // Jest's default leaves one core idle, which on a 2-core runner halves the unit suite's speed.
  maxWorkers: '100%'
}
