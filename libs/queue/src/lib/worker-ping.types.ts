export type WorkerKind = 'normal' | 'agent';

/** What a worker reports about itself on each ping (API.md `update_ping`). */
export interface WorkerPing {
  /** Unique name: normal workers their own, agents `ag-<group>-<suffix>`. */
  worker: string;
  workerInstance: string;
  workerGroup: string;
  kind: WorkerKind;
  tags: readonly string[];
  currentJobId?: string | null;
  jobsExecuted: number;
  memoryBytes?: number | null;
  version: string;
  ip?: string | null;
  /** Share of recent time spent running jobs, 0..1. */
  occupancy?: number | null;
}

/** A worker's latest ping as stored. */
export interface WorkerPingRecord {
  worker: string;
  workerInstance: string;
  workerGroup: string;
  kind: WorkerKind;
  tags: string[];
  /** When this worker instance first pinged. */
  startedAt: Date;
  lastPing: Date;
  currentJobId: string | null;
  jobsExecuted: number;
  memoryBytes: number | null;
  version: string;
  ip: string | null;
  occupancy: number | null;
}
