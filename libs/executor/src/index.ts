export * from './lib/execution.types';
export * from './lib/execution.error';
export * from './lib/executor.settings';
export * from './lib/clock.service';
export * from './lib/process-spawner.service';
export { JobLauncher, LauncherSpawner } from './lib/launcher/job-launcher';
export * from './lib/temp-dirs.service';
export * from './lib/script-executor.service';
export { TIMEOUT_CANCEL } from './lib/execution.runner';
