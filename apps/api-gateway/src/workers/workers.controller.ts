import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Authenticated, SuperadminOnly } from '../auth/access.decorators';
import { ListWorkersDto } from './dto/list-workers.dto';
import { UpdateWorkerGroupConfigDto } from './dto/update-worker-group-config.dto';
import { WorkerGroupConfigView, WorkersService, WorkerView } from './workers.service';

@ApiTags('workers')
@Controller('api')
export class WorkersController {
  constructor(private readonly workers: WorkersService) {}

  @Get('workers/list')
  @Authenticated()
  @ApiOperation({ summary: 'Workers (normal and agent) from their pings; alive = pinged within 60 s' })
  list(@Query() q: ListWorkersDto): Promise<WorkerView[]> {
    return this.workers.list(q);
  }

  /** Superadmin only: a group's env may carry credentials for its workers. */
  @Get('configs/list_worker_groups')
  @SuperadminOnly()
  @ApiOperation({ summary: 'Worker-group configs (superadmin: env may hold credentials)' })
  @ApiOkResponse({ description: '[{name, config: {worker_tags, init_bash?, env?}}], name without the worker__ prefix' })
  listGroups(): Promise<WorkerGroupConfigView[]> {
    return this.workers.listGroupConfigs();
  }

  @Post('configs/update/:name')
  @SuperadminOnly()
  @HttpCode(200)
  @ApiParam({ name: 'name', description: 'worker__<group>', example: 'worker__default' })
  @ApiOperation({ summary: 'Replace a worker group\'s config; its normal workers pick it up without a restart' })
  update(@Param('name') name: string, @Body() body: UpdateWorkerGroupConfigDto): Promise<WorkerGroupConfigView> {
    return this.workers.updateGroupConfig(WorkersService.groupOf(name), body);
  }
}
