import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { SERVICE_AUDIENCE, SERVICE_TOKEN_TTL_S, ServiceTokenClaims } from '@millrace/contracts';
import { Clock } from '../common/clock';
import { KeyStore } from '../keys/key-store';

/** Who a job-queue call acts for. */
export interface Actor {
  /** The user's email (recorded as created_by / canceled_by). */
  sub: string;
  superAdmin: boolean;
}

/** Mints a fresh ES256 service token per job-queue call (60 s, scoped to one workspace). */
@Injectable()
export class ServiceTokenSigner {
  constructor(
    private readonly jwt: JwtService,
    private readonly keys: KeyStore,
    private readonly clock: Clock,
  ) {}

  sign(actor: Actor, workspace: string): Promise<string> {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const claims: ServiceTokenClaims = { sub: actor.sub, aud: SERVICE_AUDIENCE, ws: workspace, super_admin: actor.superAdmin, iat, exp: iat + SERVICE_TOKEN_TTL_S };
    return this.jwt.signAsync({ ...claims }, { privateKey: this.keys.privateKeyPem, algorithm: 'ES256' });
  }
}
