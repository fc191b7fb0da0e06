import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ScriptExecutor } from '@millrace/executor';
import { WorkerLoop } from '@millrace/worker-loop';
import { randomUUID } from 'node:crypto';
import { AgentWorkerConfig } from '../config/agent-worker.config';
import { defaultWorkerSuffix, primaryIp, workerGroupOf } from './agent-identity';
import { BrokerJobSource } from './broker-job.source';

export const AGENT_VERSION = '0.1.0';
/** SIGTERM → SIGKILL delay for a cancelled job's process group. */
const KILL_GRACE_MS = 5_000;

/**
 * Runs the shared worker loop against the broker. INIT_SCRIPT runs once first; if it fails,
 * or the broker rejects the token, the worker stops with exit code 1 and says why.
 */
@Injectable()
export class AgentWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AgentWorker');
  private loop?: WorkerLoop;
  private starting?: Promise<void>;
  readonly workerName: string;
  private readonly suffix: string;
  private readonly executor: ScriptExecutor;

  constructor(private readonly config: AgentWorkerConfig) {
    this.suffix = config.WORKER_SUFFIX ?? defaultWorkerSuffix();
    this.workerName = `ag-${workerGroupOf(config.AGENT_TOKEN)}-${this.suffix}`;
    this.executor = new ScriptExecutor({
      killGraceMs: KILL_GRACE_MS,
      path: config.PATH,
      baseInternalUrl: config.BASE_INTERNAL_URL,
      useLauncher: config.JOB_LAUNCHER === 1,
      warn: (m) => this.logger.warn(m),
    });
  }

  get isRunning(): boolean {
    return this.loop?.state === 'running';
  }

  onApplicationBootstrap(): void {
    // Not awaited: the health port must answer while the init script runs.
    this.starting = this.start().catch((e: unknown) => this.fail(`agent failed to start: ${e instanceof Error ? e.message : String(e)}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.starting;
    // SHUTDOWN_GRACE_S bounds the whole shutdown (runApp exits 1 past it): leave room after
    // the drain for cancelled jobs to die (kill grace) and report.
    const reportMs = KILL_GRACE_MS + 2_000;
    await this.loop?.stop(Math.max(0, this.config.SHUTDOWN_GRACE_S * 1000 - reportMs - 1_000));
  }

  private async start(): Promise<void> {
    this.logger.log(`agent ${this.workerName} starting against ${this.config.BASE_INTERNAL_URL}`);
    const source = new BrokerJobSource({
      baseUrl: this.config.BASE_INTERNAL_URL,
      agentToken: this.config.AGENT_TOKEN,
      workerSuffix: this.suffix,
      pullWaitS: this.config.PULL_WAIT_S,
      logger: this.loopLogger(),
    });
    if (this.config.INIT_SCRIPT) {
      const ok = await this.runInitScript(source, this.config.INIT_SCRIPT);
      if (!ok) return;
    }
    this.loop = new WorkerLoop(source, this.executor, {
      shutdownReportMs: KILL_GRACE_MS + 2_000,
      ip: primaryIp(),
      workerName: this.workerName,
      version: AGENT_VERSION,
      workerInstance: this.suffix,
      concurrency: this.config.WORKER_CONCURRENCY,
      prefetch: this.config.PREFETCH,
      logger: this.loopLogger(),
      onFatal: (e) => this.fail(e.message),
    });
    this.loop.start();
  }

  /**
   * Runs INIT_SCRIPT with bash like a job, then records it through the broker as a
   * completed `init` job (with its logs) whether it succeeded or not.
   */
  private async runInitScript(source: BrokerJobSource, script: string): Promise<boolean> {
    let logs = '';
    const result = await this.executor.run(
      { id: randomUUID(), workspaceId: 'admins', language: 'bash', content: script, args: {}, token: '' },
      {
        onLogs: (chunk) => {
          logs += chunk;
          this.logger.log(`INIT_SCRIPT: ${chunk.trimEnd()}`);
        },
      },
    );
    try {
      const id = await source.recordInitJob(script, result, logs);
      this.logger.log(`INIT_SCRIPT recorded as job ${id}`);
    } catch (e) {
      this.fail(`INIT_SCRIPT could not be recorded: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
    if (!result.success) {
      this.fail(`INIT_SCRIPT failed: ${result.error.message}`);
      return false;
    }
    this.logger.log(`INIT_SCRIPT succeeded in ${Math.round(result.durationMs)} ms`);
    return true;
  }

  private loopLogger() {
    return {
      log: (m: string) => this.logger.log(m),
      warn: (m: string) => this.logger.warn(m),
      error: (m: string) => this.logger.error(m),
    };
  }

  /** Stops the process with exit code 1 through the normal graceful shutdown. */
  private fail(message: string): void {
    this.logger.error(`${message}; exiting`);
    process.exitCode = 1;
    process.kill(process.pid, 'SIGTERM');
  }
}
