/** Plain-text tables for people; --json prints the LabReport objects instead. */
import { STRATEGIES, wrongPer10k, type LabReport } from './lab-report';

const percent = (share: number): string => `${(share * 100).toFixed(1)} %`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;

const table = (rows: readonly (readonly string[])[]): string => {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  '),
    )
    .join('\n');
};

const countRows = (reports: readonly LabReport[]): string[][] => [
  ['attempts', ...reports.map((r) => String(r.attempts))],
  ['contended seats', ...reports.map((r) => String(r.contended_seats))],
  ['contention', ...reports.map((r) => String(r.conflicts.contention))],
  ['inversions', ...reports.map((r) => String(r.conflicts.inversion))],
  ['ambiguous', ...reports.map((r) => String(r.conflicts.ambiguous))],
  ...STRATEGIES.map((strategy) => [
    `truly first wins: ${strategy}`,
    ...reports.map((r) => `${percent(r.accuracy[strategy])} (${wrongPer10k(r, strategy).toFixed(1)}/10k wrong)`),
  ]),
  ...(reports.every((r) => r.authority)
    ? [
        [
          "the lab's holder is truly first",
          ...reports.map((r) => {
            const { seats, correct } = r.authority!;
            return `${percent(seats === 0 ? 1 : correct / seats)} (${wrongPer10k(r, 'authority').toFixed(1)}/10k wrong)`;
          }),
        ],
        [
          'wrong holders: ambiguous / bound violated',
          ...reports.map(
            (r) => `${r.wrong_holders?.['ambiguous'] ?? 0} / ${r.wrong_holders?.['bound_violation'] ?? 0}`,
          ),
        ],
        ['attempts out of their bound', ...reports.map((r) => String(r.bound_violations ?? 0))],
      ]
    : []),
];

export const formatWitness = (report: LabReport): string => {
  const witness = report.worst_inversion;
  if (!witness) return 'worst inversion: none (no seat went to a later customer by server clock)';
  const side = (label: string, attempt: typeof witness.true_first) =>
    `  ${label.padEnd(20)} ${attempt.customer_name} on ${attempt.server_id}: arrived at ${new Date(attempt.reference_time_ms).toISOString()}, ` +
    `server clock said ${new Date(attempt.server_time_ms).toISOString()}`;
  return [
    `worst inversion: seat ${witness.seat_id}${witness.conflict_id ? ` (conflict ${witness.conflict_id})` : ''} — ` +
      `the server clock preferred a customer who arrived ${seconds(witness.gap_ms)} later`,
    side('truly first:', witness.true_first),
    side('server-clock winner:', witness.server_clock_winner),
  ].join('\n');
};

export const formatReport = (report: LabReport): string =>
  [
    `${report.title}${report.run_id ? ` (run ${report.run_id})` : ''}`,
    table([['', 'value'], ...countRows([report])]),
    formatWitness(report),
  ].join('\n');

export const formatSideBySide = (reports: readonly LabReport[]): string =>
  [
    table([['', ...reports.map((report) => report.title)], ...countRows(reports)]),
    ...reports.map((report) => `${report.title}: ${formatWitness(report)}`),
  ].join('\n\n');
