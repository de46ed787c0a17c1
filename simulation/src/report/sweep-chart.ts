/**
 * A line chart as a standalone SVG (no dependency): wrong seats per 10,000
 * attempts against the swept value, one line per ordering strategy.
 */
import type { Series } from './lab-report';

export interface SweepPoint {
  readonly value: number;
  readonly wrongPer10k: Readonly<Record<Series, number>>;
}

export interface ChartLabels {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
}

const COLOURS: Readonly<Record<Series, string>> = {
  authority: '#000000',
  server_clock: '#d62728',
  ntp_corrected: '#2ca02c',
  log_order: '#1f77b4',
  hlc: '#9467bd',
  truth: '#7f7f7f',
};

const WIDTH = 760;
const HEIGHT = 440;
const MARGIN = { left: 70, right: 170, top: 50, bottom: 60 };

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** 1, 2, 5 × 10^n steps: round tick labels whatever the range. */
const niceStep = (span: number, ticks: number): number => {
  const raw = span / Math.max(1, ticks);
  const magnitude = 10 ** Math.floor(Math.log10(raw || 1));
  const scaled = raw / magnitude;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * magnitude;
};

const formatTick = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));

export const sweepChartSvg = (
  points: readonly SweepPoint[],
  strategies: readonly Series[],
  labels: ChartLabels,
): string => {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const xs = points.map((point) => point.value);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs, xMin + 1);
  const yMaxData = Math.max(1, ...points.flatMap((point) => strategies.map((s) => point.wrongPer10k[s])));
  const yStep = niceStep(yMaxData, 5);
  const yMax = Math.ceil(yMaxData / yStep) * yStep;
  const x = (value: number) => MARGIN.left + ((value - xMin) / (xMax - xMin)) * plotWidth;
  const y = (value: number) => MARGIN.top + plotHeight - (value / yMax) * plotHeight;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(labels.title)}</text>`,
  );
  for (let tick = 0; tick <= yMax + 1e-9; tick += yStep) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 8}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${formatTick(tick)}</text>`,
    );
  }
  const xStep = niceStep(xMax - xMin, 6);
  for (let tick = Math.ceil(xMin / xStep) * xStep; tick <= xMax + 1e-9; tick += xStep) {
    parts.push(
      `<line x1="${x(tick).toFixed(1)}" x2="${x(tick).toFixed(1)}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight + 5}" stroke="#333"/>`,
      `<text x="${x(tick).toFixed(1)}" y="${MARGIN.top + plotHeight + 20}" text-anchor="middle">${formatTick(tick)}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 15}" text-anchor="middle">${escapeXml(labels.xLabel)}</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(labels.yLabel)}</text>`,
  );
  strategies.forEach((strategy, index) => {
    const path = points
      .map((point) => `${x(point.value).toFixed(1)},${y(point.wrongPer10k[strategy]).toFixed(1)}`)
      .join(' ');
    // Lines that coincide (several strategies at 0) stay visible: later ones are dashed.
    parts.push(
      `<polyline points="${path}" fill="none" stroke="${COLOURS[strategy]}" stroke-width="2"${index > 0 ? ` stroke-dasharray="${4 + index * 2} 3"` : ''}/>`,
    );
    const legendY = MARGIN.top + 10 + index * 20;
    parts.push(
      `<line x1="${MARGIN.left + plotWidth + 15}" x2="${MARGIN.left + plotWidth + 40}" y1="${legendY}" y2="${legendY}" stroke="${COLOURS[strategy]}" stroke-width="2"/>`,
      `<text x="${MARGIN.left + plotWidth + 46}" y="${legendY + 4}">${strategy}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
};

export const sweepCsv = (points: readonly SweepPoint[], strategies: readonly Series[], valueColumn: string): string =>
  [
    [valueColumn, ...strategies.map((strategy) => `${strategy}_wrong_per_10k`)].join(','),
    ...points.map((point) => [point.value, ...strategies.map((s) => point.wrongPer10k[s].toFixed(3))].join(',')),
  ].join('\n') + '\n';
