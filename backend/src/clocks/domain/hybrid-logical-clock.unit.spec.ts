import fc from 'fast-check';
import { compareHlc, decodeHlc, encodeHlc, initialHlc, receive, tick, type HlcStamp } from './hybrid-logical-clock';

const physicalMs = fc.double({ min: -60_000, max: 2e12, noNaN: true });
const nodeId = fc.constantFrom('server-1', 'server-2', 'server-3', 'server-10');

/** A stamp reachable by some history of ticks. */
const reachableStamp = fc
  .tuple(nodeId, fc.array(physicalMs, { minLength: 1, maxLength: 8 }))
  .map(([node, times]) => times.reduce<HlcStamp>((stamp, t) => tick(stamp, t), initialHlc(node)));

const events = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('tick' as const), node: fc.integer({ min: 0, max: 2 }), physicalMs }),
    fc.record({
      kind: fc.constant('send' as const),
      from: fc.integer({ min: 0, max: 2 }),
      to: fc.integer({ min: 0, max: 2 }),
      physicalMs,
    }),
  ),
  { maxLength: 40 },
);

describe('hybrid logical clock', () => {
  it('follows physical time when it moves forward, counts when it does not', () => {
    const first = tick(initialHlc('server-1'), 1000.7);
    expect(first).toEqual({ wallMs: 1000, logical: 0, nodeId: 'server-1' });
    expect(tick(first, 1000.9)).toEqual({ wallMs: 1000, logical: 1, nodeId: 'server-1' });
    expect(tick(first, 900)).toEqual({ wallMs: 1000, logical: 1, nodeId: 'server-1' });
    expect(tick(first, 1005)).toEqual({ wallMs: 1005, logical: 0, nodeId: 'server-1' });
  });

  it('a receive from a clock that runs ahead is stamped after the remote send', () => {
    const remote = { wallMs: 20_000, logical: 3, nodeId: 'server-2' };
    const local = { wallMs: 5000, logical: 0, nodeId: 'server-1' };
    expect(receive(local, remote, 5001)).toEqual({ wallMs: 20_000, logical: 4, nodeId: 'server-1' });
  });

  it('tick is strictly after the previous stamp', () => {
    fc.assert(
      fc.property(reachableStamp, physicalMs, (stamp, t) =>
        expect(compareHlc(tick(stamp, t), stamp)).toBeGreaterThan(0),
      ),
    );
  });

  it('receive is strictly after both the local and the remote stamp', () => {
    fc.assert(
      fc.property(reachableStamp, reachableStamp, physicalMs, (local, remote, t) => {
        const received = receive(local, remote, t);
        expect(compareHlc(received, local)).toBeGreaterThan(0);
        expect(compareHlc(received, remote)).toBeGreaterThan(0);
        expect(received.nodeId).toBe(local.nodeId);
      }),
    );
  });

  it('in any history of three nodes, every event is after its causal predecessors and stays near physical time', () => {
    fc.assert(
      fc.property(events, (history) => {
        const clocks = [initialHlc('server-1'), initialHlc('server-2'), initialHlc('server-3')];
        let maxPhysicalMs = 0;
        for (const event of history) {
          maxPhysicalMs = Math.max(maxPhysicalMs, Math.floor(event.physicalMs));
          if (event.kind === 'tick') {
            const next = tick(clocks[event.node] as HlcStamp, event.physicalMs);
            expect(compareHlc(next, clocks[event.node] as HlcStamp)).toBeGreaterThan(0);
            clocks[event.node] = next;
          } else {
            const sent = tick(clocks[event.from] as HlcStamp, event.physicalMs);
            clocks[event.from] = sent;
            const receiver = clocks[event.to] as HlcStamp;
            const received = receive(receiver, sent, event.physicalMs);
            expect(compareHlc(received, sent)).toBeGreaterThan(0);
            expect(compareHlc(received, receiver)).toBeGreaterThan(0);
            clocks[event.to] = received;
          }
        }
        // HLC's bound: the wall part never exceeds the largest physical time seen.
        for (const clock of clocks) expect(clock.wallMs).toBeLessThanOrEqual(maxPhysicalMs);
      }),
    );
  });

  it('compare is a total order: antisymmetric, and 0 only for equal stamps', () => {
    fc.assert(
      fc.property(reachableStamp, reachableStamp, (a, b) => {
        expect(Math.sign(compareHlc(a, b)) + Math.sign(compareHlc(b, a))).toBe(0);
        expect(compareHlc(a, b) === 0).toBe(a.wallMs === b.wallMs && a.logical === b.logical && a.nodeId === b.nodeId);
      }),
    );
  });

  it('string encodings sort exactly like compareHlc and decode back', () => {
    fc.assert(
      fc.property(reachableStamp, reachableStamp, (a, b) => {
        const [encodedA, encodedB] = [encodeHlc(a), encodeHlc(b)];
        const stringOrder = encodedA === encodedB ? 0 : encodedA < encodedB ? -1 : 1;
        expect(stringOrder).toBe(Math.sign(compareHlc(a, b)));
        expect(decodeHlc(encodedA)).toEqual(a);
      }),
    );
    expect(encodeHlc({ wallMs: 1_700_000_000_123, logical: 2, nodeId: 'server-1' })).toBe(
      '001700000000123.0000000002.server-1',
    );
  });

  it('refuses to encode or decode stamps outside the fixed-width format', () => {
    expect(() => encodeHlc({ wallMs: -1, logical: 0, nodeId: 'n' })).toThrow(RangeError);
    expect(() => encodeHlc({ wallMs: 1.5, logical: 0, nodeId: 'n' })).toThrow(RangeError);
    expect(() => decodeHlc('12.3.server-1')).toThrow(RangeError);
  });
});
