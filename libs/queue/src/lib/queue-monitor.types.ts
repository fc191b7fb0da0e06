export interface QueueMonitorOptions {
  /** A running job whose last heartbeat is older than this is presumed lost. */
  zombieTimeoutS: number;
  /** How many times a lost job is requeued before it is failed. */
  restartLimit: number;
  /** Completed jobs older than this are deleted with their logs. */
  retentionDays: number;
  /** Completed jobs deleted per statement (default 5,000). */
  deleteBatchSize?: number;
  /** Statements per round at most (default 20): a large backlog drains over rounds. */
  maxDeleteBatches?: number;
}

export interface MonitorReport {
  /** False when another monitor held the lock: this round did nothing. */
  ranAsLeader: boolean;
  /** Zombie jobs put back in the queue. */
  requeued: string[];
  /** Zombie jobs past the restart limit, completed as failed. */
  failed: string[];
  /** Running jobs past their timeout, completed as canceled (reason `timeout`). */
  timedOut: string[];
  /** Zombie jobs that had been flagged for cancel: completed as canceled, not requeued. */
  canceled: string[];
  /** Completed jobs deleted by retention. */
  deleted: number;
}
