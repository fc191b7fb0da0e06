import { Body, Controller, Post, UseGuards } from '@nestjs/common';
import { Agent } from '../auth/agent-identity';
import type { AgentIdentity } from '../auth/agent-identity';
import { AgentTokenGuard } from '../auth/agent-token.guard';
import { RecordInitJobDto } from './dto/record-init-job.dto';
import { InitJobsService } from './init-jobs.service';

@Controller('api/agent_workers')
@UseGuards(AgentTokenGuard)
export class InitJobsController {
  constructor(private readonly initJobs: InitJobsService) {}

  /** 201 `{id}`: the INIT_SCRIPT run, recorded as a completed `init` job. */
  @Post('record_init_job')
  record(@Agent() agent: AgentIdentity, @Body() dto: RecordInitJobDto): Promise<{ id: string }> {
    return this.initJobs.record(agent, dto);
  }
}
