import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { ServiceTokenGuard } from './service-token.guard';

@Module({
  imports: [JwtModule.register({})],
  providers: [ServiceTokenGuard],
  exports: [ServiceTokenGuard, JwtModule],
})
export class ServiceAuthModule {}
