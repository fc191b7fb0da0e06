import type { WorkerLoopLogger } from './worker-loop.types';

export interface WorkerLoopSettings {
  /** The worker's name; recorded as `canceledBy` when shutdown cancels a job. */
  workerName: string;
  /** Jobs run at once. */
  concurrency: number;
  /**
   * 0 or 1: how many jobs to claim ahead of time while every slot is busy. With 1 (and a source
   * that can `release`), the loop keeps one `pull` with `prefetch: true` open while all slots
   * run jobs; a job it returns is held, not started, and starts the moment a slot frees — no
   * round trip between jobs. At most `concurrency + 1` jobs are claimed at once. 0 (default):
   * a pull only when a slot is free. Ignored when the source has no `release`.
   */
  prefetch: number;
  /**
   * How long a prefetched job may wait for a slot. Past it the job is released (given back to
   * the queue for other workers) and no new prefetch is made until a slot frees, so a worker
   * busy with long jobs does not keep claiming and releasing work.
   */
  prefetchHoldMs: number;
  /** Job heartbeat period; a cancel takes effect within about this long. */
  heartbeatIntervalMs: number;
  /** Worker ping period (an initial ping is sent at start). */
  pingIntervalMs: number;
  /**
   * With a source whose pulls count as pings (`JobSource.pullRefreshesPing`), the longest a
   * worker goes without a real ping: memory, jobs executed and occupancy still reach the
   * server at least this often. Keep it well under the gateway's liveness window (a worker
   * counts as alive if it pinged within 60 s).
   */
  fullPingIntervalMs: number;
  /**
   * A `job` ping (sent when a job starts) is skipped if another ping was sent less than this
   * long ago: a busy worker would otherwise send one per job, and its `current_job_id` is
   * only a hint. 0 sends one for every job.
   */
  minJobPingGapMs: number;
  /** First retry delay after a transport error; doubles up to `maxBackoffMs`, with jitter. */
  minBackoffMs: number;
  maxBackoffMs: number;
  /**
   * On stop, how long a pull already in flight may still take to return (a job it claims is
   * then run and drained, rather than left claimed by nobody — or, from a prefetch pull,
   * released). Also bounds the release of a held prefetched job on stop.
   */
  pullAbortGraceMs: number;
  /** Pause after a pull that found nothing, in case the source returned without waiting. */
  emptyPullDelayMs: number;
  /**
   * On stop, after running jobs were cancelled, how long they get to die and report before
   * the loop gives up retrying their reports (the server's monitor then handles them).
   */
  shutdownReportMs: number;
  version: string;
  workerInstance: string;
  ip: string | null;
  /** The group's environment for each job as it starts (it may change while running). */
  jobEnv: () => Readonly<Record<string, string>>;
  /** Resident memory for pings. */
  memoryBytes: () => number;
  logger: WorkerLoopLogger;
  /** Called once when a source call threw `Fatal`; the loop is already stopping. */
  onFatal: (error: Error) => void;
}

export const DEFAULT_WORKER_LOOP_SETTINGS: Omit<WorkerLoopSettings, 'workerName' | 'version' | 'workerInstance'> = {
  concurrency: 1,
  prefetch: 0,
  prefetchHoldMs: 1000,
  heartbeatIntervalMs: 2000,
  pingIntervalMs: 5000,
  fullPingIntervalMs: 30_000,
  minJobPingGapMs: 1000,
  minBackoffMs: 250,
  maxBackoffMs: 30_000,
  pullAbortGraceMs: 2000,
  emptyPullDelayMs: 50,
  shutdownReportMs: 10_000,
  ip: null,
  jobEnv: () => ({}),
  memoryBytes: () => process.memoryUsage.rss(),
  logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
  onFatal: () => undefined,
};
