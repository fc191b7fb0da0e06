import { BadRequestException, ConflictException, Injectable, NotFoundException, PayloadTooLargeException, RequestTimeoutException } from '@nestjs/common';
import { validateArgs } from '@millrace/contracts';
import { CompletionWaiter, NewJob, PgJobQueue } from '@millrace/queue';
import { resolveTag } from '@millrace/tags';
import { JobQueueConfig } from '../config/job-queue.config';
import type { ServiceActor } from '../auth/service-actor';
import type { CancelJobDto } from './dto/cancel-job.dto';
import type { ListJobsQuery } from './dto/list-jobs.query';
import type { PushJobDto } from './dto/push-job.dto';
import { toWire, WireJob } from './job-view.mapper';

const MAX_ARGS_BYTES = 1024 * 1024;
const SCRIPT_KINDS = new Set(['script', 'preview', 'flowstep', 'init']);

@Injectable()
export class JobsService {
  constructor(
    private readonly queue: PgJobQueue,
    private readonly waiter: CompletionWaiter,
    private readonly config: JobQueueConfig,
  ) {}

  /** Turns a push request into a queue row: checks, args against the schema, tag resolution. */
  toNewJob(ws: string, dto: PushJobDto, actor: ServiceActor, index?: number): NewJob {
    const where = index === undefined ? '' : `jobs[${index}].`;
    const args = dto.args ?? {};
    if (Buffer.byteLength(JSON.stringify(args)) > MAX_ARGS_BYTES) throw new PayloadTooLargeException(`${where}args exceed ${MAX_ARGS_BYTES} bytes`);
    if (SCRIPT_KINDS.has(dto.kind)) {
      if (!dto.language) throw new BadRequestException(`${where}language is required for ${dto.kind} jobs`);
      if (dto.content === undefined) throw new BadRequestException(`${where}content is required for ${dto.kind} jobs`);
    }
    if (dto.schema) {
      const problems = validateArgs(dto.schema, args);
      if (problems.length > 0) throw new BadRequestException(problems.map((p) => `${where}${p}`).join('; '));
    }
    const tag = resolveTag({
      workspace: ws,
      kind: dto.kind,
      language: dto.language,
      explicit: dto.tag,
      scriptTag: dto.script_tag,
      args,
      workspaceSpecificDefaults: this.config.WORKSPACE_SPECIFIC_DEFAULT_TAGS,
    });
    return {
      workspaceId: ws,
      kind: dto.kind,
      path: dto.path ?? null,
      language: dto.language ?? null,
      content: dto.content ?? null,
      lock: dto.lock ?? null,
      args,
      tag,
      priority: dto.priority ?? 0,
      timeoutS: dto.timeout_s ?? null,
      parentJob: dto.parent_job ?? null,
      rootJob: dto.root_job ?? null,
      flowStepId: dto.flow_step_id ?? null,
      createdBy: actor.sub,
      scheduledFor: dto.scheduled_for ? new Date(dto.scheduled_for) : null,
    };
  }

  async push(ws: string, dto: PushJobDto, actor: ServiceActor): Promise<{ id: string; tag: string }> {
    const job = this.toNewJob(ws, dto, actor);
    const id = await this.queue.push(job);
    return { id, tag: job.tag };
  }

  async pushMany(ws: string, dtos: PushJobDto[], actor: ServiceActor): Promise<{ ids: string[]; tags: string[] }> {
    // Every job is checked before any is inserted: the batch is all or nothing.
    const jobs = dtos.map((d, i) => this.toNewJob(ws, d, actor, i));
    const ids = await this.queue.pushMany(jobs);
    return { ids, tags: jobs.map((j) => j.tag) };
  }

  async get(ws: string, id: string): Promise<WireJob> {
    const job = await this.queue.get(ws, id);
    if (!job) throw new NotFoundException(`job ${id} not found in workspace ${ws}`);
    return toWire(job, await this.queue.getLogs(ws, id));
  }

  async list(ws: string, q: ListJobsQuery): Promise<WireJob[]> {
    const jobs = await this.queue.list(ws, {
      running: q.running,
      success: q.success,
      tag: q.tag,
      worker: q.worker,
      kinds: q.job_kinds,
      page: q.page ?? 1,
      perPage: q.per_page ?? 100,
    });
    return jobs.map((j) => toWire(j));
  }

  async result(ws: string, id: string): Promise<unknown> {
    const job = await this.queue.get(ws, id);
    if (!job) throw new NotFoundException(`job ${id} not found in workspace ${ws}`);
    if (job.type !== 'CompletedJob') throw new ConflictException({ code: 'not_completed', message: `job ${id} has not completed yet` });
    // A failure reads the same whichever worker ran it: `{error: {message, name?, stack?}}`.
    return job.success ? job.result : { error: job.error };
  }

  async logs(ws: string, id: string): Promise<string> {
    const logs = await this.queue.getLogs(ws, id);
    if (logs === null) throw new NotFoundException(`job ${id} not found in workspace ${ws}`);
    return logs;
  }

  async cancel(ws: string, id: string, dto: CancelJobDto, actor: ServiceActor): Promise<{ status: string }> {
    const status = await this.queue.cancel(ws, id, { by: actor.sub, reason: dto.reason, force: dto.force });
    return { status };
  }

  async wait(ws: string, id: string, timeoutS: number): Promise<WireJob> {
    const known = await this.queue.get(ws, id);
    if (!known) throw new NotFoundException(`job ${id} not found in workspace ${ws}`);
    const done = known.type === 'CompletedJob' ? known : await this.waiter.waitFor(ws, id, timeoutS * 1000);
    if (!done) throw new RequestTimeoutException(`job ${id} did not complete within ${timeoutS}s`);
    return toWire(done);
  }
}
