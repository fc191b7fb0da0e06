import { job, Scratch } from '../spec-support/executor.fixture';

const scratch = new Scratch();

afterAll(() => scratch.remove());

function collector(): { chunks: string[]; onLogs: (c: string) => void; text: () => string } {
  const chunks: string[] = [];
  return { chunks, onLogs: (c) => void chunks.push(c), text: () => chunks.join('') };
}

it('keeps python prints and stderr writes in the order they happened', async () => {
  const logs = collector();
  const code = ['import sys', 'def main():', '    for i in range(200):', '        print(f"out {i}")', '        print(f"err {i}", file=sys.stderr)'].join('\n');
  await scratch.executor().run(job('python3', code), { onLogs: logs.onLogs });
  const expected = Array.from({ length: 200 }, (_, i) => `out ${i}\nerr ${i}\n`).join('');
  expect(logs.text()).toBe(expected);
});

it('keeps console.log and console.error in the order they happened', async () => {
  const logs = collector();
  const code = 'export function main() { for (let i = 0; i < 200; i++) { console.log(`out ${i}`); console.error(`err ${i}`); } }';
  await scratch.executor().run(job('nodejs', code), { onLogs: logs.onLogs });
  const expected = Array.from({ length: 200 }, (_, i) => `out ${i}\nerr ${i}\n`).join('');
  expect(logs.text()).toBe(expected);
});

it('delivers every line of bash stdout and stderr', async () => {
  const logs = collector();
  await scratch.executor().run(job('bash', 'for i in $(seq 1 300); do echo "out $i"; echo "err $i" >&2; done'), { onLogs: logs.onLogs });
  const lines = logs.text().trimEnd().split('\n');
  expect(lines).toHaveLength(600);
  // Separate pipes: each stream's own order is exact.
  expect(lines.filter((l) => l.startsWith('out'))).toEqual(Array.from({ length: 300 }, (_, i) => `out ${i + 1}`));
  expect(lines.filter((l) => l.startsWith('err'))).toEqual(Array.from({ length: 300 }, (_, i) => `err ${i + 1}`));
});

it('delivers output in batches while the job runs, before the result', async () => {
  const logs = collector();
  let chunksWhenDone = -1;
  const run = scratch.executor({ logFlushIntervalMs: 50 }).start(job('bash', 'echo first\nsleep 0.5\necho second'), { onLogs: logs.onLogs });
  const r = await run.done.then((res) => ((chunksWhenDone = logs.chunks.length), res));
  expect(r.success).toBe(true);
  expect(logs.chunks.length).toBeGreaterThanOrEqual(2);
  expect(logs.chunks[0]).toBe('first\n');
  expect(logs.text()).toBe('first\nsecond\n');
  expect(chunksWhenDone).toBe(logs.chunks.length);
});

it('never overlaps deliveries to a slow sink, and finishes delivering before settling', async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  let text = '';
  const onLogs = async (c: string) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 120));
    text += c;
    inFlight--;
  };
  const r = await scratch.executor({ logFlushIntervalMs: 20 }).run(job('bash', 'for i in $(seq 1 10); do echo "line $i"; sleep 0.05; done'), { onLogs });
  expect(r.success).toBe(true);
  expect(maxInFlight).toBe(1);
  expect(text).toBe(Array.from({ length: 10 }, (_, i) => `line ${i + 1}\n`).join(''));
});

it('caps the log with one marker line and lets the job keep running to its result', async () => {
  const logs = collector();
  const code = `for i in $(seq 1 2000); do echo "line $i padded to be long enough"; done\ntouch ${scratch.file('kept-running')}\necho '{"ok": true}' > result.json`;
  const r = await scratch.executor({ maxLogBytes: 1000 }).run(job('bash', code), { onLogs: logs.onLogs });
  expect(r).toMatchObject({ success: true, result: { ok: true } });
  expect(scratch.read('kept-running')).toBe('');
  const text = logs.text();
  const [kept, marker, ...after] = text.split(/(?=\[millrace\] log output exceeded)/);
  const full = Array.from({ length: 2000 }, (_, i) => `line ${i + 1} padded to be long enough\n`).join('');
  // Exactly the first 1000 bytes of output, then a newline so the marker starts its own line.
  expect(kept).toBe(`${full.slice(0, 1000)}\n`);
  expect(marker).toMatch(/^\[millrace\] log output exceeded 1000 bytes; further output is dropped/);
  expect(marker?.endsWith('\n')).toBe(true);
  expect(after).toEqual([]);
  expect(text).not.toContain('line 2000 ');
});

it('never splits a multi-byte character, however the output is chunked', async () => {
  const logs = collector();
  const code = 'export async function main() { const b = Buffer.from("héllo wörld ✓ 日本\\n".repeat(50)); for (let i = 0; i < b.length; i += 3) { process.stdout.write(b.subarray(i, i + 3)); } }';
  await scratch.executor().run(job('nodejs', code), { onLogs: logs.onLogs });
  expect(logs.text()).toBe('héllo wörld ✓ 日本\n'.repeat(50));
});
