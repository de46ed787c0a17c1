import { InitialReadModel1764290000000 } from './migrations/1764290000000-initial-read-model';
import { ClockHistory1764300000000 } from './migrations/1764300000000-clock-history';
import { IncrementalSeatAnalysis1764400000000 } from './migrations/1764400000000-incremental-seat-analysis';
import { ResolutionModel1764500000000 } from './migrations/1764500000000-resolution-model';
import { LabSessions1764600000000 } from './migrations/1764600000000-lab-sessions';
import { ClusterState1764700000000 } from './migrations/1764700000000-cluster-state';
import { SeatAnalysisAsText1764800000000 } from './migrations/1764800000000-seat-analysis-as-text';
import { ConflictWitnessAsText1764900000000 } from './migrations/1764900000000-conflict-witness-as-text';
import { ReferenceUncertainty1765000000000 } from './migrations/1765000000000-reference-uncertainty';

/** Every read-model migration, in order. */
export const READ_MODEL_MIGRATIONS = [
  InitialReadModel1764290000000,
  ClockHistory1764300000000,
  IncrementalSeatAnalysis1764400000000,
  ResolutionModel1764500000000,
  LabSessions1764600000000,
  ClusterState1764700000000,
  SeatAnalysisAsText1764800000000,
  ConflictWitnessAsText1764900000000,
  ReferenceUncertainty1765000000000,
];
