import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AgentJobsController } from './agent-jobs.controller';
import { AgentJobsService } from './agent-jobs.service';

@Module({
  imports: [AuthModule],
  controllers: [AgentJobsController],
  providers: [AgentJobsService],
})
export class AgentJobsModule {}
