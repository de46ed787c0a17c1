// Component tests for the console: jest-preset-angular in zoneless mode, jsdom.
const { createCjsPreset } = require('jest-preset-angular/presets');
// Times show in local wall-clock time; the tests pin the zone so their expectations hold anywhere.
process.env.TZ = 'UTC';

/** @type {import('jest').Config} */
module.exports = {
  ...createCjsPreset({ tsconfig: '<rootDir>/tsconfig.spec.json' }),
  displayName: 'frontend',
  setupFilesAfterEnv: ['<rootDir>/setup-jest.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
