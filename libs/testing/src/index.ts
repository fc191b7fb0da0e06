export * from './lib/test-database';
export * from './lib/test-app';
export * from './lib/spawn-app';
export * from './lib/test-keys';
export * from './lib/eventually';
