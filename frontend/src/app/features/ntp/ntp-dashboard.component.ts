import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import type { ChartOptions } from 'chart.js';
import { BaseChartDirective } from 'ng2-charts';
import { formatMs } from '../../shared/time-format';
import { ApiErrorMessageComponent } from '../../shared/ui/api-error-message.component';
import { errorBoundChartData, offsetChartData } from './offset-samples';
import { NtpStore } from './ntp.store';

const CHART_OPTIONS: ChartOptions<'line'> = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  interaction: { mode: 'index', intersect: false },
  plugins: { legend: { position: 'bottom', labels: { boxWidth: 10, font: { size: 11 } } } },
  scales: { x: { ticks: { maxTicksLimit: 8, font: { size: 10 } } }, y: { ticks: { font: { size: 10 } } } },
};

@Component({
  selector: 'lab-ntp-dashboard',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorMessageComponent, BaseChartDirective, DecimalPipe],
  providers: [NtpStore],
  templateUrl: './ntp-dashboard.component.html',
  styleUrl: './ntp-dashboard.component.css',
})
export class NtpDashboardComponent {
  protected readonly store = inject(NtpStore);
  protected readonly chartOptions = CHART_OPTIONS;
  protected readonly ms = formatMs;
  protected readonly offsetData = computed(() => offsetChartData(this.store.samples(), this.store.chartServer()));
  protected readonly boundData = computed(() =>
    errorBoundChartData(this.store.samples(), this.store.errorBoundThresholdMs()),
  );

  /** Exposed on the chart element so tests can see the line move without reading pixels. */
  protected readonly lastConfigured = computed(() => this.offsetData().datasets[0]?.data.at(-1) ?? null);

  protected setThreshold(text: string): void {
    const value = Number(text);
    if (Number.isFinite(value) && value > 0) this.store.errorBoundThresholdMs.set(value);
  }
}
