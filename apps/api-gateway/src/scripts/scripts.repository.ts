import { Inject, Injectable } from '@nestjs/common';
import type { ScriptSchema } from '@millrace/contracts';
import { PG_POOL } from '@millrace/data-access';
import type { ScriptLanguage } from '@millrace/tags';
import type { Pool } from 'pg';
import { withTransaction } from '../common/pg.util';
import { HashedScriptFields, scriptHash } from './script-hash.util';

export interface ScriptVersion {
  workspaceId: string;
  path: string;
  hash: string;
  version: number;
  parentHash: string | null;
  language: ScriptLanguage;
  content: string;
  compiledContent: string | null;
  schema: ScriptSchema;
  summary: string;
  tag: string | null;
  timeoutS: number | null;
  priority: number | null;
  lock: string | null;
  createdBy: string;
  createdAt: Date;
}

export type NewScriptVersion = Omit<HashedScriptFields, 'parentHash'> & { compiledContent: string | null; schema: ScriptSchema; createdBy: string };

export interface ScriptListItem {
  path: string;
  hash: string;
  version: number;
  language: ScriptLanguage;
  summary: string;
  tag: string | null;
  created_by: string;
  created_at: string;
}

interface Row {
  workspace_id: string;
  path: string;
  hash: string;
  version: number;
  parent_hash: string | null;
  language: ScriptLanguage;
  content: string;
  compiled_content: string | null;
  schema: ScriptSchema;
  summary: string;
  tag: string | null;
  timeout_s: number | null;
  priority: number | null;
  lock: string | null;
  created_by: string;
  created_at: Date;
}

function toVersion(r: Row): ScriptVersion {
  return {
    workspaceId: r.workspace_id,
    path: r.path,
    hash: r.hash,
    version: r.version,
    parentHash: r.parent_hash,
    language: r.language,
    content: r.content,
    compiledContent: r.compiled_content,
    schema: r.schema,
    summary: r.summary,
    tag: r.tag,
    timeoutS: r.timeout_s,
    priority: r.priority,
    lock: r.lock,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

/** Immutable script versions; "the script at a path" is its highest version. */
@Injectable()
export class ScriptsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * Adds the next version of a path and returns its hash. Creates of one path take turns
   * (transaction-scoped advisory lock), so each gets its own version and parent.
   */
  insertVersion(v: NewScriptVersion): Promise<string> {
    return withTransaction(this.pool, async (c) => {
      await c.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`script:${v.workspaceId}:${v.path}`]);
      const prev = await c.query<{ hash: string; version: number }>(
        `SELECT hash, version FROM script WHERE workspace_id = $1 AND path = $2 ORDER BY version DESC LIMIT 1`,
        [v.workspaceId, v.path],
      );
      const parent = prev.rows[0];
      const hash = scriptHash({ ...v, parentHash: parent?.hash ?? null });
      await c.query(
        `INSERT INTO script (workspace_id, hash, path, version, parent_hash, language, content, compiled_content, schema, summary, tag, timeout_s, priority, lock, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [v.workspaceId, hash, v.path, (parent?.version ?? 0) + 1, parent?.hash ?? null, v.language, v.content, v.compiledContent, JSON.stringify(v.schema), v.summary, v.tag, v.timeoutS, v.priority, v.lock, v.createdBy],
      );
      return hash;
    });
  }

  async latest(workspaceId: string, path: string): Promise<ScriptVersion | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT * FROM script WHERE workspace_id = $1 AND path = $2 ORDER BY version DESC LIMIT 1`, [workspaceId, path]);
    return rows[0] ? toVersion(rows[0]) : undefined;
  }

  async listLatest(workspaceId: string, pathStart: string, page: number, perPage: number): Promise<ScriptListItem[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT DISTINCT ON (path) path, hash, version, language, summary, tag, created_by, created_at
         FROM script
        WHERE workspace_id = $1 AND starts_with(path, $2)
        ORDER BY path, version DESC
        LIMIT $3 OFFSET $4`,
      [workspaceId, pathStart, perPage, (page - 1) * perPage],
    );
    return rows.map((r) => ({ path: r.path, hash: r.hash, version: r.version, language: r.language, summary: r.summary, tag: r.tag, created_by: r.created_by, created_at: r.created_at.toISOString() }));
  }
}
