/**
 * The simplest booking-server clocks: a constant offset per server and a
 * perfect NTP estimate. Kept for tests that want clocks without a model.
 */
import type { BookingServerClocks, ClockReading } from '../../reservations/domain/clock-reading';
import type { ReferenceTime } from '../../reservations/application/reference-time';

export const bookingServerIds = (count: number): string[] =>
  Array.from({ length: count }, (_, index) => `server-${index + 1}`);

export class ConstantOffsetClocks implements BookingServerClocks {
  private readonly lastHlc = new Map<string, { wallMs: number; logical: number }>();

  constructor(
    private readonly reference: ReferenceTime,
    private readonly offsetsMs: ReadonlyMap<string, number>,
  ) {}

  serverIds(): readonly string[] {
    return [...this.offsetsMs.keys()];
  }

  has(serverId: string): boolean {
    return this.offsetsMs.has(serverId);
  }

  read(serverId: string): ClockReading {
    const offsetMs = this.offsetsMs.get(serverId);
    if (offsetMs === undefined) throw new Error(`unknown booking server ${serverId}`);
    const referenceTimeMs = this.reference.nowMs();
    const serverTimeMs = referenceTimeMs + offsetMs;
    const previous = this.lastHlc.get(serverId) ?? { wallMs: 0, logical: 0 };
    const wallMs = Math.max(previous.wallMs, Math.floor(serverTimeMs));
    const hlc = { wallMs, logical: wallMs === previous.wallMs ? previous.logical + 1 : 0 };
    this.lastHlc.set(serverId, hlc);
    return {
      serverId,
      serverTimeMs,
      referenceTimeMs,
      estimatedOffsetMs: offsetMs,
      errorBoundMs: 0,
      ntpCorrectedTimeMs: referenceTimeMs,
      hlc: `${String(hlc.wallMs).padStart(15, '0')}.${String(hlc.logical).padStart(6, '0')}.${serverId}`,
    };
  }
}
