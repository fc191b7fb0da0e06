import { Module } from '@nestjs/common';
import { AgentTokenGuard } from './agent-token.guard';
import { AgentTokenRepository } from './agent-token.repository';
import { AgentTokenVerifier } from './agent-token.verifier';
import { JobTokenGuard } from './job-token.guard';
import { JobTokenService } from './job-token.service';
import { RevocationList } from './revocation-list.service';

/** Agent tokens (verify, cache, revocation) and the broker's own job tokens. */
@Module({
  providers: [AgentTokenRepository, AgentTokenVerifier, RevocationList, AgentTokenGuard, JobTokenService, JobTokenGuard],
  exports: [AgentTokenVerifier, RevocationList, AgentTokenGuard, JobTokenService, JobTokenGuard],
})
export class AuthModule {}
