import { Controller, HttpStatus, Logger, Post, Query, Res, UnauthorizedException, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { Agent } from '../auth/agent-identity';
import type { AgentIdentity } from '../auth/agent-identity';
import { AgentTokenGuard } from '../auth/agent-token.guard';
import { PullJobQuery } from './dto/pull-job.query';
import { PullService } from './pull.service';

@Controller('api/agent_workers')
@UseGuards(AgentTokenGuard)
export class PullController {
  // pull_job has no access log (see AppModule): a delivered job is logged here instead.
  private readonly logger = new Logger('PullJob');

  constructor(private readonly pull: PullService) {}

  /**
   * 200 `{job, job_token}`, or 204 once `wait_s` passes with no job for the token's tags.
   * The response is written here (not returned) because Nest would overwrite a 204 set on a
   * passthrough response with the route's status code.
   */
  @Post('pull_job')
  async pullJob(@Agent() agent: AgentIdentity, @Query() query: PullJobQuery, @Res() res: Response): Promise<void> {
    const outcome = await this.pull.pull(agent, query.wait_s, res, query.prefetch);
    switch (outcome.kind) {
      case 'job':
        res.status(HttpStatus.OK).json(this.pull.reply(outcome.job, agent));
        this.logger.log(`job ${outcome.job.id} (tag ${outcome.job.tag}, claim ${outcome.job.claimId}) delivered to ${agent.worker}`);
        return;
      case 'no_job':
        res.status(HttpStatus.NO_CONTENT).end();
        return;
      case 'revoked':
        throw new UnauthorizedException('agent token refused: it has been revoked');
    }
  }
}
