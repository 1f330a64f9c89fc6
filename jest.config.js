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
  testTimeout: 600000,
  // Jest's default leaves one core idle, which on a 2-core runner halves the unit suite's speed.
  maxWorkers: '100%'
}
