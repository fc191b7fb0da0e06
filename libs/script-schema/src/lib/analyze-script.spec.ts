import { analyzeScript } from './analyze-script';
import { PythonAstRunner } from './python-ast.runner';
import { ScriptAnalysisError } from './script-analysis.error';

const python = new PythonAstRunner({ timeoutMs: 10_000 });

describe('analyzeScript', () => {
  it.each([
    ['typescript', 'export async function main(x: number) { return x; }', true],
    ['nodejs', 'export async function main(x = 1) { return x; }', true],
    ['python3', 'def main(x: int):\n    return x', false],
    ['bash', 'x="$1"\necho "$x"', false],
  ] as const)('%s: infers the schema, compiles only JavaScript-family code', async (language, content, compiled) => {
    const r = await analyzeScript(language, content, python);
    expect(r.schema.order).toEqual(['x']);
    expect(r.compiled !== null).toBe(compiled);
    if (r.compiled !== null) expect(r.compiled).toContain('exports.main');
  });

  it('refuses a TypeScript script without main even when it compiles', async () => {
    await expect(analyzeScript('typescript', 'export const x = 1;', python)).rejects.toBeInstanceOf(ScriptAnalysisError);
  });
});
