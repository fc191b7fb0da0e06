import { Clock, TimerHandle } from './clock.service';

export interface LogCollectorOptions {
  /** Bytes (UTF-8) of log kept per job; beyond, one marker line and the rest is dropped. */
  maxBytes: number;
  /** How often accumulated output is handed to the sink. */
  flushIntervalMs: number;
}

type Sink = (chunk: string) => void | Promise<void>;

/**
 * Gathers a job's output and delivers it in batches to one sink, in order, never two
 * deliveries at once (the sink may be an HTTP call). Enforces the per-job log cap.
 */
export class LogCollector {
  private pending = '';
  private keptBytes = 0;
  private truncated = false;
  private lastChar = '';
  private delivering: Promise<void> | null = null;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly sink: Sink | undefined,
    private readonly options: LogCollectorOptions,
    private readonly clock: Clock,
  ) {}

  start(): void {
    this.timer = this.clock.every(this.options.flushIntervalMs, () => this.flush());
  }

  get isTruncated(): boolean {
    return this.truncated;
  }

  write(text: string): void {
    if (this.truncated || text.length === 0) return;
    const bytes = Buffer.byteLength(text);
    if (this.keptBytes + bytes <= this.options.maxBytes) {
      this.keptBytes += bytes;
      this.append(text);
      return;
    }
    const head = utf8Prefix(text, this.options.maxBytes - this.keptBytes);
    this.keptBytes += Buffer.byteLength(head);
    this.append(head);
    this.truncated = true;
    // The marker gets its own line so it never reads as part of the job's output.
    const separator = this.lastChar === '' || this.lastChar === '\n' ? '' : '\n';
    this.pending += `${separator}[millrace] log output exceeded ${formatBytes(this.options.maxBytes)}; further output is dropped (the job keeps running)\n`;
  }

  /** Stops the timer and resolves once everything written so far has been delivered. */
  async close(): Promise<void> {
    this.clock.clear(this.timer);
    this.timer = undefined;
    // A delivery in flight may have left newer output pending: loop until both are done.
    while (this.delivering || this.pending.length > 0) {
      if (this.delivering) await this.delivering;
      else this.flush();
    }
  }

  private append(text: string): void {
    if (text.length === 0) return;
    this.pending += text;
    this.lastChar = text[text.length - 1] ?? '';
  }

  private flush(): void {
    if (this.delivering || this.pending.length === 0) return;
    const chunk = this.pending;
    this.pending = '';
    const sink = this.sink;
    if (!sink) return;
    // Settles asynchronously even when the sink throws synchronously, so `delivering` is
    // always cleared after it was set.
    const delivery: Promise<void> = Promise.resolve()
      .then(() => sink(chunk))
      // The sink owns retries (see ExecutionHooks.onLogs); a batch it gave up on is lost.
      .catch(() => undefined)
      .finally(() => {
        if (this.delivering === delivery) this.delivering = null;
      });
    this.delivering = delivery;
  }
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never splitting a character. */
export function utf8Prefix(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  const buf = Buffer.from(text);
  if (buf.length <= maxBytes) return text;
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString();
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}
