import { eventually, startLoop } from '../spec-support/loop.fixture';

let h: ReturnType<typeof startLoop>;

afterEach(async () => {
  await h.close();
});

it('runs pulled jobs of every language and reports their results', async () => {
  h = startLoop({ concurrency: 2 });
  const jobs = [
    h.source.push({ language: 'bash', content: 'echo "$1"', args: { x: 'from bash' } }),
    h.source.push({ language: 'python3', content: 'def main(a, b):\n    return a * b', args: { a: 6, b: 7 } }),
    h.source.push({ language: 'nodejs', content: 'export function main(s) { return s.toUpperCase(); }', args: { s: 'node' } }),
    h.source.push({ language: 'typescript', content: 'exports.main = (n) => n + 1;', args: { n: 1 } }),
  ];
  await eventually(() => h.source.completed.size === 4);
  expect(jobs.map((j) => h.source.completed.get(j.id))).toMatchObject([
    { success: true, result: 'from bash' },
    { success: true, result: 42 },
    { success: true, result: 'NODE' },
    { success: true, result: 2 },
  ]);
  expect(h.loop.jobsExecuted).toBe(4);
});

it('ships logs complete and in order, each chunk at the byte offset of what was stored before', async () => {
  h = startLoop();
  // Multi-byte characters make byte offsets differ from string lengths.
  const code = 'for i in $(seq 1 40); do echo "línea $i — ✓"; sleep 0.01; done';
  const job = h.source.push({ language: 'bash', content: code });
  await eventually(() => h.source.completed.has(job.id));
  const expected = Array.from({ length: 40 }, (_, i) => `línea ${i + 1} — ✓\n`).join('');
  expect(h.source.logs.get(job.id)).toBe(expected);
  const calls = h.source.logCalls.get(job.id)!;
  expect(calls.length).toBeGreaterThan(1);
  let bytes = 0;
  for (const call of calls) {
    expect(call.offset).toBe(bytes);
    bytes += Buffer.byteLength(call.text);
  }
});

it('retries a failed log chunk at the same offset', async () => {
  h = startLoop();
  h.source.failNext.appendLogs = 2;
  const job = h.source.push({ language: 'bash', content: 'echo first\nsleep 0.3\necho second' });
  await eventually(() => h.source.completed.has(job.id));
  const calls = h.source.logCalls.get(job.id)!;
  expect(calls.slice(0, 3)).toEqual([
    { offset: 0, text: 'first\n', ok: false },
    { offset: 0, text: 'first\n', ok: false },
    { offset: 0, text: 'first\n', ok: true },
  ]);
  expect(h.source.logs.get(job.id)).toBe('first\nsecond\n');
  expect(h.logger.warnings.some((w) => w.includes('could not ship logs'))).toBe(true);
});

it('never lets transport errors end the loop: pull, complete and ping failures are retried', async () => {
  h = startLoop();
  h.source.failNext.pull = 3;
  h.source.failNext.complete = 2;
  h.source.failNext.ping = 1;
  const job = h.source.push({ language: 'python3', content: 'def main():\n    return "ok"' });
  await eventually(() => h.source.completed.has(job.id));
  expect(h.source.completed.get(job.id)).toMatchObject({ success: true, result: 'ok' });
  expect(h.source.completeCalls.filter((id) => id === job.id)).toHaveLength(3);
  const second = h.source.push({ language: 'bash', content: 'echo still-pulling' });
  await eventually(() => h.source.completed.has(second.id));
  expect(h.logger.warnings.some((w) => w.includes('could not pull'))).toBe(true);
  expect(h.logger.warnings.some((w) => w.includes('ping failed'))).toBe(true);
});

it('fails flow and dependency jobs instead of running them', async () => {
  h = startLoop();
  const flow = h.source.push({ kind: 'flow', language: null, content: null });
  await eventually(() => h.source.completed.has(flow.id));
  expect(h.source.completed.get(flow.id)).toMatchObject({ success: false, error: { message: 'flow jobs are not supported by this worker yet' } });
});

it('sends an initial ping, then periodic ones with the jobs executed so far', async () => {
  h = startLoop({ minJobPingGapMs: 0 });
  const job = h.source.push({ language: 'bash', content: 'sleep 0.3' });
  await eventually(() => h.source.pings.some((p) => p.pingType === 'job' && p.currentJobId === job.id));
  await eventually(() => h.source.completed.has(job.id));
  await eventually(() => h.source.pings.some((p) => p.pingType === 'main_loop' && p.jobsExecuted === 1));
  expect(h.source.pings[0]).toMatchObject({ pingType: 'initial', version: 'test', workerInstance: 'inst-1', jobsExecuted: 0, currentJobId: null });
  for (const p of h.source.pings) {
    expect(p.occupancy).toBeGreaterThanOrEqual(0);
    expect(p.occupancy).toBeLessThanOrEqual(1);
    expect(p.memoryBytes).toBeGreaterThan(0);
  }
});
