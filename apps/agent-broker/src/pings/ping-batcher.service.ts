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
 *
 * Every pull_job also `touch`es its agent: an agent with a long poll open is alive, so the
 * agent worker skips its periodic update_ping while it polls (it still sends a full one every
 * 30 s). Touches move only `last_ping`, in one UPDATE per flush, for agents with no full ping
 * pending; 10,000 polling agents then cost the broker about 400 poll renewals and 330 pings
 * a second instead of 400 renewals and 2,000 pings.
 */
@Injectable()
export class PingBatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('PingBatcher');
  private pending = new Map<string, WorkerPing>();
  private touched = new Set<string>();
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

  /** This agent is alive (it sent a pull_job): its `last_ping` moves at the next flush. */
  touch(worker: string): void {
    this.touched.add(worker);
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
    const pending = this.pending;
    const taken = [...pending.values()];
    this.pending = new Map();
    // A full ping of the same worker sets last_ping too.
    const touched = [...this.touched].filter((w) => !pending.has(w));
    this.touched = new Set();
    await this.writeTouches(touched);
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

  /** Best effort: a lost touch is renewed by the agent's next pull or its next full ping. */
  private async writeTouches(workers: string[]): Promise<void> {
    for (let i = 0; i < workers.length; i += this.config.PING_BATCH_MAX) {
      try {
        await this.writer.touch(workers.slice(i, i + this.config.PING_BATCH_MAX));
      } catch (e) {
        this.logger.warn(`cannot mark ${workers.length - i} polling agent(s) alive: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
    }
  }
}
