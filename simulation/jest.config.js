/** @type {import('jest').Config} */
module.exports = {
  displayName: 'simulation',
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The CLI tests spawn the built CLI; build it once before the suites run.
  globalSetup: '<rootDir>/test/build-cli.js',
  testTimeout: 60000,
};
