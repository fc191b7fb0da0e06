import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@millrace/data-access';
import type { Pool } from 'pg';
import { isWorkspaceRole, WorkspaceRole } from './roles';

export type Membership = { exists: false } | { exists: true; role: WorkspaceRole | null };

/** Who belongs to which workspace, for the access check of every workspace route. */
@Injectable()
export class MembershipRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Whether the workspace exists and the user's role in it (null: not a member). */
  async lookup(workspaceId: string, userId: string): Promise<Membership> {
    const { rows } = await this.pool.query<{ role: string | null }>(
      `SELECT m.role FROM workspace w LEFT JOIN workspace_member m ON m.workspace_id = w.id AND m.user_id = $2 WHERE w.id = $1`,
      [workspaceId, userId],
    );
    const row = rows[0];
    if (!row) return { exists: false };
    return { exists: true, role: isWorkspaceRole(row.role) ? row.role : null };
  }
}
