import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AgentBrokerConfig } from '../config/agent-broker.config';
import { AgentTokenRepository } from './agent-token.repository';

export type RevocationListener = (newlyRevoked: ReadonlySet<string>) => void;

/**
 * The set of revoked agent-token jtis, re-read in full every REVOCATION_REFRESH_MS. The whole
 * set rather than "the jtis seen lately": revocations are rare superadmin actions, so the set
 * stays small, one cheap query per refresh covers every token, and a revoked token is refused
 * on its very first request to this broker without a per-request query.
 */
@Injectable()
export class RevocationList implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RevocationList');
  private revoked = new Set<string>();
  private loadedAt?: number;
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private stopped = false;
  private readonly listeners: RevocationListener[] = [];

  constructor(
    private readonly repo: AgentTokenRepository,
    private readonly config: AgentBrokerConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    // A broker that cannot read the list at boot still starts; it answers 503 until it can.
    await this.refresh();
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  isRevoked(jti: string): boolean {
    return this.revoked.has(jti);
  }

  /** False until the first load, and when the last good load is older than REVOCATION_MAX_STALE_S. */
  isFresh(now = Date.now()): boolean {
    return this.loadedAt !== undefined && now - this.loadedAt <= this.config.REVOCATION_MAX_STALE_S * 1000;
  }

  /** Called after each refresh that found jtis not revoked before (e.g. to end their long polls). */
  onRevoked(listener: RevocationListener): void {
    this.listeners.push(listener);
  }

  /** Re-reads the list now; errors are logged and the previous list is kept. */
  refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async load(): Promise<void> {
    const startedAt = Date.now();
    try {
      const next = new Set(await this.repo.listRevoked());
      const added = new Set([...next].filter((jti) => !this.revoked.has(jti)));
      this.revoked = next;
      this.loadedAt = startedAt;
      if (added.size > 0) for (const l of this.listeners) l(added);
    } catch (e) {
      this.logger.warn(`cannot read revoked agent tokens: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.refresh().finally(() => this.schedule());
    }, this.config.REVOCATION_REFRESH_MS);
  }
}
