import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { PingBatcher } from './ping-batcher.service';
import { PingWriter } from './ping-writer';

@Module({
  imports: [AuthModule],
  providers: [PingWriter, PingBatcher],
  exports: [PingBatcher, PingWriter],
})
export class PingsModule {}
