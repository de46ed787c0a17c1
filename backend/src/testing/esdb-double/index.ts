export { EsdbServerDouble, type EsdbServerDoubleOptions, type RunningEsdbServerDouble } from './esdb-server-double';
export type { StoredEvent } from './in-memory-log';
export type { ServerFeaturesMode } from './server-features-service';
