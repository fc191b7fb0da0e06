import type { ArgSchema } from '@millrace/contracts';
import { PythonAstRunner } from './python-ast.runner';
import { inferPythonSchema } from './python-signature';
import { ScriptAnalysisError, ScriptAnalysisErrorCode } from './script-analysis.error';

const runner = new PythonAstRunner({ timeoutMs: 10_000 });

async function analysisError(p: Promise<unknown>): Promise<ScriptAnalysisError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ScriptAnalysisError) return e;
    throw e;
  }
  throw new Error('expected a ScriptAnalysisError');
}

describe('Python signatures (ast in a python3 subprocess)', () => {
  const cases: Array<[string, string, Record<string, ArgSchema>, string[]]> = [
    ['builtin annotations', 'def main(a: str, b: int, c: float, d: bool, e: dict, f: list):\n    pass', { a: { type: 'string' }, b: { type: 'integer' }, c: { type: 'number' }, d: { type: 'boolean' }, e: { type: 'object' }, f: { type: 'array' } }, ['a', 'b', 'c', 'd', 'e', 'f']],
    ['defaults, with and without annotations', 'def main(name: str, n=3, ratio=0.5, flag=False, tags=("a", "b"), cfg={"k": [1]}, nothing=None):\n    return name', { name: { type: 'string' }, n: { type: 'integer', default: 3 }, ratio: { type: 'number', default: 0.5 }, flag: { type: 'boolean', default: false }, tags: { type: 'array', items: { type: 'string' }, default: ['a', 'b'] }, cfg: { type: 'object', default: { k: [1] } }, nothing: { type: 'any', default: null } }, ['name']],
    ['typing generics and unions', 'from typing import List, Dict, Optional, Union, Literal, Any\nimport typing\ndef main(a: List[int], b: Dict[str, int], c: Optional[str], d: Union[int, float], e: Literal["x", "y"], f: Any, g: typing.List[str], h: int | None = None):\n    pass', { a: { type: 'array', items: { type: 'integer' } }, b: { type: 'object' }, c: { type: 'string' }, d: { type: 'number' }, e: { type: 'string' }, f: { type: 'any' }, g: { type: 'array', items: { type: 'string' } }, h: { type: 'integer', default: null } }, ['a', 'b', 'c', 'd', 'e', 'f', 'g']],
    ['builtin generics and string annotations', 'def main(a: list[str], b: "int", c: dict[str, list[int]] = {}):\n    pass', { a: { type: 'array', items: { type: 'string' } }, b: { type: 'integer' }, c: { type: 'object', default: {} } }, ['a', 'b']],
    ['a non-literal default is optional without a default', 'import os\ndef main(path: str = os.getcwd(), raw: bytes = b"x"):\n    pass', { path: { type: 'string' }, raw: { type: 'string' } }, []],
    ['unknown classes and datetime', 'from datetime import datetime\nclass Cfg: pass\ndef main(when: datetime, cfg: Cfg):\n    pass', { when: { type: 'string' }, cfg: { type: 'any' } }, ['when', 'cfg']],
    ['keyword-only parameters', 'def main(a: int, *, b: str = "x", c: bool):\n    pass', { a: { type: 'integer' }, b: { type: 'string', default: 'x' }, c: { type: 'boolean' } }, ['a', 'c']],
    ['async main, last definition wins', 'def main(a: int):\n    pass\nasync def main(b: str):\n    pass', { b: { type: 'string' } }, ['b']],
    ['no parameters, non-ASCII source', '# héllo ✓\ndef main():\n    return "ünïcode"', {}, []],
  ];

  it.each(cases)('%s', async (_name, source, properties, required) => {
    const schema = await inferPythonSchema(source, runner);
    expect(schema.properties).toEqual(properties);
    expect(schema.required).toEqual(required);
    expect(schema.order).toEqual(Object.keys(properties));
  });

  it.each([
    ['a syntax error, with its line', 'def main(a:\n    pass', ScriptAnalysisErrorCode.SyntaxError, /main\.py:1:\d+: SyntaxError: /],
    ['bad indentation', 'def main():\nreturn 1', ScriptAnalysisErrorCode.SyntaxError, /main\.py:2:\d+: IndentationError: expected an indented block/],
    ['a null byte', 'def main():\n    pass\x00', ScriptAnalysisErrorCode.SyntaxError, /null bytes/],
    ['no main', 'def run(a: int):\n    pass', ScriptAnalysisErrorCode.NoMain, /no main function/],
    ['a main nested in a class', 'class A:\n    def main(self):\n        pass', ScriptAnalysisErrorCode.NoMain, /no main function/],
    ['*args', 'def main(a, *rest):\n    pass', ScriptAnalysisErrorCode.UnsupportedSignature, /\*rest cannot be passed by name/],
    ['**kwargs', 'def main(**kw):\n    pass', ScriptAnalysisErrorCode.UnsupportedSignature, /\*\*kw/],
    ['positional-only', 'def main(a, /, b):\n    pass', ScriptAnalysisErrorCode.UnsupportedSignature, /a is positional-only/],
  ])('refuses %s', async (_name, source, code, message) => {
    const err = await analysisError(inferPythonSchema(source, runner));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('never runs the code it reads', async () => {
    const schema = await inferPythonSchema('import sys\nsys.stdout.write("{}")\nraise SystemExit(3)\ndef main(a: int):\n    pass', runner);
    expect(schema.order).toEqual(['a']);
  });

  it('reports a missing interpreter as the parser being unavailable', async () => {
    const err = await analysisError(inferPythonSchema('def main(): pass', new PythonAstRunner({ pythonBin: '/nonexistent/python3' })));
    expect(err.code).toBe(ScriptAnalysisErrorCode.ParserUnavailable);
    expect(err.message).toMatch(/cannot run \/nonexistent\/python3/);
  });

  it('kills a parser that runs past its time limit', async () => {
    // A 1 ms limit cannot be met by any interpreter start-up, so this does not depend on speed.
    const err = await analysisError(inferPythonSchema('def main(): pass', new PythonAstRunner({ timeoutMs: 1 })));
    expect(err.code).toBe(ScriptAnalysisErrorCode.TooComplex);
  });

  it('runs many analyses at once within its concurrency limit', async () => {
    const limited = new PythonAstRunner({ maxConcurrent: 2, timeoutMs: 10_000 });
    const schemas = await Promise.all(Array.from({ length: 6 }, (_, i) => inferPythonSchema(`def main(a${i}: int):\n    pass`, limited)));
    expect(schemas.map((s) => s.order[0])).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
  });
});
