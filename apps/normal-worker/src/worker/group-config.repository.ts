import type { Pool } from 'pg';

/**
 * The row for a group. The API names configs `worker__<group>`; rows keyed by the bare group
 * name are preferred, and the prefixed form is accepted too, whichever the writer used.
 */
const READ_GROUP_CONFIG = `
SELECT config FROM worker_group_config
WHERE name = $1 OR name = 'worker__' || $1
ORDER BY (name = $1) DESC
LIMIT 1`;

/** Reads worker-group configs from `worker_group_config`. */
export class GroupConfigRepository {
  constructor(private readonly pool: Pool) {}

  /** The stored config JSON, or undefined when the group has no row. */
  async read(group: string): Promise<unknown> {
    const { rows } = await this.pool.query<{ config: unknown }>(READ_GROUP_CONFIG, [group]);
    return rows[0]?.config;
  }
}
