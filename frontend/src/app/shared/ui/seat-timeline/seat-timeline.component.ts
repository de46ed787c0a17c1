import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { SeatTimeline } from '../../../core/api/api-types';
import { clockTime, formatBoundMs, formatTruthUncertaintyMs } from '../../format';
import { TIMELINE_ROWS, layoutTimeline, orderOn } from './timeline-layout';

/** Categorical palette readable on white; attempt i keeps colour i on every row. */
const PALETTE = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#dc2626'];

@Component({
  selector: 'lab-seat-timeline',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './seat-timeline.component.html',
  styleUrl: './seat-timeline.component.css',
})
export class SeatTimelineComponent {
  readonly timeline = input.required<SeatTimeline>();

  protected readonly layout = computed(() => layoutTimeline(this.timeline()));
  protected readonly attempts = computed(() => this.timeline().attempts);
  protected readonly boundText = formatBoundMs;
  protected readonly truthText = formatTruthUncertaintyMs;
  /** The axis's zero: the earliest true time, which the tick labels count from. */
  protected readonly originLabel = computed(() => {
    const times = this.attempts().map((attempt) => attempt.reference_time_ms);
    return times.length ? clockTime(Math.min(...times)) : '';
  });
  /** The picture in words, for screen readers and anyone who cannot see the crossing lines. */
  protected readonly description = computed(() => {
    const attempts = this.attempts();
    if (attempts.length === 0) return '';
    const orders = TIMELINE_ROWS.map(
      (row) =>
        `${row.label}: ${orderOn(row.key, attempts)
          .map((attempt) => attempt.customer_name)
          .join(', then ')}.`,
    );
    const inverted = this.layout().invertedRows.map((key) => TIMELINE_ROWS.find((row) => row.key === key)?.label);
    const verdict = inverted.length
      ? `${inverted.join(' and ')} put${inverted.length > 1 ? '' : 's'} someone other than the truly first customer first: the lines cross.`
      : 'Every clock agrees with the truth.';
    return `${orders.join(' ')} ${verdict}`;
  });

  protected colorOf(index: number): string {
    return PALETTE[index % PALETTE.length];
  }

  protected pointsOf(points: readonly { x: number; y: number }[]): string {
    return points.map((point) => `${point.x.toFixed(1)},${point.y}`).join(' ');
  }
}
