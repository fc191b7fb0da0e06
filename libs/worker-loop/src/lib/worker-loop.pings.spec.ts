import { writeFileSync } from 'node:fs';
import { eventually, startLoop } from '../spec-support/loop.fixture';
import { ManualClock } from '../spec-support/manual-clock.fixture';
import { MemoryJobSource } from '../spec-support/memory-job-source.fixture';
import type { WorkerLoopOptions } from './worker-loop.service';
import type { PingType, WorkerJob } from './worker-loop.types';

// These run the loop on a manual clock: pings come due only when a test advances it, so the
// assertions count pings per tick, never elapsed real time.
const PING_MS = 5000;
const FULL_PING_MS = 30_000;

let h: ReturnType<typeof startLoop>;
let clock: ManualClock;

afterEach(async () => {
  await h.close();
});

function start(source: MemoryJobSource, options: Partial<WorkerLoopOptions> = {}): void {
  clock = new ManualClock();
  h = startLoop({ pingIntervalMs: PING_MS, fullPingIntervalMs: FULL_PING_MS, heartbeatIntervalMs: 3_600_000, emptyPullDelayMs: 0, ...options }, source, clock);
}

function pingsOf(type: PingType) {
  return h.source.pings.filter((p) => p.pingType === type);
}

/** Waits until the loop has started another pull, then moves the clock one ping interval. */
async function tickWhilePulling(): Promise<void> {
  const pulls = h.source.pulls;
  await eventually(() => h.source.pulls > pulls);
  await clock.advance(PING_MS);
}

/** A job the loop finishes at once, without a process (it fails it as unsupported). */
function pushInstantJob(): WorkerJob {
  return h.source.push({ kind: 'flow', language: null, content: null });
}

/** Pushes `n` such jobs and waits until the loop is done with all of them. */
async function pushInstantJobs(n: number): Promise<WorkerJob[]> {
  const done = h.loop.jobsExecuted + n;
  const jobs = Array.from({ length: n }, () => pushInstantJob());
  await eventually(() => h.loop.jobsExecuted === done);
  return jobs;
}

function agentSource(): MemoryJobSource {
  const source = new MemoryJobSource();
  source.pullRefreshesPing = true;
  return source;
}

describe('main_loop pings', () => {
  it('are skipped while pulls stand in for them when the source counts pulls as pings, but one is sent every fullPingIntervalMs', async () => {
    const source = agentSource();
    source.pullWaitMs = 5;
    start(source);
    await eventually(() => pingsOf('initial').length === 1);

    const sentAfterTick: number[] = [];
    for (let tick = 1; tick <= 12; tick++) {
      await tickWhilePulling();
      sentAfterTick.push(pingsOf('main_loop').length);
    }

    // Ticks at 5 s … 60 s: only at 30 s (30 s after the initial ping) and 60 s.
    expect(sentAfterTick).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2]);
    expect(h.source.pings.map((p) => p.pingType)).toEqual(['initial', 'main_loop', 'main_loop']);
  });

  it.each([
    ['absent', undefined],
    ['false', false],
  ])('are sent every interval, pulls or not, when pullRefreshesPing is %s', async (_, flag) => {
    const source = new MemoryJobSource();
    if (flag !== undefined) source.pullRefreshesPing = flag;
    source.pullWaitMs = 5;
    start(source);
    await eventually(() => pingsOf('initial').length === 1);

    const sentAfterTick: number[] = [];
    for (let tick = 1; tick <= 7; tick++) {
      await tickWhilePulling();
      sentAfterTick.push(pingsOf('main_loop').length);
    }

    expect(sentAfterTick).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('resume every interval on an agent busy with a job (not pulling), and report occupancy since the last ping sent', async () => {
    const source = agentSource();
    source.pullWaitMs = 3_600_000; // an idle agent's long poll stays open
    start(source, { concurrency: 1 });
    await eventually(() => pingsOf('initial').length === 1);
    const go = h.file('go');
    const job = h.source.push({ language: 'bash', content: `while [ ! -f ${go} ]; do sleep 0.02; done` });
    await eventually(() => h.loop.runningJobIds.includes(job.id));

    // The pull that fetched the job came after the initial ping: it stands in until 30 s.
    for (let tick = 1; tick <= 5; tick++) await clock.advance(PING_MS);
    expect(pingsOf('main_loop')).toHaveLength(0);
    await clock.advance(PING_MS); // 30 s
    await clock.advance(PING_MS); // 35 s: no pull since the 30 s ping, none open
    expect(pingsOf('main_loop').map((p) => [p.occupancy, p.currentJobId])).toEqual([
      [1, job.id],
      [1, job.id],
    ]);

    // The job ends at 37.5 s; the agent goes back to a long poll, which stands in until 65 s.
    await clock.advance(PING_MS / 2);
    writeFileSync(go, '');
    await eventually(() => h.loop.jobsExecuted === 1 && h.source.pulls === 2);
    await clock.advance(PING_MS / 2); // 40 s
    for (let tick = 1; tick <= 4; tick++) await clock.advance(PING_MS); // 60 s
    expect(pingsOf('main_loop')).toHaveLength(2);
    await clock.advance(PING_MS); // 65 s

    const last = pingsOf('main_loop');
    expect(last).toHaveLength(3);
    // Busy 35 s → 37.5 s of the 30 s since the last ping sent (the skipped ticks do not reset it).
    expect(last[2]!.occupancy).toBeCloseTo(2500 / 30_000, 6);
    expect(last[2]).toMatchObject({ jobsExecuted: 1, currentJobId: null });
  });
});

describe('job pings', () => {
  it('are sent only if no ping went out in the last minJobPingGapMs', async () => {
    start(new MemoryJobSource(), { pingIntervalMs: 3_600_000 });
    await eventually(() => pingsOf('initial').length === 1);

    // Jobs starting with the initial ping: it says enough.
    await pushInstantJobs(3);
    expect(pingsOf('job')).toHaveLength(0);

    await clock.advance(2000);
    const burst = await pushInstantJobs(5);
    expect(pingsOf('job').map((p) => p.currentJobId)).toEqual([burst[0]!.id]);

    await clock.advance(999);
    await pushInstantJobs(5);
    expect(pingsOf('job')).toHaveLength(1);

    await clock.advance(1);
    const next = await pushInstantJobs(2);
    expect(pingsOf('job').map((p) => p.currentJobId)).toEqual([burst[0]!.id, next[0]!.id]);
    expect(h.loop.jobsExecuted).toBe(15);
  });

  it('are sent for every job when minJobPingGapMs is 0', async () => {
    start(new MemoryJobSource(), { pingIntervalMs: 3_600_000, minJobPingGapMs: 0 });
    await eventually(() => pingsOf('initial').length === 1);
    const jobs = await pushInstantJobs(5);
    const ids = jobs.map((j) => j.id);
    // current_job_id is the oldest job not yet reported, which may be the previous one.
    expect(pingsOf('job')).toHaveLength(5);
    expect(pingsOf('job')[0]!.currentJobId).toBe(ids[0]);
    for (const p of pingsOf('job')) expect(ids).toContain(p.currentJobId);
  });
});
