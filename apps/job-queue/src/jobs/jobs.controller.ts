import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, type ServiceActor } from '../auth/service-actor';
import { ServiceTokenGuard } from '../auth/service-token.guard';
import { DomainErrorFilter } from './domain-error.filter';
import { CancelJobDto } from './dto/cancel-job.dto';
import { JobParams, WorkspaceParams } from './dto/job-params';
import { ListJobsQuery } from './dto/list-jobs.query';
import { PushJobDto } from './dto/push-job.dto';
import { PushJobsBatchDto } from './dto/push-jobs-batch.dto';
import { WaitJobQuery } from './dto/wait-job.query';
import { JobsService } from './jobs.service';

/** The internal job API (docs/job-queue-api.md); only services holding a service token. */
@ApiTags('internal jobs')
@ApiBearerAuth()
@UseGuards(ServiceTokenGuard)
@UseFilters(DomainErrorFilter)
@Controller('internal/v1/w/:ws/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Post()
  push(@Param() p: WorkspaceParams, @Body() dto: PushJobDto, @Actor() actor: ServiceActor) {
    return this.jobs.push(p.ws, dto, actor);
  }

  @Post('batch')
  pushMany(@Param() p: WorkspaceParams, @Body() dto: PushJobsBatchDto, @Actor() actor: ServiceActor) {
    return this.jobs.pushMany(p.ws, dto.jobs, actor);
  }

  @Get()
  list(@Param() p: WorkspaceParams, @Query() q: ListJobsQuery) {
    return this.jobs.list(p.ws, q);
  }

  @Get(':id')
  get(@Param() p: JobParams) {
    return this.jobs.get(p.ws, p.id);
  }

  /** The result as JSON, whatever its type (a bare string result is still JSON-encoded). */
  @Get(':id/result')
  @Header('content-type', 'application/json; charset=utf-8')
  async result(@Param() p: JobParams): Promise<string> {
    return JSON.stringify((await this.jobs.result(p.ws, p.id)) ?? null);
  }

  @Get(':id/logs')
  @Header('content-type', 'text/plain; charset=utf-8')
  logs(@Param() p: JobParams) {
    return this.jobs.logs(p.ws, p.id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param() p: JobParams, @Body() dto: CancelJobDto, @Actor() actor: ServiceActor) {
    return this.jobs.cancel(p.ws, p.id, dto, actor);
  }

  @Post(':id/wait')
  @HttpCode(200)
  wait(@Param() p: JobParams, @Query() q: WaitJobQuery) {
    return this.jobs.wait(p.ws, p.id, q.timeout_s ?? 60);
  }
}
