import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { PingsModule } from '../pings/pings.module';
import { JobDispatcher } from './job-dispatcher.service';
import { NewJobWakeup } from './new-job-wakeup.service';
import { PullController } from './pull.controller';
import { PullService } from './pull.service';
import { WaiterRegistry } from './waiter-registry';

@Module({
  imports: [AuthModule, PingsModule],
  controllers: [PullController],
  providers: [WaiterRegistry, JobDispatcher, NewJobWakeup, PullService],
  exports: [JobDispatcher, WaiterRegistry, PullService],
})
export class PullModule {}
