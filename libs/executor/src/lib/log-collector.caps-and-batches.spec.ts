import { Clock } from './clock.service';
import { LogCollector, utf8Prefix } from './log-collector.util';

const clock = new Clock();

describe('utf8Prefix', () => {
  it('keeps whole characters within the byte budget', () => {
    expect(utf8Prefix('aé日x', 1)).toBe('a');
    expect(utf8Prefix('aé日x', 2)).toBe('a'); // é is two bytes: it does not fit in the second
    expect(utf8Prefix('aé日x', 3)).toBe('aé');
    expect(utf8Prefix('aé日x', 5)).toBe('aé');
    expect(utf8Prefix('aé日x', 6)).toBe('aé日');
    expect(utf8Prefix('aé日x', 100)).toBe('aé日x');
    expect(utf8Prefix('abc', 0)).toBe('');
  });
});

describe('LogCollector', () => {
  it('hands everything written to the sink on close, in order', async () => {
    const got: string[] = [];
    const logs = new LogCollector((c) => void got.push(c), { maxBytes: 1000, flushIntervalMs: 60_000 }, clock);
    logs.start();
    logs.write('a\n');
    logs.write('b\n');
    await logs.close();
    expect(got.join('')).toBe('a\nb\n');
  });

  it('cuts at the cap on a character boundary and adds one marker line, then drops the rest', async () => {
    const got: string[] = [];
    const logs = new LogCollector((c) => void got.push(c), { maxBytes: 7, flushIntervalMs: 60_000 }, clock);
    logs.write('abc');
    logs.write('dé日');
    logs.write('more');
    await logs.close();
    expect(logs.isTruncated).toBe(true);
    expect(got.join('')).toBe('abcdé\n[millrace] log output exceeded 7 bytes; further output is dropped (the job keeps running)\n');
  });

  it('puts no blank line before the marker when the kept output ended a line', async () => {
    const got: string[] = [];
    const logs = new LogCollector((c) => void got.push(c), { maxBytes: 4, flushIntervalMs: 60_000 }, clock);
    logs.write('abc\n');
    logs.write('x');
    await logs.close();
    expect(got.join('')).toBe('abc\n[millrace] log output exceeded 4 bytes; further output is dropped (the job keeps running)\n');
  });

  it('keeps going after a sink failure', async () => {
    const got: string[] = [];
    let calls = 0;
    const logs = new LogCollector(
      (c) => {
        if (calls++ === 0) throw new Error('sink down');
        got.push(c);
      },
      { maxBytes: 1000, flushIntervalMs: 10 },
      clock,
    );
    logs.start();
    logs.write('lost\n');
    await new Promise((r) => setTimeout(r, 50));
    logs.write('delivered\n');
    await logs.close();
    expect(got.join('')).toBe('delivered\n');
  });
});
