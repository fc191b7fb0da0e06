import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { GatewayConfig } from '../config/api-gateway.config';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { MembershipRepository } from './membership.repository';
import { PasswordHasher } from './password-hasher';
import { SuperadminBootstrap } from './superadmin-bootstrap.service';
import { TokensRepository } from './tokens.repository';

/** Login, tokens, the superadmin bootstrap and the access guard every `/api/` route passes. */
@Global()
@Module({
  imports: [
    // In-memory counters: each gateway replica limits on its own.
    ThrottlerModule.forRootAsync({
      inject: [GatewayConfig],
      useFactory: (c: GatewayConfig) => ({ throttlers: [{ name: 'login', ttl: c.LOGIN_RATE_WINDOW_S * 1000, limit: c.LOGIN_RATE_LIMIT }] }),
    }),
  ],
  controllers: [AuthController],
  providers: [PasswordHasher, TokensRepository, MembershipRepository, AuthService, SuperadminBootstrap, LoginThrottlerGuard, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [PasswordHasher, TokensRepository, AuthService, SuperadminBootstrap],
})
export class AuthModule {}
