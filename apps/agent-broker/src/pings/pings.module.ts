import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { PingBatcher } from './ping-batcher.service';
import { PingWriter } from './ping-writer';
import { PingsController } from './pings.controller';

@Module({
  imports: [AuthModule],
  controllers: [PingsController],
  providers: [PingWriter, PingBatcher],
  exports: [PingBatcher, PingWriter],
})
export class PingsModule {}
