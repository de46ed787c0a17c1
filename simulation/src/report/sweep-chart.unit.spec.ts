import { sweepChartSvg, sweepCsv } from './sweep-chart';
import { overridesFrom, spreadOverServers } from '../scenarios/seeded-runs';

const points = [0, 15, 30].map((value) => ({
  value,
  wrongPer10k: {
    server_clock: value * 100,
    ntp_corrected: 0,
    log_order: 0,
    hlc: value * 90,
    truth: 0,
    authority: value,
  },
}));

describe('sweep output', () => {
  it('draws one line per strategy with a legend, as a standalone SVG', () => {
    const svg = sweepChartSvg(points, ['server_clock', 'ntp_corrected', 'hlc'], {
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    for (const name of ['server_clock', 'ntp_corrected', 'hlc']) expect(svg).toContain(`>${name}</text>`);
    expect(svg).toContain('>3000</text>');
  });

  it('writes one CSV row per value', () => {
    expect(sweepCsv(points, ['server_clock', 'ntp_corrected'], 'skew_s').split('\n')).toEqual([
      'skew_s,server_clock_wrong_per_10k,ntp_corrected_wrong_per_10k',
      '0,0.000,0.000',
      '15,1500.000,0.000',
      '30,3000.000,0.000',
      '',
    ]);
  });

  it('spreads a skew evenly over the servers and builds overrides from flags', () => {
    expect(spreadOverServers(30_000, 5)).toEqual([-15_000, -7_500, 0, 7_500, 15_000]);
    expect(overridesFrom({ offset: { '*': 0 }, delay: { 'server-1': [200, 10] }, neverSyncs: ['server-3'] })).toEqual({
      '*': { offset_ms: 0 },
      'server-1': { outbound_delay_ms: 200, inbound_delay_ms: 10 },
      'server-3': { never_syncs: true },
    });
  });
});
