#!/usr/bin/env node
// Thin launcher: the CLI is compiled by `npm run build -w simulation` into dist/simulation.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', '..', 'dist', 'simulation', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('ntp-sim is not built yet: run `npm run build -w simulation` (or `make simulation`)\n');
  process.exit(1);
}
require(entry);
