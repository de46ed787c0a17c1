import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { SeatTimeline } from '../../../core/api/api-types';
import { layoutTimeline } from './timeline-layout';

/** Categorical palette readable on white; attempt i keeps colour i on every row. */
const PALETTE = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#dc2626'];

@Component({
  selector: 'lab-seat-timeline',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DecimalPipe],
  templateUrl: './seat-timeline.component.html',
  styleUrl: './seat-timeline.component.css',
})
export class SeatTimelineComponent {
  readonly timeline = input.required<SeatTimeline>();

  protected readonly layout = computed(() => layoutTimeline(this.timeline()));
  protected readonly attempts = computed(() => this.timeline().attempts);

  protected colorOf(index: number): string {
    return PALETTE[index % PALETTE.length];
  }

  protected pointsOf(points: readonly { x: number; y: number }[]): string {
    return points.map((point) => `${point.x.toFixed(1)},${point.y}`).join(' ');
  }
}
