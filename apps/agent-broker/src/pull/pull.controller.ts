import { Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { Agent } from '../auth/agent-identity';
import type { AgentIdentity } from '../auth/agent-identity';
import { AgentTokenGuard } from '../auth/agent-token.guard';
import { PullService } from './pull.service';

/**
 * `pull_job` itself is answered by the fast path (src/http/agent-fast-path.ts); this is the
 * rarely called end of a poll.
 */
@Controller('api/agent_workers')
@UseGuards(AgentTokenGuard)
export class PullController {
  constructor(private readonly pull: PullService) {}

  /**
   * 200 `{ended}`: this agent's open `pull_job` polls (same token and `X-Worker-Suffix`) answer
   * 204 now. A stopping agent sends it instead of closing its poll's connection, so that a job
   * handed to that poll at the same moment reaches it rather than being lost on the way.
   */
  @Post('end_poll')
  @HttpCode(HttpStatus.OK)
  endPoll(@Agent() agent: AgentIdentity): { ended: number } {
    return { ended: this.pull.endPolls(agent) };
  }
}
