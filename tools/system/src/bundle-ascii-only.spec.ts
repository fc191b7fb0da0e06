import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';

// tools/build/bundle.mjs writes every bundle ASCII-only (see ascii-only.cjs): V8 keeps a
// source holding one non-Latin-1 character as a two-byte string, twice the memory.
const root = path.resolve(__dirname, '../../..');
// A build tool, not a project of the graph: loaded by path.
const { asciiOnly } = require(path.join(root, 'tools/build/ascii-only.cjs')) as { asciiOnly: (code: string) => string };
/** ASCII-only: as many UTF-8 bytes as characters. */
const isAscii = (text: string) => Buffer.byteLength(text, 'utf8') === text.length;

it.each([
  ['a regular expression of Cyrillic letters', String.raw`/^[А-Я]+$/i.test('ПРИВЕТ') + ':' + /^[А-Я]+$/i.test('HELLO')`],
  ['an identity escape in a string and in a regular expression', String.raw`'\é' + /\é/.test('é')`],
  ['an escaped backslash before a non-ASCII character', String.raw`'\\é'`],
  ['characters outside the BMP, with and without the u flag', String.raw`'😀'.length + ':' + /^😀$/u.test('😀') + ':' + /^[😀]+$/.test('😀')`],
  ['a non-ASCII identifier', String.raw`(() => { const café = 'ok'; return café; })()`],
])('escapes %s without changing what the code does', (_what, code) => {
  const escaped = asciiOnly(code);
  expect(isAscii(escaped)).toBe(true);
  expect(isAscii(code)).toBe(false);
  expect(runInNewContext(escaped)).toEqual(runInNewContext(code));
});

it('leaves ASCII-only code as it is', () => {
  const code = String.raw`const s = '\u00e9\\n'; /[\x00-\x7f]/.test(s);`;
  expect(asciiOnly(code)).toBe(code);
});

it('the self-contained agent-worker bundle is ASCII-only', () => {
  const bundle = readFileSync(path.join(root, 'dist/apps/agent-worker/main.js'), 'utf8');
  expect(bundle.length).toBeGreaterThan(100_000);
  expect(isAscii(bundle)).toBe(true);
});
