/** Every bad input ends with one line on stderr and the documented exit code, never a stack trace. */
import { KNOWN_SCENARIOS } from '../src/scenarios/scenario-catalog';
import { runCli } from './cli-harness';

const UNREACHABLE = 'http://127.0.0.1:9';
const COMMANDS = ['scenarios', 'apply', 'live', 'run', 'replay', 'what-if', 'sweep'];

describe('ntp-sim bad input', () => {
  it.each(COMMANDS)('%s --help prints usage and exits 0', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: ntp-sim ${command}`);
  });

  it.each([
    ['run', ['run', '--scenario', 'nope', '--api', UNREACHABLE]],
    ['apply', ['apply', 'nope', '--api', UNREACHABLE]],
    ['live', ['live', '--scenario', 'nope', '--api', UNREACHABLE]],
    ['what-if', ['what-if', '--scenario', 'nope', '--offset', '*=0', '--api', UNREACHABLE]],
    ['sweep', ['sweep', '--scenario', 'nope', '--api', UNREACHABLE]],
  ])('%s: an unknown scenario exits 2 with the list of scenarios', async (_name, args) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown scenario "nope"');
    for (const scenario of KNOWN_SCENARIOS) expect(result.stderr).toContain(scenario);
  });

  it.each([
    ['scenarios', ['scenarios']],
    ['run', ['run', '--seats', '10']],
    ['apply', ['apply', 'major_drift']],
    ['live', ['live']],
    ['replay', ['replay', 'r123']],
  ])('%s: an unreachable API is one line naming the URL, exit 1', async (_name, args) => {
    const result = await runCli([...args, '--api', UNREACHABLE]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`cannot reach the API at ${UNREACHABLE}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['negative seats', ['run', '--seats', '-5']],
    ['zero attempts', ['run', '--attempts', '0']],
    ['fractional seats', ['live', '--seats', '2.5']],
    ['words for a count', ['live', '--attempts', 'many']],
    ['negative spread', ['run', '--spread-ms', '-1']],
    ['absurd run size', ['run', '--seats', '100000', '--attempts', '1000']],
    ['absurd sweep steps', ['sweep', '--steps', '100000']],
    ['backwards range', ['sweep', '--skew', '30..0']],
    ['malformed override', ['what-if', '--offset', 'server-1']],
    ['what-if without a change', ['what-if']],
  ])('%s is a usage error (exit 2)', async (_name, args) => {
    const result = await runCli([...args, '--api', UNREACHABLE]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr.length).toBeGreaterThan(0);
  });

  it('an unknown command is a usage error', async () => {
    const result = await runCli(['fly']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'fly'");
  });
});
