import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@millrace/data-access';
import type { Pool } from 'pg';

/**
 * Reads the `agent_token` table (owned by api-gateway, which mints and revokes). Expired
 * tokens are refused by their `exp` claim anyway; the hour of slack covers clock skew
 * between this host and the database.
 */
const REVOKED_SQL = `SELECT jti::text AS jti FROM agent_token WHERE revoked_at IS NOT NULL AND exp > now() - interval '1 hour'`;

@Injectable()
export class AgentTokenRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Every revoked jti that could still be presented: a handful of rows, one index scan. */
  async listRevoked(): Promise<string[]> {
    const { rows } = await this.pool.query<{ jti: string }>(REVOKED_SQL);
    return rows.map((r) => r.jti);
  }
}
