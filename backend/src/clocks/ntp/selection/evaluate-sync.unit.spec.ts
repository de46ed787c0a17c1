import type { BurstOutcome } from '../ntp-source-burst';
import { ntpSample } from '../testing/ntp-sample';
import { evaluateSync } from './evaluate-sync';

const limits = { panicThresholdMs: 1_000_000, maxChangeMs: 1000 };
const answered = (server: string, offsetMs: number, rootDistanceMs = 4): BurstOutcome => ({
  server,
  sample: ntpSample(offsetMs, 1, { server, atMs: 50_000, rootDistanceMs }),
});
const failed = (server: string): BurstOutcome => ({
  server,
  failure: { reason: 'timeout', detail: `no reply from ${server} within 2000 ms`, ignoredDatagrams: 0 },
});

describe('one sync across several sources', () => {
  it('given a silent source, a liar beyond the panic threshold, a falseticker and two truechimers, says which is which', () => {
    const verdict = evaluateSync(
      [
        failed('silent:123'),
        answered('a:123', 3500),
        answered('b:123', 3502),
        answered('liar:123', 3_600_000),
        answered('false:123', 3700),
      ],
      limits,
      undefined,
    );
    expect(verdict.reports.map(({ server, status, reason }) => [server, status, reason])).toEqual([
      ['silent:123', 'rejected', 'timeout'],
      ['a:123', 'selected', null],
      ['b:123', 'selected', null],
      ['liar:123', 'rejected', 'panic-threshold'],
      ['false:123', 'rejected', 'falseticker'],
    ]);
    expect(verdict.reports[3]).toMatchObject({
      offsetMs: 3_600_000,
      detail: expect.stringMatching(/^liar:123: offset 3600\.000 s/),
    });
    expect(verdict.reports[4]?.detail).toMatch(
      /false:123: offset 3700\.000 ms ± 4\.000 ms lies outside the majority's intersection/,
    );
    expect(verdict.measurement).toMatchObject({ offsetMs: 3501, uncertaintyMs: 5, atMs: 50_000 });
  });

  it('given a held offset, refuses a source that moved beyond max change', () => {
    const verdict = evaluateSync([answered('a:123', 5000)], limits, () => ({
      predictedOffsetMs: 3500,
      uncertaintyMs: 1,
    }));
    expect(verdict.reports[0]).toMatchObject({ status: 'rejected', reason: 'max-change' });
    expect(verdict.measurement).toBeNull();
  });

  it('given two sources that disagree, uses neither', () => {
    const verdict = evaluateSync([answered('a:123', 0), answered('b:123', 500)], limits, undefined);
    expect(verdict.reports.map((report) => report.reason)).toEqual(['no-majority', 'no-majority']);
    expect(verdict.measurement).toBeNull();
  });

  it('takes the stratum and delay shown from the surviving sample with the smallest root distance', () => {
    const verdict = evaluateSync([answered('far:123', 10, 8), answered('near:123', 11, 2)], limits, undefined);
    expect(verdict.measurement?.systemPeer.server).toBe('near:123');
  });
});
