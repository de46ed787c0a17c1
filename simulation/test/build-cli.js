// Builds dist/simulation with plain tsc so the CLI tests run what users run.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async () => {
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', join(__dirname, '..', 'tsconfig.json')],
    {
      stdio: 'inherit',
    },
  );
};
