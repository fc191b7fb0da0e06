export * from './lib/worker-loop.types';
export * from './lib/job-source.error';
export * from './lib/worker-loop.settings';
export { WorkerLoop, SHUTDOWN_CANCEL_REASON, type WorkerLoopOptions, type LoopState } from './lib/worker-loop.service';
export { nextTurn } from './lib/next-turn.util';
