import { LastLine, TailText, TOO_LONG } from './output-tail.util';

function lastLineOf(chunks: string[], max = 100): string {
  const l = new LastLine(max);
  for (const c of chunks) l.write(c);
  return l.value;
}

describe('LastLine', () => {
  it('is the last non-empty line, however the text is chunked', () => {
    expect(lastLineOf(['one\ntw', 'o\n', '\n'])).toBe('two');
    expect(lastLineOf(['one\n', 'two'])).toBe('two');
    expect(lastLineOf(['a\r\nb\r\n'])).toBe('b');
    expect(lastLineOf([''])).toBe('');
    expect(lastLineOf(['\n\n  \n'])).toBe('');
  });

  it('reports a line longer than the limit as too long, and recovers on a later short line', () => {
    expect(lastLineOf(['x'.repeat(50), 'y'.repeat(60)], 100)).toBe(TOO_LONG);
    expect(lastLineOf(['x'.repeat(150), '\n'], 100)).toBe(TOO_LONG);
    expect(lastLineOf(['x'.repeat(150), '\nshort\n'], 100)).toBe('short');
  });
});

describe('TailText', () => {
  it('keeps the last lines within its budget', () => {
    const t = new TailText(12);
    t.write('first line\nsecond\nthird\n');
    expect(t.lastLines(5)).toBe('econd\nthird');
    expect(t.lastLines(1)).toBe('third');
  });
});
