import { serverClock } from '../../../testing/fixtures';
import { clockSourceOf } from './clock-source';

describe('clockSourceOf', () => {
  const fromScenario = (id: string) => serverClock(id, { source: 'scenario', scenario: 'extreme_drift', seed: 1 });

  it('names the scenario and seed when every clock comes from it', () => {
    expect(clockSourceOf([fromScenario('server-1'), fromScenario('server-2')])).toEqual({
      kind: 'scenario',
      scenario: 'extreme_drift',
      seed: 1,
    });
  });

  it('says the clocks were edited by hand once one of them was', () => {
    const edited = serverClock('server-2', { source: 'manual', scenario: 'extreme_drift', seed: 1 });
    expect(clockSourceOf([fromScenario('server-1'), edited])).toEqual({ kind: 'edited', since: 'extreme_drift' });
  });

  it('knows nothing before the clocks load', () => {
    expect(clockSourceOf([])).toEqual({ kind: 'unknown' });
  });
});
