/**
 * One oracle scenario: the real app in-process (test/app-harness.ts), driven over HTTP only,
 * then every seat it touched recomputed by the oracle and compared, with /api/stats,
 * /api/conflicts and /api/reservations checked against the oracle's own aggregates.
 */
import { startTestApp, type RunningApp } from '../app-harness';
import { openThrowawayDatabase, type TestDatabase } from '../../src/testing/test-databases';
import { LabClient, STRATEGIES, sleep, type Attempt, type SyncResult, type Timeline } from './lab-client';
import { checkSeat, type SeatCheck } from './oracle';
import { describeSeat } from './describe-seat';

export interface SessionOptions {
  windowMs?: number;
  graceMs?: number;
  maxSeats?: number;
  /** `postgres`: a throw-away database on TEST_DATABASE_URL's server for both stores; default PGlite in memory. */
  store?: 'pglite' | 'postgres';
  env?: Record<string, string>;
}

/** The stores a scenario can run on here: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const availableStores = (): ('pglite' | 'postgres')[] =>
  process.env['TEST_DATABASE_URL'] ? ['pglite', 'postgres'] : ['pglite'];

export interface Report {
  scenario: string;
  seats: number;
  disagreements: string[];
  phantomContention: number;
  missedContention: number;
  unexplained: number;
  boundViolations: number;
  /** settled seats with one competing attempt whose holder was not truly first */
  wrongUncontended: number;
  /** /api/stats' authority figures against every assigned seat (see checkAuthority) */
  authority: string[];
  /** how often each verdict, role and edge case occurred: what the scenario exercised */
  coverage: Record<string, number>;
  checks: SeatCheck[];
  timelines: Map<number, Timeline>;
}

export class OracleSession {
  readonly windowMs: number;
  readonly graceMs: number;
  private running: RunningApp | undefined;
  private database: TestDatabase | undefined;
  private lastTimelines = new Map<number, Timeline>();
  private clientValue: LabClient | undefined;
  private readonly seats = new Set<number>();
  readonly syncs: SyncResult[] = [];
  readonly reports: Report[] = [];

  constructor(private readonly options: SessionOptions = {}) {
    this.windowMs = options.windowMs ?? 2000;
    this.graceMs = options.graceMs ?? 250;
  }

  get client(): LabClient {
    if (this.clientValue === undefined) throw new Error('session not started');
    return this.clientValue;
  }

  async start(): Promise<void> {
    if (this.options.store === 'postgres') {
      const adminUrl = process.env['TEST_DATABASE_URL'];
      if (!adminUrl) throw new Error('the PostgreSQL store needs TEST_DATABASE_URL');
      this.database = await openThrowawayDatabase(adminUrl, 'lab_oracle');
    }
    this.running = await startTestApp({
      ...(this.database === undefined ? {} : { DATABASE_URL: this.database.connectionString }),
      CONFLICT_WINDOW_MS: String(this.windowMs),
      SETTLEMENT_GRACE_MS: String(this.graceMs),
      MAX_SEATS: String(this.options.maxSeats ?? 100),
      // No periodic sync during a scenario: the oracle forces every sync it wants.
      TIME_SYNC_INTERVAL: '3600',
      ...this.options.env,
    });
    this.clientValue = new LabClient(this.running.baseUrl, this.running.operatorHeaders);
  }

  async stop(): Promise<void> {
    await this.running?.close();
    await this.database?.dispose();
  }

  /**
   * Rebuilds the read model from the log (POST /api/replay) and returns every seat whose timeline then
   * differs from what it said before: a rebuilt model must say the same about every seat.
   */
  async rebuildAndCompare(before: Map<number, Timeline>): Promise<string[]> {
    const job = await this.client.replay();
    const deadline = Date.now() + 120_000;
    let state = await this.client.replayJob(job.id);
    while (state.status === 'running' && Date.now() < deadline) {
      await sleep(200);
      state = await this.client.replayJob(job.id);
    }
    if (state.status !== 'completed') return [`replay ${job.id} ended ${state.status}: ${state.error}`];
    const d: string[] = [];
    for (const [seatId, timeline] of before) {
      const after = await this.client.timeline(seatId);
      if (JSON.stringify(after) !== JSON.stringify(timeline))
        d.push(`seat ${seatId}: after the rebuild ${describeSeat(after)}; before ${describeSeat(timeline)}`);
    }
    return d;
  }

  async sync(serverId: string): Promise<SyncResult> {
    const result = await this.client.sync(serverId);
    this.syncs.push(result);
    return result;
  }

  async reserve(seatId: number, customerName: string, serverId: string): Promise<Attempt> {
    this.seats.add(seatId);
    return this.client.reserve(seatId, customerName, serverId);
  }

  /** Polls until every touched seat is settled, every attempt has an outcome and the read model caught up. */
  async waitForSettlement(timeoutMs = 30_000): Promise<Map<number, Timeline>> {
    const deadline = Date.now() + timeoutMs;
    const timelines = new Map<number, Timeline>();
    const pending = new Set(this.seats);
    while (pending.size > 0) {
      for (const seatId of [...pending]) {
        const timeline = await this.client.timeline(seatId);
        const settled =
          timeline.considered_up_to !== null &&
          timeline.holder_attempt_id !== null &&
          timeline.attempts.every((a) => a.outcome !== 'pending');
        if (settled) {
          timelines.set(seatId, timeline);
          pending.delete(seatId);
        }
      }
      if (pending.size === 0) break;
      if (Date.now() > deadline) throw new Error(`seats never settled: ${[...pending].join(', ')}`);
      await sleep(100);
    }
    for (;;) {
      const health = await this.client.health();
      if (health.read_model.caught_up || Date.now() > deadline) break;
      await sleep(50);
    }
    // Re-read once caught up: every revocation and late attempt is in.
    for (const seatId of this.seats) timelines.set(seatId, await this.client.timeline(seatId));
    return timelines;
  }

  /** Checks every seat touched so far, and the lab-wide figures against the oracle's own. */
  async check(scenario: string): Promise<Report> {
    const timelines = await this.waitForSettlement();
    return this.analyse(scenario, timelines, null, this.windowMs);
  }

  /** Checks every seat of a seeded run (1..seats), its stats and its conflicts. */
  async checkRun(scenario: string, runId: string, seats: number, windowMs: number): Promise<Report> {
    const timelines = new Map<number, Timeline>();
    for (let seatId = 1; seatId <= seats; seatId++) timelines.set(seatId, await this.client.timeline(seatId, runId));
    return this.analyse(scenario, timelines, runId, windowMs);
  }

  private async analyse(
    scenario: string,
    timelines: Map<number, Timeline>,
    runId: string | null,
    windowMs: number,
  ): Promise<Report> {
    const checks: SeatCheck[] = [];
    const disagreements: string[] = [];
    this.lastTimelines = timelines;
    for (const [seatId, timeline] of [...timelines].sort(([a], [b]) => a - b)) {
      if (timeline.attempts.length === 0) continue;
      const check = checkSeat(timeline, runId === null ? await this.client.seat(seatId) : null, windowMs);
      checks.push(check);
      disagreements.push(...check.disagreements);
      if (check.disagreements.length > 0) disagreements.push(`seat ${seatId} stamps: ${describeSeat(timeline)}`);
      if (runId !== null) continue;
      const listed = await this.client.reservations(`seat_id=${seatId}`);
      for (const a of timeline.attempts) {
        const item = listed.find((r) => r.id === a.attempt_id);
        if (item === undefined) disagreements.push(`seat ${seatId}: ${a.attempt_id} missing from /api/reservations`);
        else if (item.outcome !== a.outcome || item.log_position !== a.log_position)
          disagreements.push(
            `seat ${seatId}: /api/reservations says ${item.outcome} at ${item.log_position}, timeline ${a.outcome} at ${a.log_position}`,
          );
      }
      if (listed.length !== timeline.attempts.length)
        disagreements.push(
          `seat ${seatId}: /api/reservations lists ${listed.length}, timeline ${timeline.attempts.length}`,
        );
    }
    if (runId === null) disagreements.push(...(await this.checkOutOfBound(timelines)));
    disagreements.push(...(await this.checkConflicts(checks, runId)));
    disagreements.push(...(await this.checkStats(checks, timelines, runId)));
    const authority = await this.checkAuthority(checks, runId);
    const report: Report = {
      scenario,
      seats: checks.length,
      disagreements,
      phantomContention: checks.filter((c) => c.phantomContention).length,
      missedContention: checks.filter((c) => c.missedContention).length,
      unexplained: checks.filter(
        (c) => c.expected.verdict === 'unexplained' || timelines.get(c.seatId)?.holder_verdict === 'unexplained',
      ).length,
      boundViolations: checks.reduce((n, c) => n + c.expected.boundViolated.size, 0),
      authority,
      wrongUncontended: checks.filter(
        (c) =>
          !c.expected.kinds.includes('contention') && c.expected.verdict !== null && c.expected.verdict !== 'correct',
      ).length,
      coverage: coverageOf(checks, timelines),
      checks,
      timelines,
    };
    this.reports.push(report);
    return report;
  }

  /**
   * Step detection (docs/resolution.md, "Out of bound"): a sync that found the clock stepped marks every
   * attempt its server stamped since the previous sync (same sync epoch) out of bound, and no other.
   */
  private async checkOutOfBound(timelines: Map<number, Timeline>): Promise<string[]> {
    const d: string[] = [];
    const all = [...timelines.values()].flatMap((t) => t.attempts);
    const expected = new Set<string>();
    for (const server of new Set(all.map((a) => a.server_id))) {
      const syncs = (await this.client.history(server)).filter((h) => h.kind === 'synchronized');
      const mine = all
        .filter((a) => a.server_id === server)
        .sort((x, y) => (BigInt(x.log_position) < BigInt(y.log_position) ? -1 : 1));
      syncs.forEach((sync, i) => {
        const stepped = this.syncs.some(
          (s) => s.server_id === server && s.synced_at === sync.at && s.step_detected_ms !== null,
        );
        if (!stepped) return;
        const previous = i === 0 ? 0n : BigInt(syncs[i - 1]!.log_position);
        const before = mine.filter((a) => BigInt(a.log_position) < BigInt(sync.log_position)).at(-1);
        if (before === undefined || BigInt(before.log_position) < previous) return;
        for (const a of mine) if (a.sync_epoch === before.sync_epoch) expected.add(a.attempt_id);
      });
    }
    for (const a of all)
      if (a.out_of_bound !== expected.has(a.attempt_id))
        d.push(
          `${a.customer_name}(${a.attempt_id.slice(0, 8)}) on ${a.server_id}: out_of_bound lab ${a.out_of_bound}, oracle ${expected.has(a.attempt_id)}`,
        );
    const stats = await this.client.stats();
    for (const server of new Set(this.syncs.map((s) => s.server_id))) {
      const detected = this.syncs.filter((s) => s.server_id === server && s.step_detected_ms !== null).length;
      const lab = stats.servers.find((s) => s.server_id === server)?.steps_detected;
      if (lab !== undefined && lab !== detected)
        d.push(
          `/api/stats servers[${server}].steps_detected: lab ${lab}, oracle (the forced syncs that reported a step) ${detected}`,
        );
    }
    return d;
  }

  private async checkConflicts(checks: SeatCheck[], runId: string | null): Promise<string[]> {
    const d: string[] = [];
    const conflicts = (await this.client.conflicts(runId)).filter((c) => c.run_id === (runId ?? ''));
    for (const check of checks) {
      const conflict = conflicts.find((c) => c.seat_id === check.seatId);
      const kinds = check.expected.kinds;
      if (kinds.length === 0) {
        if (conflict !== undefined)
          d.push(`seat ${check.seatId}: /api/conflicts lists ${conflict.kinds.join('+')}, oracle none`);
        continue;
      }
      if (conflict === undefined) {
        d.push(`seat ${check.seatId}: /api/conflicts has nothing, oracle ${kinds.join('+')}`);
        continue;
      }
      // Measured (the doc does not say): server_ids are the competing attempts' servers, attempts_count
      // counts every attempt on the seat, competing or not.
      const timeline = this.lastTimelines.get(check.seatId)!;
      const competingServers = [
        ...new Set(
          timeline.attempts.filter((a) => check.expected.competing.includes(a.attempt_id)).map((a) => a.server_id),
        ),
      ].sort();
      if ([...conflict.server_ids].sort().join() !== competingServers.join())
        d.push(
          `seat ${check.seatId}: /api/conflicts server_ids ${conflict.server_ids.join(',')}, oracle ${competingServers.join(',')}`,
        );
      if (conflict.attempts_count !== timeline.attempts.length)
        d.push(
          `seat ${check.seatId}: /api/conflicts attempts_count ${conflict.attempts_count}, oracle ${timeline.attempts.length}`,
        );
      if ([...conflict.kinds].sort().join() !== [...kinds].sort().join())
        d.push(`seat ${check.seatId}: /api/conflicts kinds ${conflict.kinds.join('+')}, oracle ${kinds.join('+')}`);
      if ([...conflict.witness.candidates].sort().join() !== [...check.expected.candidates].sort().join())
        d.push(`seat ${check.seatId}: conflict witness candidates differ from oracle`);
      if ((conflict.witness.authoritative?.attempt_id ?? null) !== check.expected.holderId)
        d.push(
          `seat ${check.seatId}: conflict witness authoritative ${conflict.witness.authoritative?.attempt_id}, oracle ${check.expected.holderId}`,
        );
    }
    return d;
  }

  private async checkStats(
    checks: SeatCheck[],
    timelines: Map<number, Timeline>,
    runId: string | null,
  ): Promise<string[]> {
    const d: string[] = [];
    const stats = await this.client.stats(runId);
    const all = [...timelines.values()].flatMap((t) => t.attempts);
    const compare = (what: string, lab: unknown, oracle: unknown) => {
      if (JSON.stringify(lab) !== JSON.stringify(oracle))
        d.push(`/api/stats ${what}: lab ${JSON.stringify(lab)}, oracle ${JSON.stringify(oracle)}`);
    };
    // Strategies are scored over the contended seats (measured; only there do orderings compete). The
    // authority is scored over every seat it assigned, and every wrong holder is counted: see checkAuthority.
    const settled = checks.filter((c) => c.expected.holderId !== null && c.expected.kinds.includes('contention'));
    const assigned = checks.filter((c) => c.expected.holderId !== null);
    compare('attempts', stats.attempts, all.length);
    compare('seats_with_attempts', stats.seats_with_attempts, checks.length);
    compare('settled_seats', stats.settled_seats, checks.filter((c) => c.expected.holderId !== null).length);
    compare(
      'contended_seats',
      stats.contended_seats,
      checks.filter((c) => c.expected.kinds.includes('contention')).length,
    );
    for (const kind of ['contention', 'inversion', 'ambiguous'] as const)
      compare(`conflicts.${kind}`, stats.conflicts[kind], checks.filter((c) => c.expected.kinds.includes(kind)).length);
    for (const s of STRATEGIES)
      compare(
        `correct_seats.${s}`,
        stats.correct_seats[s],
        settled.filter((c) => c.expected.winners[s] === c.expected.trulyFirstId).length,
      );
    for (const cause of ['ambiguous', 'bound_violation', 'late_arrival', 'unexplained'] as const)
      compare(
        `wrong_holders.${cause}`,
        stats.wrong_holders[cause],
        assigned.filter((c) => c.expected.verdict === cause).length,
      );
    const violated = new Set(checks.flatMap((c) => [...c.expected.boundViolated]));
    for (const server of new Set(all.map((a) => a.server_id))) {
      const lab = stats.servers.find((s) => s.server_id === server);
      const mine = all.filter((a) => a.server_id === server);
      compare(`servers[${server}].attempts`, lab?.attempts, mine.length);
      compare(
        `servers[${server}].bound_violations`,
        lab?.bound_violations,
        mine.filter((a) => violated.has(a.attempt_id)).length,
      );
      // out_of_bound is checked against the syncs in checkOutOfBound; here only that stats count the flags.
      compare(`servers[${server}].out_of_bound`, lab?.out_of_bound, mine.filter((a) => a.out_of_bound).length);
    }
    return d;
  }

  /**
   * The authority's accuracy over every seat it assigned: `authority.seats` is the settled seats and
   * `correct` those whose holder was truly first. A population chosen by outcome (say, contended seats
   * plus the uncontended ones whose holder was wrong) would bias the figure.
   */
  private async checkAuthority(checks: SeatCheck[], runId: string | null): Promise<string[]> {
    const stats = await this.client.stats(runId);
    const assigned = checks.filter((c) => c.expected.holderId !== null);
    const correct = assigned.filter((c) => c.expected.verdict === 'correct').length;
    const contended = assigned.filter((c) => c.expected.kinds.includes('contention'));
    const wrongUncontended = assigned.filter(
      (c) => !c.expected.kinds.includes('contention') && c.expected.verdict !== 'correct',
    ).length;
    const lab = `lab ${stats.authority.correct}/${stats.authority.seats} = ${stats.authority.accuracy}`;
    const mine = `oracle ${correct}/${assigned.length} over every assigned seat (contended ${contended.length}, of which correct ${contended.filter((c) => c.expected.verdict === 'correct').length}; uncontended with a wrong holder ${wrongUncontended})`;
    return stats.authority.seats === assigned.length && stats.authority.correct === correct
      ? []
      : [`/api/stats authority: ${lab}, ${mine}`];
  }

  summaryLines(): string[] {
    return this.reports.flatMap((r) => [
      this.summaryLine(r),
      ...r.authority.map((a) => `[oracle]   ${r.scenario}: ${a}`),
    ]);
  }

  private summaryLine(r: Report): string {
    const coverage = Object.entries(r.coverage)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    return (
      `[oracle] ${r.scenario}: seats checked ${r.seats}, disagreements ${r.disagreements.length}, ` +
      `phantom contention ${r.phantomContention}, missed contention ${r.missedContention}, ` +
      `unexplained ${r.unexplained}, bound violations ${r.boundViolations}, ` +
      `wrong holders on uncontended seats ${r.wrongUncontended}, ` +
      `authority figures ${r.authority.length === 0 ? 'agree' : 'DISAGREE'}; ${coverage}`
    );
  }
}

const coverageOf = (checks: SeatCheck[], timelines: Map<number, Timeline>): Record<string, number> => {
  const coverage: Record<string, number> = {};
  const add = (key: string) => (coverage[key] = (coverage[key] ?? 0) + 1);
  for (const c of checks) {
    if (c.expected.verdict !== null) add(`verdict ${c.expected.verdict}`);
    for (const kind of c.expected.kinds) add(kind);
    for (const role of c.expected.roles.values()) add(`role ${role}`);
    const timeline = timelines.get(c.seatId)!;
    const close = c.expected.closesAtMs;
    for (const a of timeline.attempts)
      if (
        close !== null &&
        a.earliest_ms !== null &&
        a.latest_ms !== null &&
        a.earliest_ms < close &&
        a.latest_ms >= close &&
        c.expected.roles.get(a.attempt_id) !== 'after_settlement'
      )
        add('straddling the close');
    if (timeline.attempts.some((a) => a.earliest_ms === null)) add('seats with an unbounded attempt');
    // Issue 11 item 3 at scale: the first competing attempt in the log provably came later than another.
    const competing = timeline.attempts.filter((a) => c.expected.competing.includes(a.attempt_id));
    const firstInLog = competing.reduce<(typeof competing)[number] | null>(
      (best, a) => (best === null || BigInt(a.log_position) < BigInt(best.log_position) ? a : best),
      null,
    );
    if (firstInLog !== null && !c.expected.candidates.includes(firstInLog.attempt_id))
      add('first in the log but provably later (item 3)');
  }
  return coverage;
};
