// Timing of the executor and the worker loop (the tests assert behaviour, not time):
// - start → result of a trivial job per language (process start, wrapper, temp dir);
// - cancel latency through the loop: from the server flagging a cancel to the outcome being
//   reported, with the production heartbeat interval. DESIGN: "a cancel takes effect
//   within ~2 s".
// Bundled and run by run.mjs; prints JSON lines, the last one a summary.
import { randomUUID } from 'node:crypto';
import { ScriptExecutor, type ExecutionResult, type ScriptLanguage } from '@millrace/executor';
import { WorkerLoop, type JobSource, type JobStatusReply, type WorkerJob } from '@millrace/worker-loop';

const spec = JSON.parse(process.argv[2] ?? '{}') as { runs?: number; cancels?: number; heartbeatMs?: number };
const runs = spec.runs ?? 20;
const cancels = spec.cancels ?? 5;
const heartbeatMs = spec.heartbeatMs ?? 2000;

function pct(values: number[], p: number): number {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.max(0, Math.ceil((p / 100) * v.length) - 1)] ?? NaN;
}

const trivial: Record<ScriptLanguage, string> = {
  bash: 'echo 1',
  python3: 'def main():\n    return 1',
  nodejs: 'export function main() { return 1; }',
  typescript: 'exports.main = () => 1;',
};

/** One job at a time; cancel flagged from outside; records when the outcome arrives. */
class BenchSource implements JobSource {
  next: WorkerJob | null = null;
  cancelFlag = false;
  logs = '';
  reported: ((outcome: ExecutionResult) => void) | null = null;
  async pull(signal: AbortSignal): Promise<WorkerJob | null> {
    const job = this.next;
    this.next = null;
    if (!job) await new Promise((r) => { const t = setTimeout(r, 20); signal.addEventListener('abort', () => { clearTimeout(t); r(undefined); }, { once: true }); });
    return job;
  }
  async heartbeat(): Promise<JobStatusReply> {
    return { alreadyCompleted: false, canceledBy: this.cancelFlag ? 'bench' : null };
  }
  async appendLogs(_job: WorkerJob, _offset: number, text: string): Promise<void> {
    this.logs += text;
  }
  async complete(_job: WorkerJob, outcome: ExecutionResult): Promise<void> {
    this.reported?.(outcome);
  }
  async ping(): Promise<void> {
    return;
  }
}

async function main(): Promise<void> {
  const executor = new ScriptExecutor({ path: process.env['PATH'] ?? '' });
  const startToResult: Record<string, number> = {};
  for (const language of Object.keys(trivial) as ScriptLanguage[]) {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = await executor.run({ id: randomUUID(), workspaceId: 'bench', language, content: trivial[language], args: {}, token: '' });
      if (!r.success) throw new Error(`${language}: ${r.error.message}`);
      samples.push(performance.now() - t0);
    }
    startToResult[language] = pct(samples, 50);
    console.log(JSON.stringify({ metric: 'start_to_result_ms', language, p50: pct(samples, 50), p95: pct(samples, 95) }));
  }

  const source = new BenchSource();
  const loop = new WorkerLoop(source, executor, { workerName: 'wk-bench', version: 'bench', workerInstance: 'bench', heartbeatIntervalMs: heartbeatMs });
  loop.start();
  const cancelMs: number[] = [];
  for (let i = 0; i < cancels; i++) {
    source.logs = '';
    source.cancelFlag = false;
    const outcome = new Promise<ExecutionResult>((resolve) => (source.reported = resolve));
    source.next = { id: randomUUID(), workspaceId: 'bench', kind: 'script', language: 'bash', content: 'echo started\nsleep 300', args: {}, timeoutS: null, token: '', claimId: randomUUID() };
    while (!source.logs.includes('started')) await new Promise((r) => setTimeout(r, 5));
    // Flag at a random point of the heartbeat cycle, as a user's cancel would land.
    await new Promise((r) => setTimeout(r, Math.random() * heartbeatMs));
    const t0 = performance.now();
    source.cancelFlag = true;
    const r = await outcome;
    if (r.success) throw new Error('the cancelled job succeeded');
    cancelMs.push(performance.now() - t0);
  }
  await loop.stop(0);
  console.log(JSON.stringify({ metric: 'cancel_to_report_ms', heartbeatMs, p50: pct(cancelMs, 50), max: Math.max(...cancelMs) }));
  const fmt = (x: number) => x.toFixed(0);
  console.log(
    `worker: start->result p50 bash ${fmt(startToResult['bash'] ?? NaN)} ms, python3 ${fmt(startToResult['python3'] ?? NaN)} ms, nodejs ${fmt(startToResult['nodejs'] ?? NaN)} ms; ` +
      `cancel->report p50 ${fmt(pct(cancelMs, 50))} ms, max ${fmt(Math.max(...cancelMs))} ms (heartbeat ${heartbeatMs} ms)`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
