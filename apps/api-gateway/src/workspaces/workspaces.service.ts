import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { PG_POOL } from '@millrace/data-access';
import type { Pool } from 'pg';
import type { Principal } from '../auth/principal';
import { isUniqueViolation, withTransaction } from '../common/pg.util';
import type { AddWorkspaceUserDto } from './dto/add-workspace-user.dto';
import type { CreateWorkspaceDto } from './dto/create-workspace.dto';

@Injectable()
export class WorkspacesService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** The workspace and the caller's admin membership, together or not at all. */
  async create(p: Principal, dto: CreateWorkspaceDto): Promise<void> {
    try {
      await withTransaction(this.pool, async (c) => {
        await c.query(`INSERT INTO workspace (id, name, created_by) VALUES ($1, $2, $3)`, [dto.id, dto.name, p.userId]);
        await c.query(`INSERT INTO workspace_member (workspace_id, user_id, role) VALUES ($1, $2, 'admin')`, [dto.id, p.userId]);
      });
    } catch (e) {
      if (isUniqueViolation(e, 'workspace_pkey')) throw new ConflictException(`workspace ${dto.id} already exists`);
      throw e;
    }
  }

  async addUser(workspaceId: string, dto: AddWorkspaceUserDto): Promise<void> {
    const { rows } = await this.pool.query<{ id: string }>(`SELECT id FROM app_user WHERE email = $1`, [dto.email]);
    const user = rows[0];
    if (!user) throw new NotFoundException(`no user with email ${dto.email}`);
    try {
      await this.pool.query(`INSERT INTO workspace_member (workspace_id, user_id, role) VALUES ($1, $2, $3)`, [workspaceId, user.id, dto.role]);
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictException(`${dto.email} is already a member of ${workspaceId}`);
      throw e;
    }
  }
}
