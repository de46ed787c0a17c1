import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import type { ChartData } from 'chart.js';
import { BaseChartDirective } from 'ng2-charts';
import { OperatorNoticeComponent } from '../../core/auth/operator-notice.component';
import { ThemeService } from '../../core/theme/theme.service';
import { clockTime, clockTimeOf, formatMs, formatOffset, formatPpm, formatSignedMs } from '../../shared/format';
import { ApiErrorMessageComponent } from '../../shared/ui/api-error-message.component';
import { NtpStore } from './ntp.store';
import { TimePoint, driftSeries, errorBoundSeries, offsetSeries, serversOf, timeSpan } from './offset-samples';
import { POINT_POSITIONS, SERVER_PALETTE, provideTimeCharts, timeChartOptions } from './time-chart';

type LineData = ChartData<'line', TimePoint[]>;

@Component({
  selector: 'lab-ntp-dashboard',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorMessageComponent, BaseChartDirective, OperatorNoticeComponent],
  providers: [NtpStore, provideTimeCharts()],
  templateUrl: './ntp-dashboard.component.html',
  styleUrl: './ntp-dashboard.component.css',
})
export class NtpDashboardComponent {
  protected readonly store = inject(NtpStore);
  private readonly theme = inject(ThemeService).theme;
  protected readonly plugins = [POINT_POSITIONS];
  protected readonly ms = formatMs;
  protected readonly signedMs = formatSignedMs;
  protected readonly ppm = formatPpm;
  protected readonly clockOf = clockTimeOf;

  protected readonly offsetOptions = computed(() => timeChartOptions('offset (ms, + = ahead)', this.theme()));
  protected readonly driftOptions = computed(() => timeChartOptions('change since last sync (ms)', this.theme()));
  protected readonly boundOptions = computed(() => timeChartOptions('error bound (± ms)', this.theme()));

  private readonly colorOf = computed(() => {
    const servers = serversOf(this.store.samples());
    return (serverId: string) => SERVER_PALETTE[Math.max(servers.indexOf(serverId), 0) % SERVER_PALETTE.length];
  });

  protected readonly offset = computed(() => offsetSeries(this.store.samples(), this.store.chartServer()));
  protected readonly offsetData = computed<LineData>(() => {
    const { trueOffset, estimated } = this.offset();
    return {
      datasets: [
        {
          label: 'true offset',
          data: trueOffset,
          borderColor: '#374151',
          backgroundColor: '#374151',
          pointRadius: 0,
          // Each reading holds until the next: a configuration is a jump at its instant, not a slope from the poll before.
          stepped: 'after',
        },
        {
          label: 'NTP estimate',
          data: estimated,
          borderColor: '#1d4ed8',
          backgroundColor: '#1d4ed8',
          // An estimate holds until the next sync.
          stepped: 'after',
          spanGaps: true,
        },
      ],
    };
  });
  protected readonly offsetSummary = computed(() => {
    const { trueOffset, estimated } = this.offset();
    const last = trueOffset.at(-1);
    if (!last) return 'No readings yet.';
    const estimate = estimated.at(-1)?.y;
    return (
      `${this.store.chartServer()} at ${clockTime(last.x)}: true offset ${formatSignedMs(last.y)}, ` +
      `NTP estimate ${Number.isFinite(estimate) ? formatSignedMs(estimate) : 'none yet'}; ${trueOffset.length} readings.`
    );
  });

  protected readonly drift = computed(() => driftSeries(this.store.samples()));
  protected readonly driftData = computed<LineData>(() => ({
    datasets: this.drift().map((series) => ({
      label: series.serverId,
      data: series.points,
      borderColor: this.colorOf()(series.serverId),
      backgroundColor: this.colorOf()(series.serverId),
      pointRadius: 0,
    })),
  }));
  protected readonly driftSummary = computed(() =>
    this.drift()
      .map((series) => {
        const moved = series.points.at(-1)?.y ?? 0;
        const rate = series.measuredPpm === null ? '' : ` (${formatPpm(series.measuredPpm)})`;
        return `${series.serverId}: ${formatSignedMs(moved)} since ${clockTime(series.sinceMs)}${rate}`;
      })
      .join('; '),
  );

  protected readonly boundData = computed<LineData>(() => {
    const samples = this.store.samples();
    const span = timeSpan(samples);
    const threshold = this.store.alerts.errorBoundThresholdMs();
    return {
      datasets: [
        ...[...errorBoundSeries(samples)].map(([serverId, points]) => ({
          label: serverId,
          data: points,
          borderColor: this.colorOf()(serverId),
          backgroundColor: this.colorOf()(serverId),
          spanGaps: true,
          pointRadius: 0,
        })),
        {
          label: `alert threshold (${formatMs(threshold)})`,
          data: span ? span.map((x) => ({ x, y: threshold })) : [],
          borderColor: '#b91c1c',
          backgroundColor: '#b91c1c',
          borderDash: [6, 4],
          pointRadius: 0,
        },
      ],
    };
  });
  protected readonly boundSummary = computed(() =>
    this.store
      .statuses()
      .map(
        (status) =>
          `${status.server_id} ${status.error_bound_ms === null ? 'unbounded' : '±' + formatMs(status.error_bound_ms)}`,
      )
      .join(', '),
  );

  protected readonly offsetLabel = formatOffset;

  protected setThreshold(text: string): void {
    const value = Number(text);
    if (Number.isFinite(value) && value > 0) this.store.alerts.errorBoundThresholdMs.set(value);
  }
}
