/**
 * Remembers the last non-empty line of one stream (bash's result is stdout's last line),
 * in bounded memory however much the job prints.
 */
export class LastLine {
  private partial = '';
  private lastComplete = '';
  private overflow = false;

  /** Lines longer than `maxChars` are remembered only as "too long". */
  constructor(private readonly maxChars: number) {}

  write(text: string): void {
    const lines = text.split('\n');
    const rest = lines.pop() ?? '';
    if (lines.length > 0) {
      // Completed lines: the newest non-empty one among them (or the partial it ended) counts.
      const completed = [this.partial + (lines[0] ?? ''), ...lines.slice(1)];
      const overflowFirst = this.overflow;
      for (let i = completed.length - 1; i >= 0; i--) {
        const line = stripCr(completed[i] ?? '');
        const continuesOverflow = i === 0 && overflowFirst;
        if (!continuesOverflow && line.trim().length === 0) continue;
        const tooLong = continuesOverflow || line.length > this.maxChars;
        this.lastComplete = tooLong ? TOO_LONG : line;
        break;
      }
      this.partial = '';
      this.overflow = false;
    }
    if (this.overflow) return;
    this.partial += rest;
    if (this.partial.length > this.maxChars) {
      this.partial = '';
      this.overflow = true;
    }
  }

  /** The last non-empty line; `TOO_LONG` when it exceeded the limit; '' when there was none. */
  get value(): string {
    if (this.overflow) return TOO_LONG;
    const tail = stripCr(this.partial);
    return tail.trim().length > 0 ? tail : this.lastComplete;
  }
}

/** Sentinel for a last line longer than the result limit. */
export const TOO_LONG = '\u0000too-long';

/** Keeps the last `maxChars` characters of the merged log, for error messages. */
export class TailText {
  private text = '';

  constructor(private readonly maxChars: number) {}

  write(chunk: string): void {
    this.text = (this.text + chunk).slice(-this.maxChars);
  }

  /** Up to `lines` last non-empty lines. */
  lastLines(lines: number): string {
    return this.text
      .split('\n')
      .map(stripCr)
      .filter((l) => l.trim().length > 0)
      .slice(-lines)
      .join('\n');
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
