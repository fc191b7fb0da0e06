/** Tunables of a `ScriptExecutor`; every field has a default (see `DEFAULT_EXECUTOR_SETTINGS`). */
export interface ExecutorSettings {
  /** How often output is handed to `onLogs`. */
  logFlushIntervalMs: number;
  /** Log bytes kept per job; then one truncation marker line, the rest is dropped. */
  maxLogBytes: number;
  /** A larger result fails the job. */
  maxResultBytes: number;
  /** After SIGTERM on cancel/timeout, SIGKILL follows after this long. */
  killGraceMs: number;
  /** After the main process exits, how long its output pipes may stay open before being cut. */
  drainMs: number;
  /** Where job directories go; default the OS temporary directory. */
  tempRoot?: string;
  /** `PATH` for jobs (the worker's, read by its config); used to find the interpreters too. */
  path: string;
  /** Handed to jobs as `BASE_INTERNAL_URL`. */
  baseInternalUrl: string;
  /** Interpreter commands, resolved through `path`. */
  bashCommand: string;
  python3Command: string;
  /** Node for nodejs/typescript jobs; default the Node running the worker. */
  nodeCommand: string;
  /**
   * Start jobs through the job launcher, a small helper process (launcher/job-launcher.ts),
   * instead of forking them from the worker itself: less CPU per job for the worker.
   */
  useLauncher: boolean;
  /** Called for problems that do not change a job's outcome (e.g. a directory left behind). */
  warn: (message: string) => void;
}

export const DEFAULT_EXECUTOR_SETTINGS: ExecutorSettings = {
  logFlushIntervalMs: 500,
  maxLogBytes: 2 * 1024 * 1024,
  maxResultBytes: 2 * 1024 * 1024,
  killGraceMs: 5000,
  drainMs: 1000,
  path: '/usr/local/bin:/usr/bin:/bin',
  baseInternalUrl: '',
  bashCommand: 'bash',
  python3Command: 'python3',
  nodeCommand: process.execPath,
  useLauncher: true,
  warn: () => undefined,
};
