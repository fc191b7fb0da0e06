import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { Agent } from '../auth/agent-identity';
import type { AgentIdentity } from '../auth/agent-identity';
import { AgentTokenGuard } from '../auth/agent-token.guard';
import { UpdatePingDto } from './dto/update-ping.dto';
import { PingBatcher } from './ping-batcher.service';

@Controller('api/agent_workers')
@UseGuards(AgentTokenGuard)
export class PingsController {
  constructor(private readonly batcher: PingBatcher) {}

  /** 200 once the ping is queued for the next batched write (within PING_FLUSH_MS). */
  @Post('update_ping')
  @HttpCode(HttpStatus.OK)
  updatePing(@Agent() agent: AgentIdentity, @Body() body: UpdatePingDto): void {
    this.batcher.record({
      worker: agent.worker,
      workerInstance: body.worker_instance,
      workerGroup: agent.workerGroup,
      kind: 'agent',
      tags: agent.tags,
      currentJobId: body.current_job_id ?? null,
      jobsExecuted: body.jobs_executed,
      memoryBytes: body.memory_bytes,
      version: body.version,
      ip: body.ip,
      occupancy: body.occupancy ?? null,
    });
  }
}
