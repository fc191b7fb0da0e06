/**
 * The argument schema of a script, inferred from `main`'s signature by the gateway and
 * snapshotted into every push; job-queue validates args against it. A small JSON-Schema
 * subset: what signatures can express.
 */
export type ArgType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'any';

export interface ArgSchema {
  type: ArgType;
  /** JSON default from the signature; an argument with a default is optional. */
  default?: unknown;
  description?: string;
  /** For arrays: the item type when known. */
  items?: { type: ArgType };
}

export interface ScriptSchema {
  $schema?: string;
  type: 'object';
  properties: Record<string, ArgSchema>;
  required: string[];
  /** Parameter order of `main`: bash positional parameters and JS calls follow it. */
  order: string[];
}

export function emptySchema(): ScriptSchema {
  return { type: 'object', properties: {}, required: [], order: [] };
}

function typeOf(value: unknown): ArgType {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'any';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    default:
      return 'any';
  }
}

function accepts(expected: ArgType, value: unknown): boolean {
  if (expected === 'any') return true;
  const actual = typeOf(value);
  if (expected === 'number') return actual === 'number' || actual === 'integer';
  return actual === expected;
}

function withArticle(t: ArgType): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

/**
 * Checks args against a schema: every required argument present, every known argument of
 * the right type. Unknown arguments are refused too (a typo would silently be ignored).
 * Returns the problems, each naming its argument; empty when the args are good.
 */
export function validateArgs(schema: ScriptSchema, args: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const name of schema.required) {
    if (!Object.prototype.hasOwnProperty.call(args, name) || args[name] === undefined) problems.push(`argument "${name}" is required`);
  }
  for (const [name, value] of Object.entries(args)) {
    const spec = schema.properties[name];
    if (!spec) {
      problems.push(`argument "${name}" is not a parameter of main (expected one of: ${schema.order.join(', ') || 'none'})`);
      continue;
    }
    if (value === null && !schema.required.includes(name)) continue;
    if (!accepts(spec.type, value)) problems.push(`argument "${name}" must be ${withArticle(spec.type)}, got ${value === null ? 'null' : typeOf(value)}`);
  }
  return problems;
}
