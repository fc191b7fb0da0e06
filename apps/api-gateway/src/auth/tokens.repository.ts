import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@millrace/data-access';
import type { Pool } from 'pg';
import type { Principal } from './principal';
import { hashToken, newToken } from './token-codec';

export type TokenKind = 'session' | 'api';

export interface TokenSummary {
  token_prefix: string;
  kind: TokenKind;
  label: string | null;
  created_at: string;
  expiration: string | null;
}

interface TokenRow {
  token_prefix: string;
  kind: TokenKind;
  label: string | null;
  created_at: Date;
  expires_at: Date | null;
}

/** Sessions and API tokens, stored only as hashes. */
@Injectable()
export class TokensRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Stores a new token and returns its secret (the only time it exists in clear). */
  async issue(userId: string, kind: TokenKind, label: string | null, expiresAt: Date | null): Promise<string> {
    const t = newToken();
    await this.pool.query(`INSERT INTO user_token (token_hash, token_prefix, user_id, kind, label, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
      t.hash,
      t.prefix,
      userId,
      kind,
      label,
      expiresAt,
    ]);
    return t.token;
  }

  /** The token's owner when the token is known, unrevoked and unexpired at `now`. */
  async findActive(token: string, now: Date): Promise<Principal | undefined> {
    const hash = hashToken(token);
    const { rows } = await this.pool.query<{ id: string; email: string; super_admin: boolean }>(
      `SELECT u.id, u.email, u.super_admin
         FROM user_token t JOIN app_user u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)`,
      [hash, now],
    );
    const row = rows[0];
    return row ? { userId: row.id, email: row.email, superAdmin: row.super_admin, tokenHash: hash } : undefined;
  }

  async list(userId: string, now: Date): Promise<TokenSummary[]> {
    const { rows } = await this.pool.query<TokenRow>(
      `SELECT token_prefix, kind, label, created_at, expires_at FROM user_token
        WHERE user_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)
        ORDER BY created_at DESC, token_prefix`,
      [userId, now],
    );
    return rows.map((r) => ({ token_prefix: r.token_prefix, kind: r.kind, label: r.label, created_at: r.created_at.toISOString(), expiration: r.expires_at?.toISOString() ?? null }));
  }

  /** Revokes the caller's live tokens with this prefix; returns how many. */
  async revokeByPrefix(userId: string, prefix: string, now: Date): Promise<number> {
    const r = await this.pool.query(`UPDATE user_token SET revoked_at = $3 WHERE user_id = $1 AND token_prefix = $2 AND revoked_at IS NULL`, [userId, prefix, now]);
    return r.rowCount ?? 0;
  }

  async revokeByHash(hash: string, now: Date): Promise<void> {
    await this.pool.query(`UPDATE user_token SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL`, [hash, now]);
  }
}
