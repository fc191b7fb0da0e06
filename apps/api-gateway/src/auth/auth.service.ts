import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PG_POOL } from '@millrace/data-access';
import type { Pool } from 'pg';
import { Clock } from '../common/clock';
import { GatewayConfig } from '../config/api-gateway.config';
import { PasswordHasher } from './password-hasher';
import type { Principal } from './principal';
import { looksLikeToken } from './token-codec';
import { TokensRepository } from './tokens.repository';

@Injectable()
export class AuthService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokensRepository,
    private readonly clock: Clock,
    private readonly config: GatewayConfig,
  ) {}

  /** A new session token; one message for a wrong email or a wrong password. */
  async login(email: string, password: string): Promise<string> {
    const { rows } = await this.pool.query<{ id: string; password_hash: string }>(`SELECT id, password_hash FROM app_user WHERE email = $1`, [email.toLowerCase()]);
    const user = rows[0];
    const ok = user ? await this.hasher.verify(password, user.password_hash) : await this.hasher.verifyNothing(password);
    if (!user || !ok) throw new UnauthorizedException('wrong email or password');
    const expires = new Date(this.clock.now().getTime() + this.config.SESSION_TTL_S * 1000);
    return this.tokens.issue(user.id, 'session', null, expires);
  }

  async authenticate(token: string): Promise<Principal | undefined> {
    if (!looksLikeToken(token)) return undefined;
    return this.tokens.findActive(token, this.clock.now());
  }

  async logout(principal: Principal): Promise<void> {
    await this.tokens.revokeByHash(principal.tokenHash, this.clock.now());
  }
}
