import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { AgentBrokerConfig } from '../config/agent-broker.config';

/**
 * Reads the `agent_token` table (owned by api-gateway, which mints and revokes). Expired
 * tokens are refused by their `exp` claim anyway; the hour of slack covers clock skew
 * between this host and the database.
 */
const REVOKED_SQL = `SELECT jti::text AS jti FROM agent_token WHERE revoked_at IS NOT NULL AND exp > now() - interval '1 hour'`;

/**
 * Its own one-connection pool, not the app's: when claims and results keep the main pool busy
 * (thousands of agents), the revocation refresh must still run, or every agent call would be
 * refused as "revocation list stale". It counts in the broker's fixed connection budget.
 */
@Injectable()
export class AgentTokenRepository implements OnApplicationShutdown {
  private readonly pool: Pool;

  constructor(config: AgentBrokerConfig) {
    this.pool = new Pool({ connectionString: config.DATABASE_URL, max: 1, application_name: 'millrace-agent-broker-revocations', connectionTimeoutMillis: 5_000 });
    // An idle connection the server drops is replaced on the next query; nothing to crash on.
    this.pool.on('error', () => undefined);
  }

  /** Every revoked jti that could still be presented: a handful of rows, one index scan. */
  async listRevoked(): Promise<string[]> {
    const { rows } = await this.pool.query<{ jti: string }>(REVOKED_SQL);
    return rows.map((r) => r.jti);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
