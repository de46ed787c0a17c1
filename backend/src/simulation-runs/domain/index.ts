export * from './attempt-generator';
export * from './run-clocks';
export * from './run-events';
export * from './run-identity';
export * from './run-parameters';
export * from './run-plan';
export * from './run-summary';
