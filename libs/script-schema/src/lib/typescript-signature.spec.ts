import type { ArgSchema } from '@millrace/contracts';
import { ScriptAnalysisError, ScriptAnalysisErrorCode } from './script-analysis.error';
import { compileToCommonJs, inferJsSchema } from './typescript-signature';

function analysisError(fn: () => unknown): ScriptAnalysisError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScriptAnalysisError) return e;
    throw e;
  }
  throw new Error('expected a ScriptAnalysisError');
}

describe('TypeScript signatures', () => {
  const cases: Array<[string, string, Record<string, ArgSchema>, string[]]> = [
    ['primitive annotations', 'export async function main(a: string, b: number, c: boolean, d: bigint) {}', { a: { type: 'string' }, b: { type: 'number' }, c: { type: 'boolean' }, d: { type: 'integer' } }, ['a', 'b', 'c', 'd']],
    ['optional and defaults', 'export function main(name: string, count = 3, verbose?: boolean, label: string = "x") {}', { name: { type: 'string' }, count: { type: 'number', default: 3 }, verbose: { type: 'boolean' }, label: { type: 'string', default: 'x' } }, ['name']],
    ['negative and structured defaults', 'export function main(n = -2, xs = [1, 2], cfg = { a: "b", "c": [true] }, nothing = null) {}', { n: { type: 'number', default: -2 }, xs: { type: 'array', items: { type: 'number' }, default: [1, 2] }, cfg: { type: 'object', default: { a: 'b', c: [true] } }, nothing: { type: 'any', default: null } }, []],
    ['computed default is optional without a default', 'export function main(when = Date.now()) {}', { when: { type: 'any' } }, []],
    ['arrays and unions', 'export function main(a: string[], b: Array<number>, c: "x" | "y", d: string | undefined, e: number | null, f: string | number) {}', { a: { type: 'array', items: { type: 'string' } }, b: { type: 'array', items: { type: 'number' } }, c: { type: 'string' }, d: { type: 'string' }, e: { type: 'number' }, f: { type: 'any' } }, ['a', 'b', 'c', 'e', 'f']],
    ['objects, records, dates, any', 'export function main(a: { x: number }, b: Record<string, string>, c: Date, d: any, e: unknown, f: object) {}', { a: { type: 'object' }, b: { type: 'object' }, c: { type: 'string' }, d: { type: 'any' }, e: { type: 'any' }, f: { type: 'object' } }, ['a', 'b', 'c', 'd', 'e', 'f']],
    ['local aliases, interfaces and enums', 'type Id = string; interface Cfg { a: number } enum Color { Red = "red" } enum N { A, B }\nexport function main(id: Id, cfg: Cfg, color: Color, n: N) {}', { id: { type: 'string' }, cfg: { type: 'object' }, color: { type: 'string' }, n: { type: 'number' } }, ['id', 'cfg', 'color', 'n']],
    ['unknown imported type', 'import type { Thing } from "x";\nexport function main(t: Thing) {}', { t: { type: 'any' } }, ['t']],
    ['arrow function assigned to main', 'export const main = async (host: string, port = 22): Promise<void> => {};', { host: { type: 'string' }, port: { type: 'number', default: 22 } }, ['host']],
    ['no parameters', 'export async function main() { return 1; }', {}, []],
    ['`this` parameter is not an argument', 'export function main(this: void, a: string) {}', { a: { type: 'string' } }, ['a']],
    ['last main wins', 'function main(a: string) {}\nfunction main(b: number) {}', { b: { type: 'number' } }, ['b']],
  ];

  it.each(cases)('%s', (_name, source, properties, required) => {
    const schema = inferJsSchema(source, 'typescript');
    expect(schema.properties).toEqual(properties);
    expect(schema.required).toEqual(required);
    expect(schema.order).toEqual(Object.keys(properties));
  });

  it.each([
    ['no main', 'export function notMain(a: string) {}', ScriptAnalysisErrorCode.NoMain, /no main function/],
    ['a nested main only', 'function outer() { function main(a: string) {} }', ScriptAnalysisErrorCode.NoMain, /no main function/],
    ['destructuring', 'export function main({ a, b }: { a: string; b: string }) {}', ScriptAnalysisErrorCode.UnsupportedSignature, /parameter 1 of main is a destructuring pattern/],
    ['rest parameters', 'export function main(...xs: string[]) {}', ScriptAnalysisErrorCode.UnsupportedSignature, /rest parameter \.\.\.xs/],
  ])('refuses %s', (_name, source, code, message) => {
    const err = analysisError(() => inferJsSchema(source, 'typescript'));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });
});

describe('JavaScript signatures', () => {
  it.each([
    ['defaults give types', 'export async function main(name, retries = 2, dry = false, tags = ["a"]) {}', { name: { type: 'any' }, retries: { type: 'number', default: 2 }, dry: { type: 'boolean', default: false }, tags: { type: 'array', items: { type: 'string' }, default: ['a'] } }, ['name']],
    ['JSDoc types', '/**\n * @param {string} host\n * @param {number=} port\n */\nasync function main(host, port) {}\nmodule.exports = { main };', { host: { type: 'string' }, port: { type: 'number' } }, ['host']],
    ['CommonJS exports.main', 'exports.main = async function (a, b = "x") {};', { a: { type: 'any' }, b: { type: 'string', default: 'x' } }, ['a']],
    ['module.exports.main arrow', 'module.exports.main = (a) => a;', { a: { type: 'any' } }, ['a']],
  ])('%s', (_name, source, properties, required) => {
    const schema = inferJsSchema(source, 'nodejs');
    expect(schema.properties).toEqual(properties);
    expect(schema.required).toEqual(required);
  });
});

describe('compileToCommonJs', () => {
  it('erases types and exports main for require()', () => {
    const js = compileToCommonJs('export async function main(name: string): Promise<string> { return `hi ${name}`; }', 'typescript');
    expect(js).toContain('exports.main = main');
    expect(js).not.toContain(': string');
    // The output really is runnable CommonJS.
    const mod: { exports: Record<string, unknown> } = { exports: {} };
    new Function('exports', 'module', 'require', js)(mod.exports, mod, require);
    expect(typeof mod.exports['main']).toBe('function');
  });

  it('turns ESM syntax in JavaScript into CommonJS too', () => {
    const js = compileToCommonJs('import os from "node:os";\nexport function main() { return os.EOL; }', 'nodejs');
    expect(js).toContain('require("node:os")');
    expect(js).toContain('exports.main = main');
  });

  it.each([
    ['typescript', 'export function main(a: string {\n  return a;\n}', /main\.ts:1:32: ',' expected/],
    ['typescript', 'export function main() {\n  const x = ;\n}', /main\.ts:2:\d+: Expression expected/],
    ['nodejs', 'export function main(a: string) {}', /main\.js:1:\d+: Type annotations can only be used in TypeScript files/],
    ['nodejs', 'function main( {', /main\.js:1:\d+:/],
  ] as const)('reports a %s syntax error with its position', (language, source, message) => {
    const err = analysisError(() => compileToCommonJs(source, language));
    expect(err.code).toBe(ScriptAnalysisErrorCode.SyntaxError);
    expect(err.message).toMatch(message);
  });
});
