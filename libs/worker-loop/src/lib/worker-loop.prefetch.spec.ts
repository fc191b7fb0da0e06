import { writeFileSync } from 'node:fs';
import { eventually, startLoop } from '../spec-support/loop.fixture';
import { ManualClock } from '../spec-support/manual-clock.fixture';
import { MemoryJobSource } from '../spec-support/memory-job-source.fixture';
import type { WorkerLoopOptions } from './worker-loop.service';
import type { WorkerJob } from './worker-loop.types';

// The loop runs on a manual clock: a held job's prefetchHoldMs only runs out when a test
// advances it, so nothing here depends on how long real time a job or a pull takes. Jobs
// that must stay running wait for a gate file the test creates.
const HOLD_MS = 1000;

let h: ReturnType<typeof startLoop>;
let clock: ManualClock;
/** Jobs the loop handed to the executor, in order, with how many pulls had begun by then. */
let starts: Array<{ jobId: string; pulls: number }>;
let gates: string[];

afterEach(async () => {
  // A test that failed half-way leaves no job waiting on its gate.
  for (const gate of gates) openGate(gate);
  await h.close();
});

function start(options: Partial<WorkerLoopOptions>, source = new MemoryJobSource()): void {
  clock = new ManualClock();
  h = startLoop({ concurrency: 1, pingIntervalMs: 3_600_000, heartbeatIntervalMs: 3_600_000, emptyPullDelayMs: 0, prefetchHoldMs: HOLD_MS, ...options }, source, clock);
  starts = [];
  gates = [];
  const run = h.executor.start.bind(h.executor);
  jest.spyOn(h.executor, 'start').mockImplementation((job, hooks) => {
    starts.push({ jobId: job.id, pulls: h.source.pulls });
    return run(job, hooks);
  });
}

/** A job that runs until the test opens its gate. */
function gatedJob(gate: string): WorkerJob {
  const file = h.file(gate);
  gates.push(gate);
  return h.source.push({ language: 'bash', content: `while [ ! -f ${file} ]; do sleep 0.02; done` });
}

function openGate(gate: string): void {
  writeFileSync(h.file(gate), '');
}

function quickJob(): WorkerJob {
  return h.source.push({ language: 'bash', content: 'true' });
}

const startedIds = () => starts.map((s) => s.jobId);
const hasStarted = (job: WorkerJob) => startedIds().includes(job.id);
const pullIndexOf = (job: WorkerJob) => h.source.pullCalls.findIndex((c) => c.jobId === job.id);
const completions = (job: WorkerJob) => h.source.completeCalls.filter((id) => id === job.id).length;

describe('prefetch: 1', () => {
  it('keeps one prefetch pull open while the slot is busy; the job it brings starts when the slot frees, once the next prefetch pull is on its way', async () => {
    start({ prefetch: 1 });
    const n = 5;
    const jobs = Array.from({ length: n }, (_, i) => gatedJob(`go-${i}`));

    for (let k = 0; k < n; k++) {
      await eventually(() => hasStarted(jobs[k]!), `job ${k} to start`);
      const next = jobs[k + 1];
      if (next) {
        // Claimed ahead of time by a prefetch pull while job k runs, and held, not started.
        await eventually(() => h.source.claimed.has(next.id), `job ${k + 1} to be prefetched`);
        expect(h.source.pullCalls[pullIndexOf(next)]).toEqual({ prefetch: true, jobId: next.id });
        expect(hasStarted(next)).toBe(false);
        expect(h.source.claimed.size).toBe(2);
      }
      openGate(`go-${k}`);
    }
    await eventually(() => jobs.every((j) => h.source.completed.has(j.id)));

    // Each job after the first started with exactly one pull begun after the one that brought
    // it: the next prefetch, sent before the job's process is forked (it waited for no pull).
    for (const job of jobs.slice(1)) {
      const begun = starts.find((s) => s.jobId === job.id)!.pulls;
      expect(begun).toBe(pullIndexOf(job) + 2);
      expect(h.source.pullCalls[begun - 1]!.prefetch).toBe(true);
    }
    expect(startedIds()).toEqual(jobs.map((j) => j.id));
    expect(jobs.map(completions)).toEqual(Array(n).fill(1));
    expect(jobs.map((j) => h.source.completed.get(j.id)!.success)).toEqual(Array(n).fill(true));
    expect(h.source.maxClaimed).toBe(2);
    expect(h.source.releaseCalls).toEqual([]);
  });

  it('runs a backlog of short jobs exactly once each, never claiming more than concurrency + 1', async () => {
    start({ prefetch: 1 });
    const jobs = Array.from({ length: 12 }, () => quickJob());
    await eventually(() => jobs.every((j) => h.source.completed.has(j.id)));

    expect(startedIds()).toEqual(jobs.map((j) => j.id));
    expect(jobs.map(completions)).toEqual(Array(jobs.length).fill(1));
    expect(h.source.maxClaimed).toBeLessThanOrEqual(2);
    expect(h.source.pullCalls.some((c) => c.prefetch && c.jobId !== null)).toBe(true);
    expect(h.source.releaseCalls).toEqual([]);
  });

  it('with concurrency 2, prefetches only once both slots are busy, and claims at most 3', async () => {
    start({ prefetch: 1, concurrency: 2 });
    const [a, b, c] = [gatedJob('go-a'), gatedJob('go-b'), gatedJob('go-c')];
    await eventually(() => hasStarted(a) && hasStarted(b) && h.source.claimed.has(c.id));
    expect(h.source.pullCalls.filter((p) => p.jobId !== null)).toEqual([
      { prefetch: false, jobId: a.id },
      { prefetch: false, jobId: b.id },
      { prefetch: true, jobId: c.id },
    ]);
    expect(hasStarted(c)).toBe(false);

    openGate('go-b');
    await eventually(() => hasStarted(c));
    // Both slots busy again: the next prefetch pull left before C's process started.
    expect(starts.find((s) => s.jobId === c.id)!.pulls).toBe(pullIndexOf(c) + 2);
    openGate('go-a');
    openGate('go-c');
    await eventually(() => [a, b, c].every((j) => h.source.completed.has(j.id)));
    expect(h.source.maxClaimed).toBe(3);
  });

  it('starts the job at once when a slot frees while the prefetch pull is still open, without a second pull', async () => {
    const source = new MemoryJobSource();
    source.pullWaitMs = 3_600_000; // long polls stay open until a job comes
    start({ prefetch: 1 }, source);
    const a = gatedJob('go-a');
    await eventually(() => hasStarted(a) && source.pullCalls.at(-1)?.prefetch === true);
    const prefetchPull = source.pullCalls.length - 1;

    openGate('go-a');
    await eventually(() => source.completed.has(a.id));
    await clock.advance(HOLD_MS * 3);
    // The slot is free, but the prefetch already open serves: no second pull.
    expect(source.pullCalls).toHaveLength(prefetchPull + 1);

    const b = quickJob();
    await eventually(() => source.completed.has(b.id));
    expect(source.pullCalls[prefetchPull]).toEqual({ prefetch: true, jobId: b.id });
    // B waited for no pull: the one begun after it brought B is the next prefetch.
    expect(starts.find((s) => s.jobId === b.id)!.pulls).toBe(prefetchPull + 2);
    expect(source.pullCalls[prefetchPull + 1]!.prefetch).toBe(true);
    expect(source.releaseCalls).toEqual([]);
  });

  it('releases a held job once if no slot frees within prefetchHoldMs, never runs it, and prefetches no more until the slot frees', async () => {
    start({ prefetch: 1 });
    h.source.requeueReleased = false; // as if another agent took it at once
    const a = gatedJob('go-a');
    const b = quickJob();
    await eventually(() => hasStarted(a) && h.source.claimed.has(b.id));
    const c = quickJob(); // what another prefetch would take

    await clock.advance(HOLD_MS - 1);
    expect(h.source.releaseCalls).toEqual([]);
    await clock.advance(1);
    await eventually(() => h.source.releaseCalls.length === 1);
    expect(h.source.releaseCalls).toEqual([b.id]);
    expect(h.source.claimed.has(b.id)).toBe(false);

    // A is still running: no prefetch, however long it takes.
    const pullsAfterRelease = h.source.pulls;
    for (let i = 0; i < 5; i++) await clock.advance(HOLD_MS);
    expect(h.source.pulls).toBe(pullsAfterRelease);
    expect(h.source.queued.map((j) => j.id)).toEqual([c.id]);

    // Once A ends, the free slot pulls C as usual.
    openGate('go-a');
    await eventually(() => h.source.completed.has(c.id));
    expect(h.source.pullCalls[pullIndexOf(c)]).toEqual({ prefetch: false, jobId: c.id });
    expect(startedIds()).toEqual([a.id, c.id]);
    expect(h.source.completeCalls).not.toContain(b.id);
    expect(h.source.releaseCalls).toEqual([b.id]);
  });

  it('keeps a held job whose release failed, and runs it when the slot frees', async () => {
    start({ prefetch: 1 });
    h.source.failNext.release = 1;
    const a = gatedJob('go-a');
    const b = quickJob();
    await eventually(() => hasStarted(a) && h.source.claimed.has(b.id));

    await clock.advance(HOLD_MS);
    await eventually(() => h.logger.warnings.some((w) => w.includes(`job ${b.id}: could not release`)));
    expect(h.source.releaseCalls).toEqual([b.id]);
    const c = quickJob();
    for (let i = 0; i < 3; i++) await clock.advance(HOLD_MS);
    const pullsWhileHeld = h.source.pulls;
    expect(hasStarted(b)).toBe(false);
    expect(h.source.queued.map((j) => j.id)).toEqual([c.id]);

    openGate('go-a');
    await eventually(() => h.source.completed.has(b.id) && h.source.completed.has(c.id));
    // B started without waiting for a pull; the one begun first is the next prefetch (for C).
    expect(starts.find((s) => s.jobId === b.id)!.pulls).toBe(pullsWhileHeld + 1);
    expect(h.source.pullCalls[pullsWhileHeld]).toEqual({ prefetch: true, jobId: c.id });
    expect(startedIds()).toEqual([a.id, b.id, c.id]);
    expect([a, b, c].map(completions)).toEqual([1, 1, 1]);
    expect(h.source.releaseCalls).toEqual([b.id]);
  });

  it('stop() releases a held job instead of running it', async () => {
    start({ prefetch: 1 });
    const a = gatedJob('go-a');
    const b = quickJob();
    await eventually(() => hasStarted(a) && h.source.claimed.has(b.id));

    // Stopping decides at once what becomes of B; A then finishes within the grace period.
    const stopped = h.loop.stop(30_000);
    openGate('go-a');
    await stopped;

    expect(h.source.releaseCalls).toEqual([b.id]);
    expect(h.source.queued.map((j) => j.id)).toEqual([b.id]);
    expect(startedIds()).toEqual([a.id]);
    expect(h.source.completed.has(a.id)).toBe(true);
    expect(h.source.completeCalls).not.toContain(b.id);
  });

  it('stop() releases, instead of running, a job that a prefetch pull in flight returns as the worker stops', async () => {
    const source = new MemoryJobSource();
    const pull = source.pull.bind(source);
    let deliver: ((job: WorkerJob) => void) | null = null;
    // A transport whose prefetch finishes its claim whatever the abort signal says.
    jest.spyOn(source, 'pull').mockImplementation((signal, options) => {
      if (!options?.prefetch) return pull(signal, options);
      source.pulls++;
      return new Promise<WorkerJob>((resolve) => (deliver = resolve));
    });
    start({ prefetch: 1 }, source);
    const a = gatedJob('go-a');
    await eventually(() => hasStarted(a) && deliver !== null);

    const stopped = h.loop.stop(30_000);
    const late = source.push({ language: 'bash', content: 'echo late' });
    source.queued.length = 0;
    source.claimed.add(late.id);
    deliver!(late);
    openGate('go-a');
    await stopped;

    expect(source.releaseCalls).toEqual([late.id]);
    expect(startedIds()).toEqual([a.id]);
    expect(source.completeCalls).toEqual([a.id]);
  });

  it('counts prefetch pulls as pulls: an agent busy with a job and a prefetch open skips main_loop pings', async () => {
    const source = new MemoryJobSource();
    source.pullRefreshesPing = true;
    source.pullWaitMs = 3_600_000;
    start({ prefetch: 1, pingIntervalMs: 5000, fullPingIntervalMs: 30_000 }, source);
    await eventually(() => source.pings.some((p) => p.pingType === 'initial'));
    const a = gatedJob('go-a');
    await eventually(() => hasStarted(a) && source.pullCalls.at(-1)?.prefetch === true);

    const mainLoopPings = () => source.pings.filter((p) => p.pingType === 'main_loop').length;
    for (let tick = 1; tick <= 5; tick++) await clock.advance(5000);
    expect(mainLoopPings()).toBe(0);
    await clock.advance(5000); // 30 s: a full ping is due
    expect(mainLoopPings()).toBe(1);
    await clock.advance(5000); // 35 s: the prefetch is still open and stands in
    expect(mainLoopPings()).toBe(1);
    openGate('go-a');
    await eventually(() => source.completed.has(a.id));
  });
});

describe('without prefetch', () => {
  it.each([
    ['prefetch is 0 (the default)', {}, true],
    ['the source cannot release', { prefetch: 1 }, false],
  ])('pulls only when a slot is free when %s, and never with prefetch', async (_name, options, canRelease) => {
    const source = new MemoryJobSource();
    if (!canRelease) source.release = undefined;
    start(options, source);
    const a = gatedJob('go-a');
    const b = quickJob();
    await eventually(() => hasStarted(a));

    for (let i = 0; i < 3; i++) await clock.advance(HOLD_MS);
    expect(h.source.pulls).toBe(starts[0]!.pulls);
    expect(h.source.queued.map((j) => j.id)).toEqual([b.id]);

    openGate('go-a');
    await eventually(() => h.source.completed.has(b.id));
    expect(h.source.pullCalls.every((c) => !c.prefetch)).toBe(true);
    expect(h.source.releaseCalls).toEqual([]);
    expect(startedIds()).toEqual([a.id, b.id]);
  });
});
