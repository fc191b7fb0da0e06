import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PG_POOL } from '@millrace/data-access';
import type { Pool } from 'pg';
import { withTransaction } from '../common/pg.util';
import { DEFAULT_SUPERADMIN_EMAIL, DEFAULT_SUPERADMIN_PASSWORD, GatewayConfig } from '../config/api-gateway.config';
import { PasswordHasher } from './password-hasher';

/** Held (per transaction) while checking for an empty database: "millrace-superadmin". */
const BOOTSTRAP_LOCK_KEY = '7883917384227901030';
export const ADMINS_WORKSPACE = 'admins';

export interface BootstrapOutcome {
  created: boolean;
  usedDefaults: boolean;
}

/**
 * On an empty database, creates the superadmin from SUPERADMIN_EMAIL / SUPERADMIN_PASSWORD
 * and the workspace `admins` with the superadmin as its admin. Gateways that start together
 * take an advisory lock in turn: the first creates, the others find a user and do nothing.
 */
@Injectable()
export class SuperadminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('SuperadminBootstrap');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly hasher: PasswordHasher,
    private readonly config: GatewayConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureSuperadmin();
  }

  async ensureSuperadmin(): Promise<BootstrapOutcome> {
    const email = this.config.SUPERADMIN_EMAIL;
    const usedDefaults = email === DEFAULT_SUPERADMIN_EMAIL || this.config.SUPERADMIN_PASSWORD === DEFAULT_SUPERADMIN_PASSWORD;
    // Hash before taking the lock: ~50 ms of CPU that need not serialise the replicas.
    const hash = await this.hasher.hash(this.config.SUPERADMIN_PASSWORD);
    const created = await withTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1::bigint)', [BOOTSTRAP_LOCK_KEY]);
      const { rows } = await c.query(`SELECT 1 FROM app_user LIMIT 1`);
      if (rows.length > 0) return false;
      const user = await c.query<{ id: string }>(`INSERT INTO app_user (email, password_hash, super_admin) VALUES ($1, $2, true) RETURNING id`, [email, hash]);
      const userId = user.rows[0]?.id;
      await c.query(`INSERT INTO workspace (id, name, created_by) VALUES ($1, 'Admins', $2) ON CONFLICT (id) DO NOTHING`, [ADMINS_WORKSPACE, userId]);
      await c.query(`INSERT INTO workspace_member (workspace_id, user_id, role) VALUES ($1, $2, 'admin') ON CONFLICT DO NOTHING`, [ADMINS_WORKSPACE, userId]);
      return true;
    });
    if (created) {
      this.logger.log(`created superadmin ${email} and workspace ${ADMINS_WORKSPACE}`);
      if (usedDefaults) {
        // Never the password itself: only which settings still hold their defaults.
        const which = [email === DEFAULT_SUPERADMIN_EMAIL ? 'SUPERADMIN_EMAIL' : '', this.config.SUPERADMIN_PASSWORD === DEFAULT_SUPERADMIN_PASSWORD ? 'SUPERADMIN_PASSWORD' : ''].filter(Boolean);
        this.logger.warn(`the superadmin was created with the default ${which.join(' and ')}: fine for local use only; change the password before exposing this instance`);
      }
    }
    return { created, usedDefaults };
  }
}
