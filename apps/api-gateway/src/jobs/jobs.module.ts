import { Module } from '@nestjs/common';
import { JobQueueModule } from '../job-queue/job-queue.module';
import { ScriptsModule } from '../scripts/scripts.module';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';

@Module({ imports: [ScriptsModule, JobQueueModule], controllers: [JobsController], providers: [JobsService] })
export class JobsModule {}
