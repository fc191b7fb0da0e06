import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { InitJobsController } from './init-jobs.controller';
import { InitJobsService } from './init-jobs.service';

@Module({ imports: [AuthModule], controllers: [InitJobsController], providers: [InitJobsService] })
export class InitJobsModule {}
