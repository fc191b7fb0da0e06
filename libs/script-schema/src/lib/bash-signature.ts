import type { ScriptSchema } from '@millrace/contracts';
import { buildSchema, InferredParam } from './schema-builder';
import { ScriptAnalysisError, ScriptAnalysisErrorCode } from './script-analysis.error';

/**
 * `name="$1"`, `name=$1`, `name="${1}"`, `name="${1:-default}"` (quotes optional) at the
 * start of a line. Indented lines are left alone: inside a function `$1` is the function's.
 */
const ASSIGNMENT = /^(?:export\s+|readonly\s+|declare\s+)?([A-Za-z_][A-Za-z0-9_]*)=(["']?)\$(?:(\d)|\{(\d+)(?::?-([^}]*))?\})\2\s*(?:;\s*)?(?:#.*)?$/;

function unquote(text: string): string {
  const m = /^(["'])(.*)\1$/.exec(text);
  return m?.[2] ?? text;
}

/**
 * Infers a bash script's arguments from its positional-parameter assignments. Arguments
 * are passed in order, so they must name $1, $2, … without a gap.
 */
export function inferBashSchema(content: string): ScriptSchema {
  const byIndex = new Map<number, InferredParam>();
  for (const line of content.split(/\r?\n/)) {
    const m = ASSIGNMENT.exec(line);
    const name = m?.[1];
    if (!m || name === undefined || m[2] === "'") continue; // '$1' in single quotes is a literal, not a parameter
    const index = Number(m[3] ?? m[4]);
    if (index === 0 || byIndex.has(index)) continue;
    const defaultText = m[5];
    byIndex.set(index, {
      name,
      type: 'string',
      optional: defaultText !== undefined,
      ...(defaultText !== undefined ? { default: unquote(defaultText) } : {}),
    });
  }
  const params: InferredParam[] = [];
  const highest = Math.max(0, ...byIndex.keys());
  for (let i = 1; i <= highest; i++) {
    const p = byIndex.get(i);
    if (!p) {
      throw new ScriptAnalysisError(ScriptAnalysisErrorCode.UnsupportedSignature, `$${i} is never assigned to a name (e.g. \`arg${i}="$${i}"\`) but $${highest} is; arguments are passed in order`);
    }
    params.push(p);
  }
  return buildSchema(params);
}
