import { createHash } from 'node:crypto';

export interface HashedScriptFields {
  workspaceId: string;
  path: string;
  parentHash: string | null;
  language: string;
  content: string;
  summary: string;
  tag: string | null;
  timeoutS: number | null;
  priority: number | null;
  lock: string | null;
}

/**
 * 16 hex characters of SHA-256 over the version's content and metadata, in a fixed order.
 * The parent's hash is part of it, so re-saving identical content still makes a new
 * version with its own hash (every create is a version).
 */
export function scriptHash(f: HashedScriptFields): string {
  const canonical = JSON.stringify([f.workspaceId, f.path, f.parentHash, f.language, f.content, f.summary, f.tag, f.timeoutS, f.priority, f.lock]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex').slice(0, 16);
}
