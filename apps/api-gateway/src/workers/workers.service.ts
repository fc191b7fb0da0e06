import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { WORKER_GROUP_PATTERN } from '@millrace/contracts';
import { PG_POOL } from '@millrace/data-access';
import type { Pool } from 'pg';
import { Clock } from '../common/clock';
import type { ListWorkersDto } from './dto/list-workers.dto';
import type { UpdateWorkerGroupConfigDto } from './dto/update-worker-group-config.dto';

/** A worker that pinged within this long is alive (pings come every few seconds). */
export const ALIVE_WITHIN_S = 60;
const CONFIG_PREFIX = 'worker__';

export interface WorkerView {
  worker: string;
  worker_instance: string;
  worker_group: string;
  kind: 'normal' | 'agent';
  tags: string[];
  started_at: string;
  last_ping: string;
  current_job_id: string | null;
  jobs_executed: number;
  memory_bytes: number | null;
  version: string;
  ip: string | null;
  occupancy: number | null;
  alive: boolean;
}

interface PingRow {
  worker: string;
  worker_instance: string;
  worker_group: string;
  kind: 'normal' | 'agent';
  tags: string[];
  started_at: Date;
  last_ping: Date;
  current_job_id: string | null;
  jobs_executed: number;
  memory_bytes: string | null;
  version: string;
  ip: string | null;
  occupancy: number | null;
}

export interface WorkerGroupConfigView {
  name: string;
  config: unknown;
}

@Injectable()
export class WorkersService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly clock: Clock,
  ) {}

  async list(q: ListWorkersDto): Promise<WorkerView[]> {
    const now = this.clock.now();
    const since = q.ping_since === undefined ? null : new Date(now.getTime() - q.ping_since * 1000);
    const perPage = q.per_page ?? 1000;
    const { rows } = await this.pool.query<PingRow>(
      `SELECT worker, worker_instance, worker_group, kind, tags, started_at, last_ping, current_job_id, jobs_executed, memory_bytes, version, ip, occupancy
         FROM worker_ping WHERE $1::timestamptz IS NULL OR last_ping >= $1
        ORDER BY worker_group, worker LIMIT $2 OFFSET $3`,
      [since, perPage, ((q.page ?? 1) - 1) * perPage],
    );
    const aliveAfter = now.getTime() - ALIVE_WITHIN_S * 1000;
    return rows.map((r) => ({
      ...r,
      started_at: r.started_at.toISOString(),
      last_ping: r.last_ping.toISOString(),
      memory_bytes: r.memory_bytes === null ? null : Number(r.memory_bytes),
      alive: r.last_ping.getTime() > aliveAfter,
    }));
  }

  async listGroupConfigs(): Promise<WorkerGroupConfigView[]> {
    const { rows } = await this.pool.query<WorkerGroupConfigView>(`SELECT name, config FROM worker_group_config ORDER BY name`);
    return rows;
  }

  /** `worker__<group>` → the group; anything else is not a config this API knows. */
  static groupOf(configName: string): string {
    if (!configName.startsWith(CONFIG_PREFIX)) throw new NotFoundException(`no config ${JSON.stringify(configName)}: worker-group configs are named worker__<group>`);
    const group = configName.slice(CONFIG_PREFIX.length);
    if (!WORKER_GROUP_PATTERN.test(group)) {
      throw new BadRequestException(`worker group ${JSON.stringify(group)} is not valid: 1-50 characters of a-z 0-9 _ - starting with a letter or digit`);
    }
    return group;
  }

  /** Replaces the group's config; its normal workers re-read it without a restart. */
  async updateGroupConfig(group: string, dto: UpdateWorkerGroupConfigDto): Promise<WorkerGroupConfigView> {
    const config: Record<string, unknown> = { worker_tags: dto.worker_tags };
    if (dto.init_bash !== undefined) config['init_bash'] = dto.init_bash;
    if (dto.env !== undefined) config['env'] = dto.env;
    const { rows } = await this.pool.query<WorkerGroupConfigView>(
      `INSERT INTO worker_group_config (name, config, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET config = EXCLUDED.config, updated_at = EXCLUDED.updated_at
       RETURNING name, config`,
      [group, JSON.stringify(config), this.clock.now()],
    );
    const row = rows[0];
    if (!row) throw new Error('upsert returned no row');
    return row;
  }
}
