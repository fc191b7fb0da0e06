import { isValidTag } from '@millrace/tags';

/** Tags a normal worker serves when its group has no config row. */
export const DEFAULT_WORKER_TAGS: readonly string[] = ['bash', 'python3', 'nodejs', 'flow', 'dependency'];

/** A worker group's settings, as stored in `worker_group_config.config` (snake_case JSON). */
export interface GroupConfig {
  tags: readonly string[];
  initBash: string | null;
  /** Environment for the group's jobs. */
  env: Readonly<Record<string, string>>;
}

export const DEFAULT_GROUP_CONFIG: GroupConfig = { tags: DEFAULT_WORKER_TAGS, initBash: null, env: {} };

/**
 * Reads a stored config leniently: a bad field falls back to its default and is reported
 * in `problems`, so one typo in the config does not stop a fleet of workers.
 */
export function parseGroupConfig(raw: unknown): { config: GroupConfig; problems: string[] } {
  const problems: string[] = [];
  const obj = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  if (obj !== raw) problems.push('config is not an object');

  let tags = DEFAULT_WORKER_TAGS;
  if (Array.isArray(obj['worker_tags'])) {
    const given = obj['worker_tags'] as unknown[];
    const valid = given.filter((t): t is string => typeof t === 'string' && isValidTag(t));
    if (valid.length !== given.length) problems.push(`worker_tags: ignored invalid tags ${JSON.stringify(given.filter((t) => !valid.includes(t as string)))}`);
    tags = [...new Set(valid)];
  } else if (obj['worker_tags'] !== undefined) {
    problems.push('worker_tags must be an array of tags');
  }

  let initBash: string | null = null;
  if (typeof obj['init_bash'] === 'string' && obj['init_bash'].trim() !== '') initBash = obj['init_bash'];
  else if (obj['init_bash'] !== undefined && obj['init_bash'] !== null && obj['init_bash'] !== '') problems.push('init_bash must be a string');

  const env: Record<string, string> = {};
  const rawEnv = obj['env'];
  if (typeof rawEnv === 'object' && rawEnv !== null && !Array.isArray(rawEnv)) {
    for (const [k, v] of Object.entries(rawEnv)) {
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && typeof v === 'string' && !v.includes('\0')) env[k] = v;
      else problems.push(`env.${k}: must be a string under a valid variable name`);
    }
  } else if (rawEnv !== undefined && rawEnv !== null) {
    problems.push('env must be an object of strings');
  }
  return { config: { tags, initBash, env }, problems };
}
