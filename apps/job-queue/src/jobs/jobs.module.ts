import { Module } from '@nestjs/common';
import { ServiceAuthModule } from '../auth/service-auth.module';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';

@Module({
  imports: [ServiceAuthModule],
  controllers: [JobsController],
  providers: [JobsService],
})
export class JobsModule {}
