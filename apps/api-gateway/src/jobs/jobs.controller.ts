import { BadRequestException, Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiRequestTimeoutResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorators';
import { CurrentUser, CurrentWorkspace, Principal, WorkspaceAccess } from '../auth/principal';
import type { Response } from 'express';
import { sendJson, wildcardPath } from '../common/http.util';
import type { JobView } from '../job-queue/job-queue.types';
import { scriptPathParam } from '../scripts/scripts.controller';
import { CancelJobDto } from './dto/cancel-job.dto';
import { ListJobsDto } from './dto/list-jobs.dto';
import { RunPreviewDto } from './dto/run-preview.dto';
import { RunScriptQueryDto, RunWaitQueryDto } from './dto/run-script-query.dto';
import { JobsService } from './jobs.service';

const JobId = () => Param('id', new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('id must be a UUID') }));
const ARGS_BODY = { schema: { type: 'object', additionalProperties: true, example: { name: 'world' } }, description: 'the arguments of main, by name' } as const;

@ApiTags('jobs')
@ApiParam({ name: 'ws', description: 'workspace id' })
@Controller('api/w/:ws')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Post('jobs/run/p/*path')
  @RequireRole('operator')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiParam({ name: 'path', description: 'script path' })
  @ApiBody(ARGS_BODY)
  @ApiOperation({ summary: 'Queue the latest version of a script' })
  @ApiCreatedResponse({ description: 'the job id', schema: { type: 'string', format: 'uuid' } })
  run(@CurrentWorkspace() ws: WorkspaceAccess, @CurrentUser() user: Principal, @Param('path') path: string | string[], @Body() body: unknown, @Query() q: RunScriptQueryDto): Promise<string> {
    return this.jobs.runScript(ws.id, user, scriptPathParam(path), JobsService.argsFrom(body), q);
  }

  @Post('jobs/run/preview')
  @RequireRole('developer')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'Queue unsaved code (developer and above)' })
  @ApiCreatedResponse({ description: 'the job id', schema: { type: 'string', format: 'uuid' } })
  preview(@CurrentWorkspace() ws: WorkspaceAccess, @CurrentUser() user: Principal, @Body() body: RunPreviewDto): Promise<string> {
    return this.jobs.runPreview(ws.id, user, body);
  }

  @Post('jobs/run/f/*path')
  @RequireRole('operator')
  @ApiParam({ name: 'path', description: 'flow path' })
  @ApiBody(ARGS_BODY)
  @ApiOperation({ summary: 'Queue a flow (flows are not available yet: always 404)' })
  runFlow(@CurrentWorkspace() ws: WorkspaceAccess, @Param('path') path: string | string[]): never {
    return this.jobs.runFlow(ws.id, wildcardPath(path));
  }

  @Post('jobs/run_wait_result/p/*path')
  @RequireRole('operator')
  @ApiParam({ name: 'path', description: 'script path' })
  @ApiBody(ARGS_BODY)
  @ApiOperation({ summary: 'Run a script and answer with its result' })
  @ApiOkResponse({ description: 'the result (any JSON)' })
  @ApiRequestTimeoutResponse({ description: 'not finished within timeout_s; the job keeps running' })
  @ApiUnprocessableEntityResponse({ description: 'the job failed (code job_failed) or was canceled (job_canceled)' })
  async runWaitResult(
    @CurrentWorkspace() ws: WorkspaceAccess,
    @CurrentUser() user: Principal,
    @Param('path') path: string | string[],
    @Body() body: unknown,
    @Query() q: RunWaitQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    sendJson(res, await this.jobs.runWaitResult(ws.id, user, scriptPathParam(path), JobsService.argsFrom(body), q));
  }

  @Get('jobs_u/get/:id')
  @RequireRole('operator')
  @ApiOperation({ summary: 'A job, queued or completed, with its logs' })
  get(@CurrentWorkspace() ws: WorkspaceAccess, @CurrentUser() user: Principal, @JobId() id: string): Promise<JobView> {
    return this.jobs.get(ws.id, user, id);
  }

  @Get('jobs_u/completed/get_result/:id')
  @RequireRole('operator')
  @ApiOperation({ summary: 'A completed job\'s result (409 while queued or running)' })
  @ApiOkResponse({ description: 'the result (any JSON)' })
  async result(@CurrentWorkspace() ws: WorkspaceAccess, @CurrentUser() user: Principal, @JobId() id: string, @Res() res: Response): Promise<void> {
    const text = await this.jobs.result(ws.id, user, id);
    res.status(200).type('application/json').send(text);
  }

  @Get('jobs_u/get_logs/:id')
  @RequireRole('operator')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'A job\'s logs as text' })
  @ApiOkResponse({ description: 'the logs', schema: { type: 'string' } })
  logs(@CurrentWorkspace() ws: WorkspaceAccess, @CurrentUser() user: Principal, @JobId() id: string): Promise<string> {
    return this.jobs.logs(ws.id, user, id);
  }

  @Get('jobs/list')
  @RequireRole('operator')
  @ApiOperation({ summary: 'Jobs of the workspace, newest first' })
  list(@CurrentWorkspace() ws: WorkspaceAccess, @CurrentUser() user: Principal, @Query() q: ListJobsDto): Promise<unknown> {
    return this.jobs.list(ws.id, user, q);
  }

  @Post('jobs_u/queue/cancel/:id')
  @RequireRole('operator')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a queued or running job (409 once completed)' })
  @ApiOkResponse({ description: '{status: "canceled" | "flagged"}' })
  cancel(@CurrentWorkspace() ws: WorkspaceAccess, @CurrentUser() user: Principal, @JobId() id: string, @Body() body: CancelJobDto): Promise<unknown> {
    return this.jobs.cancel(ws.id, user, id, body);
  }
}
