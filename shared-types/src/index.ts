export * from './records.ts';
export * from './periods.ts';
export * from './method.ts';
export * from './scores.ts';
export * from './snapshots.ts';
