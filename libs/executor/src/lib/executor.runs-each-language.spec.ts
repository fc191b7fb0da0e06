import { job, Scratch } from '../spec-support/executor.fixture';

const scratch = new Scratch();
const executor = scratch.executor();

afterAll(() => scratch.remove());

describe('bash', () => {
  it('passes args as positional parameters in argOrder and returns the last stdout line as JSON', async () => {
    const r = await executor.run(
      job('bash', 'echo "progress"\necho "{\\"first\\": \\"$1\\", \\"second\\": $2, \\"obj\\": $3}"', { b: 2, a: 'one', c: { k: [1] } }, { argOrder: ['a', 'b', 'c'] }),
    );
    expect(r).toMatchObject({ success: true, result: { first: 'one', second: 2, obj: { k: [1] } } });
  });

  it("without argOrder, follows the script's own $1, $2 … assignments whatever the args' key order", async () => {
    // Args read back from jsonb have their keys re-sorted, so key order cannot be trusted.
    const code = 'name="$1"\ncount="${2:-1}"\necho "$name:$count:$3"';
    const r = await executor.run(job('bash', code, { extra: 'E', count: 3, name: 'x' }));
    expect(r).toMatchObject({ success: true, result: 'x:3:E' });
  });

  it("falls back to the args object's key order", async () => {
    const r = await executor.run(job('bash', 'echo "$1-$2"', { x: 'first', y: 'second' }));
    expect(r).toMatchObject({ success: true, result: 'first-second' });
  });

  it('returns the last stdout line as a string when it is not JSON, ignoring stderr and trailing blank lines', async () => {
    const r = await executor.run(job('bash', 'echo "hello world"\necho "to stderr" >&2\necho ""'));
    expect(r).toMatchObject({ success: true, result: 'hello world' });
  });

  it('prefers ./result.json over stdout', async () => {
    const r = await executor.run(job('bash', 'echo \'{"from": "file"}\' > result.json\necho "from stdout"'));
    expect(r).toMatchObject({ success: true, result: { from: 'file' } });
  });

  it('returns null when the script prints nothing', async () => {
    expect(await executor.run(job('bash', 'true'))).toMatchObject({ success: true, result: null });
  });
});

describe('python3', () => {
  it('calls main(**args) and returns its JSON result; prints do not corrupt it', async () => {
    const code = ['import sys', 'def main(name, count=2):', '    print("hello from python")', '    print("noise", file=sys.stderr)', '    return {"greeting": "hi " + name, "count": count}'].join('\n');
    const r = await executor.run(job('python3', code, { name: 'ada' }));
    expect(r).toMatchObject({ success: true, result: { greeting: 'hi ada', count: 2 } });
  });

  it('awaits a coroutine main', async () => {
    const code = ['import asyncio', 'async def main(x):', '    await asyncio.sleep(0.01)', '    return [x, x * 2]'].join('\n');
    expect(await executor.run(job('python3', code, { x: 21 }))).toMatchObject({ success: true, result: [21, 42] });
  });

  it('does not run the script\'s __main__ block', async () => {
    const code = ['def main():', '    return "main"', 'if __name__ == "__main__":', '    raise SystemExit(7)'].join('\n');
    expect(await executor.run(job('python3', code))).toMatchObject({ success: true, result: 'main' });
  });
});

describe('nodejs', () => {
  it('runs an ES module, passing args in the order of main\'s parameters', async () => {
    const code = 'export async function main(second, first, missing = "dflt") { console.log("log line"); return { second, first, missing }; }';
    const r = await executor.run(job('nodejs', code, { first: 1, second: 2 }));
    expect(r).toMatchObject({ success: true, result: { second: 2, first: 1, missing: 'dflt' } });
  });

  it('runs a CommonJS module and parses defaults, comments and nested brackets in the parameter list', async () => {
    const code = 'module.exports.main = async (a /* first, really */, b = [1, (2, 3)], { ignored } = {}, c = "x,y") => ({ a, b, c });';
    const r = await executor.run(job('nodejs', code, { a: 'A', c: 'C' }));
    expect(r).toMatchObject({ success: true, result: { a: 'A', b: [1, 3], c: 'C' } });
  });

  it('follows argOrder when given, over the parameter names', async () => {
    const code = 'export function main(x, y) { return [x, y]; }';
    const r = await executor.run(job('nodejs', code, { p: 'P', q: 'Q' }, { argOrder: ['q', 'p'] }));
    expect(r).toMatchObject({ success: true, result: ['Q', 'P'] });
  });

  it('returns null for a main that returns nothing', async () => {
    expect(await executor.run(job('nodejs', 'export function main() {}'))).toMatchObject({ success: true, result: null });
  });

  it('ends the job when main returns even if the script left a timer running', async () => {
    const code = 'export function main() { setInterval(() => {}, 1000); return "done"; }';
    expect(await executor.run(job('nodejs', code))).toMatchObject({ success: true, result: 'done' });
  });
});

describe('typescript (arrives compiled to JavaScript)', () => {
  it('runs compiled CommonJS output exactly like nodejs', async () => {
    const code = [
      '"use strict";',
      'Object.defineProperty(exports, "__esModule", { value: true });',
      'exports.main = main;',
      'async function main(n, label) { return `${label}:${n * 2}`; }',
    ].join('\n');
    expect(await executor.run(job('typescript', code, { n: 4, label: 'double' }))).toMatchObject({ success: true, result: 'double:8' });
  });

  it('runs compiled ES module output', async () => {
    const code = 'export async function main(items) { return items.map((i) => i.toUpperCase()); }';
    expect(await executor.run(job('typescript', code, { items: ['a', 'b'] }))).toMatchObject({ success: true, result: ['A', 'B'] });
  });
});

it('removes every job directory afterwards', () => {
  expect(scratch.leftoverJobDirs()).toEqual([]);
});
