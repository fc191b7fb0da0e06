import { Clock } from './clock.service';
import { ExecutionRun } from './execution.runner';
import type { ExecutionHooks, ExecutionJob, ExecutionResult, RunningExecution } from './execution.types';
import { DEFAULT_EXECUTOR_SETTINGS, ExecutorSettings } from './executor.settings';
import { LauncherSpawner } from './launcher/job-launcher';
import { ProcessSpawner } from './process-spawner.service';
import { TempDirs } from './temp-dirs.service';

export interface ScriptExecutorDeps {
  spawner?: ProcessSpawner;
  tempDirs?: TempDirs;
  clock?: Clock;
}

/**
 * Runs job code (bash, python3, nodejs, typescript-as-JavaScript) in a fresh temporary
 * directory as its own process group, with an environment built from scratch. Shared by
 * both worker kinds: no database, no HTTP — only Node built-ins.
 */
export class ScriptExecutor {
  readonly settings: ExecutorSettings;
  private readonly spawner: ProcessSpawner;
  private readonly tempDirs: TempDirs;
  private readonly clock: Clock;

  constructor(settings: Partial<ExecutorSettings> = {}, deps: ScriptExecutorDeps = {}) {
    this.settings = { ...DEFAULT_EXECUTOR_SETTINGS, ...settings };
    this.spawner = deps.spawner ?? (this.settings.useLauncher ? new LauncherSpawner(this.settings.warn) : new ProcessSpawner());
    this.tempDirs = deps.tempDirs ?? new TempDirs(this.settings.tempRoot);
    this.clock = deps.clock ?? new Clock();
  }

  /** Starts a run; it never throws — every failure ends up in `done` as `success: false`. */
  start(job: ExecutionJob, hooks: ExecutionHooks = {}): RunningExecution {
    return new ExecutionRun(job, hooks, { settings: this.settings, spawner: this.spawner, tempDirs: this.tempDirs, clock: this.clock });
  }

  run(job: ExecutionJob, hooks: ExecutionHooks = {}): Promise<ExecutionResult> {
    return this.start(job, hooks).done;
  }
}
