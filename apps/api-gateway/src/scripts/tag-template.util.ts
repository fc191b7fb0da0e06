import type { ScriptSchema } from '@millrace/contracts';
import { isValidTag } from '@millrace/tags';

const DYNAMIC_PART = /\$workspace|\$args\[(\w+)\]/g;

/**
 * Problems with a script's tag template, found at save time rather than at every run:
 * characters a resolved tag cannot hold, or `$args[name]` naming no parameter of main.
 */
export function tagTemplateProblem(template: string, schema: ScriptSchema): string | undefined {
  const unknown: string[] = [];
  const sample = template.replace(DYNAMIC_PART, (_whole, name: string | undefined) => {
    if (name !== undefined && !Object.prototype.hasOwnProperty.call(schema.properties, name)) unknown.push(name);
    return 'x';
  });
  if (unknown.length > 0) return `tag ${JSON.stringify(template)} uses $args[${unknown[0]}], but main has no parameter "${unknown[0]}"`;
  if (!isValidTag(sample)) return `tag ${JSON.stringify(template)} is not valid: a tag is 1-100 characters of A-Z a-z 0-9 _ . : - and may hold $workspace and $args[name]`;
  return undefined;
}
