import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agent tokens minted by api-gateway, by `jti`. The token itself (a signed JWT) is never
 * stored: this table lists what was minted (for `list_tokens`) and carries revocation.
 * Every agent-broker re-reads the revoked, unexpired jtis every second or two, so a
 * revocation takes effect on every broker within seconds.
 */
export class AgentTokens1764374000000 implements MigrationInterface {
  name = 'AgentTokens1764374000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agent_token (
        jti          uuid PRIMARY KEY,
        worker_group text NOT NULL CHECK (worker_group ~ '^[a-z0-9][a-z0-9_-]{0,49}$'),
        tags         text[] NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        exp          timestamptz NOT NULL,
        revoked_at   timestamptz
      )`);
    // The brokers' refresh reads only revoked, unexpired rows: keep that a tiny index scan
    // however many tokens were ever minted.
    await q.query(`CREATE INDEX agent_token_revoked_idx ON agent_token (exp) INCLUDE (jti) WHERE revoked_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE agent_token`);
  }
}
