import { BadRequestException, HttpException, Injectable, NotFoundException, PayloadTooLargeException, RequestTimeoutException, UnprocessableEntityException } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { JobQueueClient } from '../job-queue/job-queue.client';
import type { JobListQuery, JobView, PushJob } from '../job-queue/job-queue.types';
import type { Actor } from '../job-queue/service-token.signer';
import { ScriptAnalyzer } from '../scripts/script-analyzer';
import type { ScriptVersion } from '../scripts/scripts.repository';
import { ScriptsService } from '../scripts/scripts.service';
import type { CancelJobDto } from './dto/cancel-job.dto';
import type { ListJobsDto } from './dto/list-jobs.dto';
import { MAX_ARGS_BYTES, RunPreviewDto } from './dto/run-preview.dto';
import type { RunScriptQueryDto, RunWaitQueryDto } from './dto/run-script-query.dto';

export const DEFAULT_WAIT_S = 60;

function actorOf(p: Principal): Actor {
  return { sub: p.email, superAdmin: p.superAdmin };
}

/** What the push snapshots of the script version: workers never read the script table. */
function scriptPush(s: ScriptVersion, args: Record<string, unknown>, q: RunScriptQueryDto): PushJob {
  return {
    kind: 'script',
    path: s.path,
    language: s.language,
    content: s.compiledContent ?? s.content,
    lock: s.lock ?? undefined,
    args,
    schema: s.schema,
    tag: q.tag,
    script_tag: s.tag ?? undefined,
    priority: q.priority ?? s.priority ?? undefined,
    timeout_s: s.timeoutS ?? undefined,
    scheduled_for: q.scheduled_for,
  };
}

/** Job routes: access is checked by the guard; job-queue owns the lifecycle. */
@Injectable()
export class JobsService {
  constructor(
    private readonly scripts: ScriptsService,
    private readonly analyzer: ScriptAnalyzer,
    private readonly queue: JobQueueClient,
  ) {}

  /** The request body as the args object (absent means no arguments). */
  static argsFrom(body: unknown): Record<string, unknown> {
    if (body === undefined || body === null) return {};
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw new BadRequestException('the body must be a JSON object of arguments (name → value)');
    }
    if (Buffer.byteLength(JSON.stringify(body), 'utf8') > MAX_ARGS_BYTES) throw new PayloadTooLargeException(`args must be at most ${MAX_ARGS_BYTES} bytes of JSON`);
    return body as Record<string, unknown>;
  }

  async runScript(ws: string, p: Principal, path: string, args: Record<string, unknown>, q: RunScriptQueryDto): Promise<string> {
    const script = await this.scripts.latest(ws, path);
    return (await this.queue.push(actorOf(p), ws, scriptPush(script, args, q))).id;
  }

  async runPreview(ws: string, p: Principal, dto: RunPreviewDto): Promise<string> {
    const analysis = await this.analyzer.analyze(dto.language, dto.content);
    const job: PushJob = { kind: 'preview', language: dto.language, content: analysis.compiled ?? dto.content, args: dto.args ?? {}, schema: analysis.schema, tag: dto.tag };
    return (await this.queue.push(actorOf(p), ws, job)).id;
  }

  runFlow(ws: string, path: string): never {
    throw new NotFoundException(`flow ${path} not found in workspace ${ws} (flows are not available yet)`);
  }

  /** Runs the script and answers with its result; a failed or canceled job is a 422. */
  async runWaitResult(ws: string, p: Principal, path: string, args: Record<string, unknown>, q: RunWaitQueryDto): Promise<unknown> {
    const id = await this.runScript(ws, p, path, args, q);
    const timeoutS = q.timeout_s ?? DEFAULT_WAIT_S;
    let job: JobView;
    try {
      job = await this.queue.wait(actorOf(p), ws, id, timeoutS);
    } catch (e) {
      if (e instanceof HttpException && e.getStatus() === 408) {
        throw new RequestTimeoutException(`job ${id} has not finished within ${timeoutS} s; it is still queued or running (GET /api/w/${ws}/jobs_u/get/${id})`);
      }
      throw e;
    }
    if (job.success === true) return job.result;
    if (job.canceled) {
      throw new UnprocessableEntityException({ code: 'job_canceled', message: `job ${id} was canceled${job.canceled_reason ? `: ${job.canceled_reason}` : ''}` });
    }
    throw new UnprocessableEntityException({ code: 'job_failed', message: `job ${id} failed: ${job.error?.message ?? 'no error message'}` });
  }

  get(ws: string, p: Principal, id: string): Promise<JobView> {
    return this.queue.get(actorOf(p), ws, id);
  }

  result(ws: string, p: Principal, id: string): Promise<string> {
    return this.queue.result(actorOf(p), ws, id);
  }

  logs(ws: string, p: Principal, id: string): Promise<string> {
    return this.queue.logs(actorOf(p), ws, id);
  }

  list(ws: string, p: Principal, q: ListJobsDto): Promise<unknown> {
    const query: JobListQuery = {
      running: q.running,
      success: q.success,
      tag: q.tag,
      worker: q.worker,
      job_kinds: q.job_kinds,
      page: q.page?.toString(),
      per_page: q.per_page?.toString(),
    };
    return this.queue.list(actorOf(p), ws, query);
  }

  cancel(ws: string, p: Principal, id: string, dto: CancelJobDto): Promise<unknown> {
    return this.queue.cancel(actorOf(p), ws, id, dto.reason);
  }
}
