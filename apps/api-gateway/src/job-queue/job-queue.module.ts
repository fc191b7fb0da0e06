import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { JobQueueClient } from './job-queue.client';
import { ServiceTokenSigner } from './service-token.signer';

/** Service tokens and the job-queue HTTP client (the key pair comes from KeysModule). */
@Module({
  imports: [JwtModule.register({})],
  providers: [ServiceTokenSigner, JobQueueClient],
  exports: [ServiceTokenSigner, JobQueueClient],
})
export class JobQueueModule {}
