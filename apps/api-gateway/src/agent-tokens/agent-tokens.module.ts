import { Module } from '@nestjs/common';
import { AgentTokensController } from './agent-tokens.controller';
import { AgentTokensRepository } from './agent-tokens.repository';
import { AgentTokensService } from './agent-tokens.service';

@Module({
  controllers: [AgentTokensController],
  providers: [AgentTokensService, AgentTokensRepository],
})
export class AgentTokensModule {}
