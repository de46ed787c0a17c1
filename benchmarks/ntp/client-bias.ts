/**
 * How biased is our SNTP client? Against chronyd on loopback serving the host
 * clock itself (`local stratum 10`, `-x`), the true offset is 0, so the
 * median measured θ is the client's own bias: the asymmetry between how late
 * it reads t4 after the reply arrives and how early it reads t1 before the
 * request leaves (chrony stamps t2 in the kernel). Needs root and chronyd.
 *
 *   npx tsx benchmarks/ntp/client-bias.ts
 *
 * BENCH_SAMPLES (default 1000) exchanges, one fresh socket and host-clock
 * anchor each, as the reference clock makes them. BENCH_COMPARE=<path to
 * another sntp-client.ts> measures that client too, alternating exchange by
 * exchange so machine load falls on both alike (how the before/after figures
 * in NTP-CLIENT.md were taken, with the previous commit's client).
 * Prints a table, then one JSON line.
 */
import { resolve } from 'node:path';
import { queryNtpServer, type NtpQueryOptions, type NtpSample } from '../../backend/src/clocks/ntp/sntp-client';
import { chronyUnavailableReason, startChrony } from '../../backend/src/clocks/ntp/testing/chrony-server';

type Query = (options: NtpQueryOptions) => Promise<Pick<NtpSample, 'offsetMs' | 'roundTripDelayMs'>>;

interface Summary {
  readonly samples: number;
  readonly mean_us: number;
  readonly median_us: number;
  readonly p10_us: number;
  readonly p90_us: number;
  readonly median_delay_us: number;
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] as number;

const summarise = (offsetsMs: readonly number[], delaysMs: readonly number[]): Summary => {
  const offsets = [...offsetsMs].sort((a, b) => a - b);
  const delays = [...delaysMs].sort((a, b) => a - b);
  const us = (ms: number): number => Math.round(ms * 10_000) / 10;
  return {
    samples: offsets.length,
    mean_us: us(offsets.reduce((sum, value) => sum + value, 0) / offsets.length),
    median_us: us(quantile(offsets, 0.5)),
    p10_us: us(quantile(offsets, 0.1)),
    p90_us: us(quantile(offsets, 0.9)),
    median_delay_us: us(quantile(delays, 0.5)),
  };
};

const main = async (): Promise<void> => {
  const unavailable = chronyUnavailableReason();
  if (unavailable) {
    console.log(`chrony unavailable: ${unavailable}`);
    return;
  }
  const samples = Number(process.env['BENCH_SAMPLES'] ?? 1000);
  const clients: Array<{ name: string; query: Query }> = [{ name: 'this client', query: queryNtpServer }];
  const comparePath = process.env['BENCH_COMPARE'];
  if (comparePath) {
    const other = (await import(resolve(comparePath))) as { queryNtpServer: Query };
    clients.push({ name: comparePath, query: other.queryNtpServer });
  }
  const chrony = await startChrony();
  const results = clients.map(() => ({ offsets: [] as number[], delays: [] as number[] }));
  try {
    for (let round = 0; round < samples; round += 1) {
      for (const [index, client] of clients.entries()) {
        const sample = await client.query({ host: '127.0.0.1', port: chrony.port, timeoutMs: 1000 });
        results[index]?.offsets.push(sample.offsetMs);
        results[index]?.delays.push(sample.roundTripDelayMs);
        await new Promise((done) => setTimeout(done, 2));
      }
    }
  } finally {
    await chrony.stop();
  }
  const summaries = clients.map((client, index) => ({
    client: client.name,
    ...summarise(results[index]?.offsets ?? [], results[index]?.delays ?? []),
  }));
  console.log('offset against chrony on loopback (true offset 0), µs');
  console.log(
    'client'.padEnd(40),
    'N'.padStart(6),
    'mean'.padStart(8),
    'median'.padStart(8),
    'p10'.padStart(8),
    'p90'.padStart(8),
    'δ median'.padStart(9),
  );
  for (const s of summaries) {
    console.log(
      s.client.slice(-40).padEnd(40),
      String(s.samples).padStart(6),
      ...[s.mean_us, s.median_us, s.p10_us, s.p90_us].map((v) => v.toFixed(1).padStart(8)),
      s.median_delay_us.toFixed(1).padStart(9),
    );
  }
  console.log(JSON.stringify({ benchmark: 'ntp-client-bias', results: summaries }));
};

void main();
