import { JobSourceError, JobSourceErrorCode } from './job-source.error';
import { SHUTDOWN_CANCEL_REASON } from './worker-loop.service';
import { eventually, isAlive, startLoop } from '../spec-support/loop.fixture';
import { MemoryJobSource } from '../spec-support/memory-job-source.fixture';
import type { WorkerJob } from './worker-loop.types';

let h: ReturnType<typeof startLoop>;

afterEach(async () => {
  await h.close();
});

/** A bash job that starts a background child, records its pid, then waits on it. */
function longJob(pidFile: string): string {
  return `sleep 300 &\necho $! > ${pidFile}\necho started\nwait`;
}

it('a cancel seen in a heartbeat kills the process group and is reported', async () => {
  h = startLoop();
  const job = h.source.push({ language: 'bash', content: longJob(h.file('job.pid')) });
  await eventually(() => (h.source.logs.get(job.id) ?? '').includes('started'));
  const child = Number(h.read('job.pid'));

  h.source.cancel(job.id, 'alice@example.com', 'changed my mind');

  await eventually(() => h.source.completed.has(job.id));
  expect(h.source.completed.get(job.id)).toMatchObject({ success: false, canceledBy: 'alice@example.com', canceledReason: 'changed my mind' });
  await eventually(() => !isAlive(child));
});

it('stops a job completed elsewhere without reporting it', async () => {
  h = startLoop();
  const job = h.source.push({ language: 'bash', content: longJob(h.file('done-elsewhere.pid')) });
  await eventually(() => (h.source.logs.get(job.id) ?? '').includes('started'));
  h.source.replyNext(job.id, 'already-completed');
  await eventually(() => h.loop.jobsExecuted === 1);
  expect(h.source.completeCalls).not.toContain(job.id);
  await eventually(() => !isAlive(Number(h.read('done-elsewhere.pid'))));
});

it('stops a job whose claim was lost without reporting it', async () => {
  h = startLoop();
  const job = h.source.push({ language: 'bash', content: longJob(h.file('lost.pid')) });
  await eventually(() => (h.source.logs.get(job.id) ?? '').includes('started'));
  h.source.replyNext(job.id, 'claim-lost');
  await eventually(() => h.loop.jobsExecuted === 1);
  expect(h.source.completeCalls).not.toContain(job.id);
  expect(h.logger.warnings.some((w) => w.includes('claim lost'))).toBe(true);
});

it('stop() stops pulling and lets a running job finish within the grace period', async () => {
  h = startLoop();
  const job = h.source.push({ language: 'bash', content: 'echo begin\nsleep 1\necho end' });
  await eventually(() => (h.source.logs.get(job.id) ?? '').includes('begin'));

  const stopped = h.loop.stop(30_000);
  const later = h.source.push({ language: 'bash', content: 'echo never' });
  await stopped;

  expect(h.source.completed.get(job.id)).toMatchObject({ success: true, result: 'end' });
  expect(h.source.logs.get(job.id)).toBe('begin\nend\n');
  expect(h.source.started.has(later.id)).toBe(false);
});

it('stop() runs a job that a pull in flight claimed as the worker began stopping', async () => {
  const source = new MemoryJobSource();
  let release: ((job: WorkerJob) => void) | null = null;
  // A transport that finishes its claim whatever the abort signal says.
  jest.spyOn(source, 'pull').mockImplementationOnce(() => new Promise<WorkerJob>((resolve) => (release = resolve)));
  h = startLoop({}, source);
  await eventually(() => release !== null);

  const stopped = h.loop.stop(30_000);
  const late = { ...source.push({ language: 'bash', content: 'echo late' }) };
  source.queued.length = 0;
  release!(late);
  await stopped;

  expect(source.completed.get(late.id)).toMatchObject({ success: true, result: 'late' });
});

it('stop() cancels jobs still running after the grace period, as a worker shutdown', async () => {
  h = startLoop();
  const job = h.source.push({ language: 'bash', content: longJob(h.file('shutdown.pid')) });
  await eventually(() => (h.source.logs.get(job.id) ?? '').includes('started'));

  await h.loop.stop(200);

  expect(h.source.completed.get(job.id)).toMatchObject({ success: false, canceledBy: 'wk-test-1', canceledReason: SHUTDOWN_CANCEL_REASON });
  await eventually(() => !isAlive(Number(h.read('shutdown.pid'))));
});

/** The most job processes alive at once, from the start/end times the jobs wrote themselves. */
function maxOverlap(spans: string): number {
  const events = spans
    .trim()
    .split('\n')
    .map((line) => line.split(' '))
    .map(([kind, ns]) => ({ at: BigInt(ns ?? '0'), delta: kind === 's' ? 1 : -1 }))
    .sort((a, b) => (a.at === b.at ? a.delta - b.delta : a.at < b.at ? -1 : 1));
  let now = 0;
  let max = 0;
  for (const e of events) max = Math.max(max, (now += e.delta));
  return max;
}

it('runs at most `concurrency` job processes at once, and uses all of them', async () => {
  h = startLoop({ concurrency: 2 });
  const spans = h.file('spans');
  const script = `echo "s $(date +%s%N)" >> ${spans}; sleep 0.3; echo "e $(date +%s%N)" >> ${spans}`;
  const jobs = Array.from({ length: 6 }, () => h.source.push({ language: 'bash', content: script }));
  await eventually(() => jobs.every((j) => h.source.completed.has(j.id)));
  expect(maxOverlap(h.read('spans'))).toBe(2);
});

it('frees a slot when the process ends: a slow report does not hold up the next job', async () => {
  h = startLoop({ concurrency: 1 });
  h.source.completeDelayMs = 1000;
  const [first, second] = [h.source.push({ language: 'bash', content: 'true' }), h.source.push({ language: 'bash', content: 'true' })];
  await eventually(() => h.source.completed.has(second.id));
  expect(h.source.pulledAt.get(second.id)!).toBeLessThan(h.source.completedAt.get(first.id)!);
});

it('stops by itself when the source says it cannot go on', async () => {
  let fatal: Error | null = null;
  h = startLoop({ onFatal: (e) => (fatal = e) });
  await eventually(() => h.source.pings.length > 0);
  jest.spyOn(h.source, 'ping').mockRejectedValue(new JobSourceError(JobSourceErrorCode.Fatal, 'token revoked'));
  await eventually(() => h.loop.state === 'stopped');
  expect(fatal!.message).toBe('token revoked');
  expect(h.logger.errors).toContain('cannot continue: token revoked');
});
