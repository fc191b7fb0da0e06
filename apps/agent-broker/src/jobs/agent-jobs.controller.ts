import { Body, Controller, HttpCode, HttpStatus, Post, UseFilters, UseGuards } from '@nestjs/common';
import { AgentTokenGuard } from '../auth/agent-token.guard';
import { Grant, JobTokenGuard } from '../auth/job-token.guard';
import type { JobGrant } from '../auth/job-token.service';
import { AgentJobsService, JobStatusReply } from './agent-jobs.service';
import { PingJobStatusDto } from './dto/ping-job-status.dto';
import { PushLogsDto } from './dto/push-logs.dto';
import { QueueErrorFilter } from './queue-error.filter';

/**
 * Routes of a pulled job: agent token + `X-Job-Token` for this job and this worker. The route
 * id and workspace are checked against the job token by JobTokenGuard; the claim inside it
 * goes to the queue, which answers 409 once the claim no longer holds the job.
 * `send_result` (200 `{repeated}`) is answered by the fast path (src/http/agent-fast-path.ts)
 * with the same checks, before requests reach Nest.
 */
@Controller('api')
@UseGuards(AgentTokenGuard, JobTokenGuard)
@UseFilters(QueueErrorFilter)
export class AgentJobsController {
  constructor(private readonly jobs: AgentJobsService) {}

  @Post('agent_workers/ping_job_status/:id')
  @HttpCode(HttpStatus.OK)
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- validated per the contract; the queue's heartbeat stores no memory figures yet
  pingJobStatus(@Grant() grant: JobGrant, @Body() _body: PingJobStatusDto): Promise<JobStatusReply> {
    return this.jobs.status(grant);
  }

  /** 200 `{offset}`: the bytes stored; a repeated chunk changes nothing; a gap is 409 with `error.offset`. */
  @Post('w/:ws/agent_workers/push_logs/:id')
  @HttpCode(HttpStatus.OK)
  pushLogs(@Grant() grant: JobGrant, @Body() body: PushLogsDto): Promise<{ offset: number }> {
    return this.jobs.pushLogs(grant, body);
  }

  /**
   * 200 `{released}`: gives back a job this agent claimed but never started (a prefetched job
   * it could not start soon): queued again for anyone, `restarts` unchanged, and this claim is
   * dead. `released: false` when the claim no longer held it (completed, canceled, requeued).
   */
  @Post('w/:ws/agent_workers/release_job/:id')
  @HttpCode(HttpStatus.OK)
  releaseJob(@Grant() grant: JobGrant): Promise<{ released: boolean }> {
    return this.jobs.release(grant);
  }
}
