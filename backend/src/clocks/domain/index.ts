export * from './clock-model';
export * from './corrected-time';
export * from './hybrid-logical-clock';
export * from './ntp-exchange';
export * from './scenarios';
export * from './seeded-random';
export * from './simulated-sync';
export * from './sync-state';
