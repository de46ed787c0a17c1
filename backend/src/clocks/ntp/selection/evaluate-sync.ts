import type { NtpSourceReport } from '../ntp-reference-status';
import type { BurstOutcome } from '../ntp-source-burst';
import type { NtpSample } from '../sntp-client';
import { checkOffsetSanity, type HeldOffset, type OffsetSanityLimits } from './offset-sanity';
import { combineTruechimers, intersectIntervals, type IntervalCandidate } from './source-intersection';

/**
 * One sync's verdict from every source's best sample, pure: sanity checks
 * (panic threshold, max change), then RFC 5905 selection among the sane
 * ones, then the truechimers combined. Says for every source whether it was
 * used and, if not, why.
 */
export interface SyncVerdict {
  readonly reports: readonly NtpSourceReport[];
  /** The combined offset to discipline the reference with, or null when no source survived. */
  readonly measurement: {
    readonly offsetMs: number;
    readonly atMs: number;
    readonly uncertaintyMs: number;
    /** The surviving sample with the smallest root distance (RFC 5905's system peer): its stratum and delay are shown. */
    readonly systemPeer: NtpSample;
  } | null;
}

const sampleFields = (sample: NtpSample) => ({
  offsetMs: sample.offsetMs,
  roundTripDelayMs: sample.roundTripDelayMs,
  rootDistanceMs: sample.rootDistanceMs,
  stratum: sample.stratum,
  authenticated: sample.authenticated,
  ignoredDatagrams: sample.ignoredDatagrams,
});

/** The local instant a sample's offset describes: the middle of its exchange. */
const measuredAt = (sample: NtpSample): number => (sample.timestamps.t1 + sample.timestamps.t4) / 2;

export const evaluateSync = (
  outcomes: readonly BurstOutcome[],
  limits: OffsetSanityLimits,
  heldAt: ((atMs: number) => HeldOffset) | undefined,
): SyncVerdict => {
  const reports = new Map<string, NtpSourceReport>();
  const sane: Array<{ server: string; sample: NtpSample }> = [];
  for (const outcome of outcomes) {
    if ('failure' in outcome) {
      reports.set(outcome.server, {
        server: outcome.server,
        status: 'rejected',
        reason: outcome.failure.reason,
        detail: outcome.failure.detail,
        offsetMs: null,
        roundTripDelayMs: null,
        rootDistanceMs: null,
        stratum: null,
        authenticated: false,
        ignoredDatagrams: outcome.failure.ignoredDatagrams,
      });
      continue;
    }
    const rejection = checkOffsetSanity(outcome.sample.offsetMs, limits, heldAt?.(measuredAt(outcome.sample)));
    if (rejection) {
      reports.set(outcome.server, {
        server: outcome.server,
        status: 'rejected',
        reason: rejection.reason,
        detail: `${outcome.server}: ${rejection.detail}`,
        ...sampleFields(outcome.sample),
      });
    } else {
      sane.push(outcome);
    }
  }

  const candidates: IntervalCandidate[] = sane.map(({ server, sample }) => ({
    id: server,
    offsetMs: sample.offsetMs,
    // A zero-width interval could never intersect anything; the host clock's resolution is the floor.
    rootDistanceMs: Math.max(sample.rootDistanceMs, 1e-6),
  }));
  const intersection = intersectIntervals(candidates);
  const truechimers = new Set(intersection.kind === 'majority' ? intersection.truechimers : []);
  for (const { server, sample } of sane) {
    const selected = truechimers.has(server);
    const detail = selected
      ? null
      : intersection.kind === 'majority'
        ? `${server}: offset ${sample.offsetMs.toFixed(3)} ms ± ${sample.rootDistanceMs.toFixed(3)} ms lies outside the majority's intersection [${intersection.lowMs.toFixed(3)}, ${intersection.highMs.toFixed(3)}] ms`
        : `${server}: no majority of the ${sane.length} sane sources agrees on an offset`;
    reports.set(server, {
      server,
      status: selected ? 'selected' : 'rejected',
      reason: selected ? null : intersection.kind === 'majority' ? 'falseticker' : 'no-majority',
      detail,
      ...sampleFields(sample),
    });
  }

  const survivors = sane.filter(({ server }) => truechimers.has(server));
  const ordered = outcomes.map((outcome) => reports.get(outcome.server) as NtpSourceReport);
  if (survivors.length === 0) return { reports: ordered, measurement: null };
  const combined = combineTruechimers(candidates.filter((candidate) => truechimers.has(candidate.id)));
  const systemPeer = survivors.reduce((a, b) => (b.sample.rootDistanceMs < a.sample.rootDistanceMs ? b : a)).sample;
  const atMs = survivors.reduce((sum, { sample }) => sum + measuredAt(sample), 0) / survivors.length;
  return { reports: ordered, measurement: { ...combined, atMs, systemPeer } };
};
