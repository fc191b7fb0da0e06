import { Client, type Notification } from 'pg';

export interface PgListenerOptions {
  connectionString: string;
  channel: string;
  /** Shows in pg_stat_activity. */
  applicationName: string;
  onNotify: (payload: string) => void;
  /** After a lost connection is back and LISTEN is active again (notifications in between are lost). */
  onReconnect?: () => void;
  /** A callback threw, or a reconnection attempt failed; the listener carries on. */
  onError?: (error: unknown) => void;
  /** Reconnection backoff, doubling from min to max (default 100 ms .. 5 s). */
  reconnectDelayMs?: { min: number; max: number };
}

/**
 * One dedicated connection LISTENing on one channel (a pooled connection cannot hold a
 * LISTEN). Reconnects with backoff when the connection is lost, until closed.
 */
export class PgListener {
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private started: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;

  constructor(private readonly options: PgListenerOptions) {}

  /** Resolves once LISTEN is active; rejects if the first connection fails. Idempotent. */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`listener on ${this.options.channel} is closed`));
    // A failed first connection is not cached: the next start() tries again.
    this.started ??= this.connect().catch((error: unknown) => {
      this.started = null;
      throw error;
    });
    return this.started;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // A connection being made right now ends itself when it sees `closed`.
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private connect(): Promise<void> {
    const attempt = this.open().finally(() => {
      this.connecting = null;
    });
    this.connecting = attempt;
    return attempt;
  }

  private async open(): Promise<void> {
    const client = new Client({ connectionString: this.options.connectionString, application_name: this.options.applicationName });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message: Notification) => this.deliver(message));
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.options.channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.failures = 0;
  }

  private deliver(message: Notification): void {
    if (message.channel !== this.options.channel || !message.payload) return;
    try {
      this.options.onNotify(message.payload);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private lost(client: Client, error?: unknown): void {
    if (error !== undefined) this.options.onError?.(error);
    // Events of a client already replaced or being closed on purpose are not a loss.
    if (client !== this.client || this.closed) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.timer) return;
    const { min, max } = this.options.reconnectDelayMs ?? { min: 100, max: 5000 };
    const delay = Math.min(max, min * 2 ** this.failures);
    this.failures++;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.reconnect();
    }, delay);
  }

  private async reconnect(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      this.options.onError?.(error);
      this.scheduleReconnect();
      return;
    }
    if (this.closed) return;
    try {
      this.options.onReconnect?.();
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
