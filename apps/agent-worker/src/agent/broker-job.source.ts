import type { ExecutionResult } from '@millrace/executor';
import { HttpClientError, HttpClientErrorCode, RETRY_FOREVER, RetryingHttpClient, RetryPolicy } from '@millrace/http-client';
import { JobSource, JobSourceError, JobSourceErrorCode, JobStatusReply, nextTurn, PullOptions, WorkerJob, WorkerLoopLogger, WorkerPing } from '@millrace/worker-loop';
import type { PullJobReply } from '@millrace/contracts';
import { toWorkerJob } from './pulled-job';

export interface BrokerJobSourceOptions {
  baseUrl: string;
  agentToken: string;
  workerSuffix: string;
  pullWaitS: number;
  logger: WorkerLoopLogger;
  /** Retry policy for calls the loop re-drives itself (pull, heartbeat, ping). */
  retry?: RetryPolicy;
}

/** A reported outcome before it is sent; `next` is set when a prefetch pull rides on it. */
interface UnsentResult {
  job: WorkerJob;
  body: object;
  next?: (reply: PullJobReply | null) => void;
}

/**
 * How long a finished job's outcome waits for a ride in flight (`complete`). The ride is one
 * immediate exchange, a few milliseconds; past this the outcome goes on its own.
 */
const RIDE_WAIT_MAX_MS = 100;

/** How long a stopping worker's poll may take to end after `end_poll` (before its connection is cut). */
const END_POLL_GRACE_MS = 1_000;
const NO_RETRY: RetryPolicy = { retries: 0, baseDelayMs: 0, maxDelayMs: 0 };

/** A few quick retries; the worker loop adds its own backoff around these calls. */
const SHORT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 250, maxDelayMs: 2000 };

/**
 * The agent's transport: the Agent API of the broker (or the gateway, which forwards it) over
 * HTTP. Transient failures are retried with backoff and jitter; a finished job's logs and
 * result are retried until delivered (the API is idempotent: log offsets, completion bound to
 * the claim). 401/403 means the agent token was revoked or is bad: fatal for the worker.
 */
export class BrokerJobSource implements JobSource {
  /**
   * The broker refreshes this agent's `last_ping` on every `pull_job` (an open long poll counts
   * as a ping), so the loop skips most `main_loop` pings of an idle agent and sends a full one
   * only every `fullPingIntervalMs` (30 s by default) instead of every 5 s.
   */
  readonly pullRefreshesPing = true;
  private readonly http: RetryingHttpClient;
  /** Results reported but not sent yet: a prefetch pull made meanwhile goes with one of them. */
  private readonly unsent: UnsentResult[] = [];
  /** The `send_result?next=true` exchange in flight, if any (it settles once its reply is in). */
  private riding: Promise<unknown> | null = null;

  constructor(private readonly o: BrokerJobSourceOptions) {
    this.http = new RetryingHttpClient({
      baseURL: o.baseUrl,
      headers: { authorization: `Bearer ${o.agentToken}`, 'x-worker-suffix': o.workerSuffix },
      retry: o.retry ?? SHORT_RETRY,
      onRetry: (i) => o.logger.warn(`${i.method} ${i.url} failed (${i.reason}); retry ${i.attempt} in ${Math.round(i.delayMs)} ms`),
    });
  }

  /**
   * `prefetch`: the broker serves this poll only with jobs no idle agent with our tags waits
   * for. A prefetch asked for while a result is about to be sent rides on it (`send_result?
   * next=true`, one exchange instead of two); when that brings no job, it long-polls as usual.
   */
  async pull(signal: AbortSignal, options?: PullOptions): Promise<WorkerJob | null> {
    if (options?.prefetch && !signal.aborted) {
      const carrier = this.unsent.find((r) => !r.next);
      if (carrier) {
        const next = await new Promise<PullJobReply | null>((resolve) => (carrier.next = resolve));
        if (next) return toWorkerJob(next);
        if (signal.aborted) return null;
      }
    }
    if (signal.aborted) return null;
    const query = { wait_s: this.o.pullWaitS, ...(options?.prefetch ? { prefetch: 'true' } : {}) };
    // Stopping ends the poll through the broker (endPoll), not by closing its connection.
    const poll = new AbortController();
    let cut: NodeJS.Timeout | undefined;
    const onStop = () => (cut = this.endPoll(poll));
    signal.addEventListener('abort', onStop, { once: true });
    try {
      const res = await this.call(() => this.http.post<PullJobReply | ''>('/api/agent_workers/pull_job', {}, { query, timeoutMs: (this.o.pullWaitS + 15) * 1000, signal: poll.signal }));
      if (res.status === 204 || !res.data) return null;
      return toWorkerJob(res.data);
    } finally {
      signal.removeEventListener('abort', onStop);
      clearTimeout(cut);
    }
  }

  /**
   * The worker is stopping while a poll is open: asks the broker to end it (`end_poll`), which
   * answers it 204 — or it already carries a job handed to it just before, and that job still
   * arrives (the loop drains or releases it). Closing the connection instead could lose such
   * a reply on its way, leaving the job claimed until the monitor requeues it. The connection
   * is cut only if `end_poll` fails (an older broker answers 404) or the poll has not ended
   * `END_POLL_GRACE_MS` after asking.
   */
  private endPoll(poll: AbortController): NodeJS.Timeout {
    const cut = setTimeout(() => poll.abort(), END_POLL_GRACE_MS);
    this.http.post('/api/agent_workers/end_poll', {}, { timeoutMs: END_POLL_GRACE_MS, retry: NO_RETRY }).catch((e: unknown) => {
      this.o.logger.warn(`could not end the open poll through the broker (${e instanceof Error ? e.message : String(e)}); closing its connection`);
      poll.abort();
    });
    return cut;
  }

  /**
   * Gives a prefetched job back unstarted (`release_job`): the broker requeues it and wakes
   * other agents. `released: false` means the claim no longer held it (cancelled, completed or
   * requeued meanwhile); either way this agent must not run it.
   */
  async release(job: WorkerJob): Promise<void> {
    const res = await this.call(() =>
      this.http.post<{ released?: boolean }>(`/api/w/${job.workspaceId}/agent_workers/release_job/${job.id}`, {}, { headers: { 'x-job-token': job.token } }),
    );
    if (res.data?.released !== true) this.o.logger.log(`job ${job.id}: not released, the broker says its claim was already gone`);
  }

  async heartbeat(job: WorkerJob): Promise<JobStatusReply> {
    const res = await this.call(() =>
      this.http.post<{ canceled_by?: string | null; canceled_reason?: string | null; already_completed: boolean }>(
        `/api/agent_workers/ping_job_status/${job.id}`,
        {},
        { headers: { 'x-job-token': job.token } },
      ),
    );
    return { canceledBy: res.data.canceled_by ?? null, canceledReason: res.data.canceled_reason ?? null, alreadyCompleted: res.data.already_completed };
  }

  async appendLogs(job: WorkerJob, offset: number, text: string): Promise<void> {
    try {
      await this.call(() =>
        this.http.post(`/api/w/${job.workspaceId}/agent_workers/push_logs/${job.id}`, { offset, logs: text }, { headers: { 'x-job-token': job.token }, retry: RETRY_FOREVER }),
      );
    } catch (e) {
      // The broker holds fewer bytes than we sent before this chunk: they cannot be sent
      // again (they are gone from memory), so say so and go on rather than stall the job.
      if (e instanceof HttpClientError && (e.body as { error?: { code?: string } } | undefined)?.error?.code === 'log_offset_gap') {
        this.o.logger.warn(`job ${job.id}: broker refused logs at offset ${offset} (${e.message}); this chunk is dropped`);
        return;
      }
      throw e;
    }
  }

  /**
   * Sends the outcome (retried until delivered) on the event loop's next turn rather than at
   * once: the worker loop asks for its next prefetch in the same turn as it reports, and that
   * pull then goes in this request (see `pull`).
   *
   * While a result carrying a pull is still on its way (`send_result?next=true`), the outcome
   * waits for that reply, at most `RIDE_WAIT_MAX_MS`: the reply brings the job this slot runs
   * next, and the prefetch the loop then asks for rides on this outcome. Sent at once instead,
   * it went alone and that prefetch became a `pull_job` of its own: two exchanges (and two
   * statements) per job instead of one, on every other job of a busy agent (bench:fleet).
   */
  complete(job: WorkerJob, outcome: ExecutionResult): Promise<void> {
    const body = outcome.success
      ? { success: true, result: outcome.result ?? null, duration_ms: Math.round(outcome.durationMs) }
      : {
          success: false,
          result: outcome.error,
          duration_ms: Math.round(outcome.durationMs),
          ...(outcome.canceledBy ? { canceled_by: outcome.canceledBy } : {}),
        };
    const pending: UnsentResult = { job, body };
    this.unsent.push(pending);
    return this.sendTurn().then(() => this.sendResult(pending));
  }

  /**
   * Resolves when a result is to be sent: after the ride in flight if any (bounded), and two
   * event-loop turns after the loop had its chance to act — to attach its next prefetch, and
   * to start the job it holds (the worker loop starts jobs a turn after taking them). The job
   * goes first: its directory and the launcher's fork are then not waiting behind this
   * request, and the exchange runs while the job does. Agent-worker against agent-worker in
   * bench:fleet (`--compare-agent-b`), sending after the start made 8–13 % more jobs/s than
   * sending before it, in 5 of 5 runs.
   */
  private async sendTurn(): Promise<void> {
    await nextTurn();
    const riding = this.riding;
    if (riding) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([riding, new Promise<void>((resolve) => (timer = setTimeout(resolve, RIDE_WAIT_MAX_MS)))]);
      clearTimeout(timer);
      // The loop takes the job that came back and asks for its next prefetch within this turn.
      await nextTurn();
    }
    await nextTurn();
  }

  private async sendResult(r: UnsentResult): Promise<void> {
    this.unsent.splice(this.unsent.indexOf(r), 1);
    const path = `/api/w/${r.job.workspaceId}/agent_workers/send_result/${r.job.id}`;
    const headers = { 'x-job-token': r.job.token };
    let next: PullJobReply | null = null;
    const exchange = this.call(() => this.http.post<{ repeated: boolean; next?: PullJobReply | null }>(path, r.body, { headers, retry: RETRY_FOREVER, ...(r.next ? { query: { next: 'true' } } : {}) }));
    const ride = r.next ? exchange.catch(() => undefined) : null;
    if (ride) this.riding = ride;
    try {
      next = (await exchange).data?.next ?? null;
    } finally {
      if (ride && this.riding === ride) this.riding = null;
      // A pull riding on this result long-polls by itself if no job came back (or it failed).
      r.next?.(next);
    }
  }

  async ping(p: WorkerPing): Promise<void> {
    await this.call(() =>
      this.http.post('/api/agent_workers/update_ping', {
        ping_type: p.pingType,
        version: p.version,
        worker_instance: p.workerInstance,
        ip: p.ip ?? '',
        memory_bytes: Math.round(p.memoryBytes),
        current_job_id: p.currentJobId,
        jobs_executed: p.jobsExecuted,
        occupancy: Math.min(1, Math.max(0, p.occupancy)),
      }),
    );
  }

  /** Records the INIT_SCRIPT run as a completed `init` job (retried until delivered). */
  async recordInitJob(content: string, outcome: ExecutionResult, logs: string): Promise<string> {
    const body = {
      content,
      success: outcome.success,
      logs,
      result: outcome.success ? (outcome.result ?? null) : outcome.error,
      duration_ms: Math.round(outcome.durationMs),
    };
    const res = await this.call(() => this.http.post<{ id: string }>('/api/agent_workers/record_init_job', body, { retry: RETRY_FOREVER }));
    return res.data.id;
  }

  /** Maps HTTP failures to what the worker loop acts on. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof HttpClientError)) throw e;
      if (e.code === HttpClientErrorCode.AuthRejected) {
        throw new JobSourceError(JobSourceErrorCode.Fatal, `the broker rejected this agent's token (${e.message}): it was revoked, expired or is not valid for this broker`);
      }
      if (e.status === 409 && (e.body as { error?: { code?: string } } | undefined)?.error?.code === 'stale_claim') {
        throw new JobSourceError(JobSourceErrorCode.ClaimLost, e.message);
      }
      if (e.status === 404) throw new JobSourceError(JobSourceErrorCode.ClaimLost, e.message);
      throw e;
    }
  }
}
