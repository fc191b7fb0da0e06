import type { ArgSchema } from '@millrace/contracts';
import { inferBashSchema } from './bash-signature';
import { ScriptAnalysisError, ScriptAnalysisErrorCode } from './script-analysis.error';

describe('bash signatures', () => {
  const cases: Array<[string, string, Record<string, ArgSchema>, string[]]> = [
    ['quoted and bare', '#!/bin/bash\nname="$1"\ncount=$2\necho "$name $count"', { name: { type: 'string' }, count: { type: 'string' } }, ['name', 'count']],
    ['defaults', 'region="${1:-eu-west}"\nmode=${2:-fast}\nempty="${3:-}"\nquoted="${4:-"a b"}"', { region: { type: 'string', default: 'eu-west' }, mode: { type: 'string', default: 'fast' }, empty: { type: 'string', default: '' }, quoted: { type: 'string', default: 'a b' } }, []],
    ['braces, two digits, comments and export', ...(() => {
      const lines = Array.from({ length: 10 }, (_, i) => `a${i + 1}="\${${i + 1}}"  # arg ${i + 1}`);
      lines[0] = 'export a1="$1"';
      const properties = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i + 1}`, { type: 'string' } as ArgSchema]));
      return [lines.join('\n'), properties, Object.keys(properties)] as const;
    })()],
    ['order follows the position, not the line', 'second="$2"\nfirst="$1"', { first: { type: 'string' }, second: { type: 'string' } }, ['first', 'second']],
    ['indented lines (inside functions) are ignored', 'f() {\n  local x="$1"\n  y="$1"\n}\nname="$1"', { name: { type: 'string' } }, ['name']],
    ['the first assignment of a position wins', 'a="$1"\nb="$1"', { a: { type: 'string' } }, ['a']],
    ['single-quoted $1 is a literal', "a='$1'", {}, []],
    ['no parameters', 'echo hello', {}, []],
    ['CRLF line endings', 'a="$1"\r\nb="${2:-x}"\r\n', { a: { type: 'string' }, b: { type: 'string', default: 'x' } }, ['a']],
  ];

  it.each(cases)('%s', (_name, source, properties, required) => {
    const schema = inferBashSchema(source);
    expect(schema.properties).toEqual(properties);
    expect(schema.required).toEqual(required);
    expect(schema.order).toEqual(Object.keys(properties));
  });

  it.each([
    ['a gap in the positions', 'a="$1"\nc="$3"', /\$2 is never assigned/],
    ['one name for two positions', 'a="$1"\na="$2"', /two parameters named "a"/],
  ])('refuses %s', (_name, source, message) => {
    let err: unknown;
    try {
      inferBashSchema(source);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScriptAnalysisError);
    expect((err as ScriptAnalysisError).code).toBe(ScriptAnalysisErrorCode.UnsupportedSignature);
    expect((err as ScriptAnalysisError).message).toMatch(message);
  });
});
