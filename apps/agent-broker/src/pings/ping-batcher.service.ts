import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { QueueError, WorkerPing } from '@millrace/queue';
import { AgentBrokerConfig } from '../config/agent-broker.config';
import { PingWriter } from './ping-writer';

/**
 * Collects agents' pings in memory (the latest per worker wins) and writes them every
 * PING_FLUSH_MS, or as soon as PING_BATCH_MAX workers are pending, in statements of at most
 * PING_BATCH_MAX rows. 10,000 agents pinging every 5 s (2,000 pings/s) cost about two
 * statements per second instead of 2,000. A failed write keeps its pings for the next
 * flush unless a newer ping of the same worker arrived meanwhile. Pings are liveness
 * hints: a broker crash loses at most one interval of them.
 */
@Injectable()
export class PingBatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('PingBatcher');
  private pending = new Map<string, WorkerPing>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private again = false;

  constructor(
    private readonly writer: PingWriter,
    private readonly config: AgentBrokerConfig,
  ) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.config.PING_FLUSH_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  record(ping: WorkerPing): void {
    this.pending.set(ping.worker, ping);
    if (this.pending.size >= this.config.PING_BATCH_MAX) void this.flush();
  }

  /** Writes everything pending; a flush asked for while one runs follows it. */
  flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = this.writeAll().finally(() => {
      this.flushing = undefined;
      if (this.again) {
        this.again = false;
        void this.flush();
      }
    });
    return this.flushing;
  }

  /** Writes what is pending now; pings arriving meanwhile wait for the next flush. */
  private async writeAll(): Promise<void> {
    const taken = [...this.pending.values()];
    this.pending = new Map();
    for (let i = 0; i < taken.length; i += this.config.PING_BATCH_MAX) {
      const batch = taken.slice(i, i + this.config.PING_BATCH_MAX);
      try {
        await this.writer.write(batch);
      } catch (e) {
        if (e instanceof QueueError) {
          // Refused as invalid: retrying would fail forever and hold back the pings after it.
          this.logger.error(`dropped ${batch.length} invalid worker ping(s): ${e.message}`);
          continue;
        }
        const unwritten = taken.slice(i);
        for (const p of unwritten) if (!this.pending.has(p.worker)) this.pending.set(p.worker, p);
        this.logger.warn(`cannot write ${unwritten.length} worker ping(s), keeping them for the next flush: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
    }
  }
}
