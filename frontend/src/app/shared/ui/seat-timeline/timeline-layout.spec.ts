import { attempt, invertedTimeline } from '../../../../testing/fixtures';
import { layoutTimeline, orderOn, tickStepMs } from './timeline-layout';

describe('layoutTimeline', () => {
  it('orders each row by its own clock', () => {
    const timeline = invertedTimeline();
    expect(orderOn('server_clock', timeline.attempts).map((a) => a.attempt_id)).toEqual(['b', 'a']);
    expect(orderOn('ntp_corrected', timeline.attempts).map((a) => a.attempt_id)).toEqual(['a', 'b']);
    expect(orderOn('truth', timeline.attempts).map((a) => a.attempt_id)).toEqual(['a', 'b']);
  });

  it('keeps log order for equal stamps', () => {
    const tied = [attempt('b', { server: 1, ntp: 1, truth: 1 }), attempt('a', { server: 1, ntp: 1, truth: 1 })];
    expect(orderOn('server_clock', tied).map((a) => a.attempt_id)).toEqual(['b', 'a']);
  });

  it('marks one winner per row and flags the rows that disagree with truth', () => {
    const layout = layoutTimeline(invertedTimeline());
    expect(layout.rows.map((row) => [row.key, row.winnerId, row.inverted])).toEqual([
      ['server_clock', 'b', true],
      ['ntp_corrected', 'a', false],
      ['truth', 'a', false],
    ]);
    for (const row of layout.rows) expect(row.marks.filter((mark) => mark.isWinner)).toHaveLength(1);
    expect(layout.invertedRows).toEqual(['server_clock']);
  });

  it('places marks on one shared axis, so the inversion shows as crossing links', () => {
    const layout = layoutTimeline(invertedTimeline());
    const [ana, bob] = layout.links;
    // Server row: Bob left of Ana; truth row: Ana left of Bob. The two links cross.
    expect(bob.points[0].x).toBeLessThan(ana.points[0].x);
    expect(ana.points[2].x).toBeLessThan(bob.points[2].x);
    const xs = layout.rows.flatMap((row) => row.marks.map((mark) => mark.x));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(120);
    expect(Math.max(...xs)).toBeLessThanOrEqual(900 - 24);
  });

  it('prefers the backend winner over the earliest stamp', () => {
    const timeline = invertedTimeline();
    timeline.winners!.truth = { attempt_id: 'b', customer_name: 'B', server_id: 'server-2' };
    const truth = layoutTimeline(timeline).rows[2];
    expect(truth.winnerId).toBe('b');
    expect(layoutTimeline(timeline).rows[0].inverted).toBe(false);
  });

  it('draws the error bound on the NTP row only, and labels ticks relative to the first true time', () => {
    const layout = layoutTimeline(invertedTimeline());
    expect(layout.rows[1].marks.every((mark) => mark.errorBoundPx > 0)).toBe(true);
    expect(layout.rows[0].marks.every((mark) => mark.errorBoundPx === 0)).toBe(true);
    expect(layout.ticks.map((tick) => tick.label)).toContain('+0 ms');
  });

  it('given a server that never synced, then its unbounded interval spans the plot and the others stay apart', () => {
    const timeline = invertedTimeline();
    timeline.attempts = [
      ...timeline.attempts,
      attempt('c', { server: 30, ntp: 30, truth: 30 }, { error_bound_ms: 86_400_000 }),
    ];
    const layout = layoutTimeline(timeline);
    const truth = new Map(layout.rows[2].marks.map((mark) => [mark.attemptId, mark.x]));
    // Ana and Bob are 5 ms apart in truth: tens of pixels, not the same pixel of a two-day axis.
    expect(truth.get('b')! - truth.get('a')!).toBeGreaterThan(50);
    expect(layout.ticks.every((tick) => Math.abs(Number.parseFloat(tick.label)) < 100)).toBe(true);
    expect(layout.rows[1].marks.map((mark) => [mark.attemptId, mark.unbounded, mark.errorBoundPx > 0])).toEqual([
      ['a', false, true],
      ['b', false, true],
      ['c', true, false],
    ]);
  });

  it('draws the truth’s own uncertainty on the true-time row, and an unknown truth across the plot', () => {
    const timeline = invertedTimeline();
    const [ana, bob] = timeline.attempts;
    timeline.attempts = [
      { ...ana!, reference_uncertainty_ms: 2 },
      bob!,
      attempt('c', { server: 30, ntp: 30, truth: 30 }, { reference_uncertainty_ms: 86_400_000 }),
    ];
    const truth = layoutTimeline(timeline).rows[2];
    expect(truth.marks.map((mark) => [mark.attemptId, mark.unbounded, mark.errorBoundPx > 0])).toEqual([
      ['a', false, true],
      ['b', false, false],
      ['c', true, false],
    ]);
  });

  it('handles a seat without attempts', () => {
    expect(layoutTimeline({ ...invertedTimeline(), attempts: [], winners: null }).rows).toEqual([]);
  });

  it('picks round tick steps', () => {
    expect(tickStepMs(60)).toBe(10);
    expect(tickStepMs(12)).toBe(2);
    expect(tickStepMs(3000)).toBe(500);
  });
});
