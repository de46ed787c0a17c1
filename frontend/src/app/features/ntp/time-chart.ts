// Chart.js set up for the NTP screen only (this file loads with its lazy
// route): a real time axis through chart.js's time scale and the date-fns
// adapter, titles and units on both axes, sizes that follow projector mode.
import {
  type ChartOptions,
  type Plugin,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  TimeScale,
  Title,
  Tooltip,
} from 'chart.js';
import 'chartjs-adapter-date-fns';
import { provideCharts } from 'ng2-charts';
import type { Theme } from '../../core/theme/theme.service';
import { formatMs } from '../../shared/format';

/** Only what the line charts use, so the chunk stays small. */
export const provideTimeCharts = () =>
  provideCharts({
    registerables: [LineController, LineElement, PointElement, LinearScale, TimeScale, Legend, Tooltip, Title],
  });

/** Categorical palette readable on white (each ≥ 3:1 against it); a server keeps its colour on every chart. */
export const SERVER_PALETTE = ['#1d4ed8', '#b45309', '#047857', '#be185d', '#6d28d9', '#0e7490', '#4d7c0f'];

/**
 * Writes where the chart drew each point (x pixels per dataset) on the
 * canvas element, so a browser test can check the time axis from the chart's
 * own scale, not from pixels of an image.
 */
export const POINT_POSITIONS: Plugin<'line'> = {
  id: 'labPointPositions',
  afterRender(chart) {
    const positions = chart.data.datasets.map((_dataset, index) =>
      chart.getDatasetMeta(index).data.map((element) => Math.round(element.x * 10) / 10),
    );
    chart.canvas.dataset['pointX'] = JSON.stringify(positions);
  },
};

export function timeChartOptions(yTitle: string, theme: Theme): ChartOptions<'line'> {
  const projector = theme === 'projector';
  const font = { size: projector ? 16 : 11 };
  const color = projector ? '#000000' : '#374151';
  const grid = { color: projector ? '#9ca3af' : '#e5e7eb' };
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    parsing: false,
    interaction: { mode: 'nearest', intersect: false },
    plugins: {
      legend: { position: 'bottom', labels: { boxWidth: projector ? 16 : 10, font, color } },
      tooltip: {
        callbacks: { label: (item) => `${item.dataset.label}: ${formatMs(item.parsed.y)}` },
      },
    },
    elements: { line: { borderWidth: projector ? 3 : 2 }, point: { radius: projector ? 3 : 2 } },
    scales: {
      x: {
        type: 'time',
        time: {
          tooltipFormat: 'HH:mm:ss.SSS',
          displayFormats: { millisecond: 'HH:mm:ss.SSS', second: 'HH:mm:ss', minute: 'HH:mm', hour: 'HH:mm' },
        },
        title: { display: true, text: 'time (local)', font, color },
        // Labels never overlap: fewer of them, skipped with room to spare, in projector type too.
        ticks: { maxTicksLimit: projector ? 4 : 6, autoSkip: true, autoSkipPadding: 16, font, color, maxRotation: 0 },
        grid,
      },
      y: {
        title: { display: true, text: yTitle, font, color },
        ticks: { font, color, callback: (value) => formatMs(Number(value)) },
        grid,
      },
    },
  };
}
