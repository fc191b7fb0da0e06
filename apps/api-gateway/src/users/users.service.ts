import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { PG_POOL } from '@millrace/data-access';
import type { Pool } from 'pg';
import { PasswordHasher } from '../auth/password-hasher';
import type { Principal } from '../auth/principal';
import type { WorkspaceRole } from '../auth/roles';
import { TokenSummary, TokensRepository } from '../auth/tokens.repository';
import { Clock } from '../common/clock';
import { isUniqueViolation } from '../common/pg.util';
import type { CreateTokenDto } from './dto/create-token.dto';
import type { CreateUserDto } from './dto/create-user.dto';

export interface WhoAmI {
  email: string;
  super_admin: boolean;
  workspaces: Array<{ id: string; role: WorkspaceRole }>;
}

@Injectable()
export class UsersService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokensRepository,
    private readonly clock: Clock,
  ) {}

  async whoami(p: Principal): Promise<WhoAmI> {
    const { rows } = await this.pool.query<{ id: string; role: WorkspaceRole }>(
      `SELECT workspace_id AS id, role FROM workspace_member WHERE user_id = $1 ORDER BY workspace_id`,
      [p.userId],
    );
    return { email: p.email, super_admin: p.superAdmin, workspaces: rows };
  }

  async create(dto: CreateUserDto): Promise<void> {
    const hash = await this.hasher.hash(dto.password);
    try {
      await this.pool.query(`INSERT INTO app_user (email, password_hash, super_admin) VALUES ($1, $2, $3)`, [dto.email, hash, dto.super_admin ?? false]);
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictException(`a user with email ${dto.email} already exists`);
      throw e;
    }
  }

  async createToken(p: Principal, dto: CreateTokenDto): Promise<string> {
    let expires: Date | null = null;
    if (dto.expiration !== undefined) {
      expires = new Date(dto.expiration);
      if (Number.isNaN(expires.getTime())) throw new BadRequestException('expiration must be an ISO 8601 date-time');
      if (expires.getTime() <= this.clock.now().getTime()) throw new BadRequestException('expiration must be in the future');
    }
    return this.tokens.issue(p.userId, 'api', dto.label, expires);
  }

  listTokens(p: Principal): Promise<TokenSummary[]> {
    return this.tokens.list(p.userId, this.clock.now());
  }

  async deleteToken(p: Principal, prefix: string): Promise<void> {
    const n = await this.tokens.revokeByPrefix(p.userId, prefix, this.clock.now());
    if (n === 0) throw new NotFoundException(`you have no live token with prefix ${JSON.stringify(prefix)}`);
  }
}
