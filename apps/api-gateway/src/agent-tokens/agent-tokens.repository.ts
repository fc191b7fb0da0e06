import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@millrace/data-access';
import type { Pool } from 'pg';

export interface AgentTokenRow {
  jti: string;
  worker_group: string;
  tags: string[];
  created_at: string;
  exp: string;
  revoked_at: string | null;
}

/** Minted agent tokens by jti (metadata only: the token text is never stored). */
@Injectable()
export class AgentTokensRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async insert(row: { jti: string; workerGroup: string; tags: string[]; createdAt: Date; exp: Date }): Promise<void> {
    await this.pool.query(`INSERT INTO agent_token (jti, worker_group, tags, created_at, exp) VALUES ($1, $2, $3, $4, $5)`, [row.jti, row.workerGroup, row.tags, row.createdAt, row.exp]);
  }

  async list(): Promise<AgentTokenRow[]> {
    const { rows } = await this.pool.query<AgentTokenRow>(
      `SELECT jti, worker_group, tags, created_at, exp, revoked_at FROM agent_token ORDER BY created_at DESC, jti`,
    );
    return rows;
  }

  /** Revokes (idempotently: the first revocation time is kept); false when the jti is unknown. */
  async revoke(jti: string, at: Date): Promise<boolean> {
    const { rowCount } = await this.pool.query(`UPDATE agent_token SET revoked_at = COALESCE(revoked_at, $2) WHERE jti = $1`, [jti, at]);
    return (rowCount ?? 0) > 0;
  }
}
