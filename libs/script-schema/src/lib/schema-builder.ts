import type { ArgSchema, ArgType, ScriptSchema } from '@millrace/contracts';
import { ScriptAnalysisError, ScriptAnalysisErrorCode } from './script-analysis.error';

/** One parameter of `main` as a language analyser sees it. */
export interface InferredParam {
  name: string;
  type: ArgType;
  items?: ArgType;
  /** A caller may leave it out (it has a default, is marked optional, or accepts undefined). */
  optional: boolean;
  /** Present only when the default is a JSON value known at analysis time. */
  default?: unknown;
}

/** The JSON type of a default value, for parameters without a type annotation. */
export function typeOfValue(value: unknown, integersAreDistinct: boolean): { type: ArgType; items?: ArgType } {
  if (Array.isArray(value)) {
    const itemTypes = new Set(value.map((v) => typeOfValue(v, integersAreDistinct).type));
    const [only] = itemTypes;
    return itemTypes.size === 1 && only !== 'any' ? { type: 'array', items: only } : { type: 'array' };
  }
  switch (typeof value) {
    case 'string':
      return { type: 'string' };
    case 'number':
      return { type: integersAreDistinct && Number.isInteger(value) ? 'integer' : 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'object':
      return { type: value === null ? 'any' : 'object' };
    default:
      return { type: 'any' };
  }
}

/** Assembles the schema; a name used twice is refused (args are passed by name). */
export function buildSchema(params: readonly InferredParam[]): ScriptSchema {
  const schema: ScriptSchema = { type: 'object', properties: {}, required: [], order: [] };
  for (const p of params) {
    if (Object.prototype.hasOwnProperty.call(schema.properties, p.name)) {
      throw new ScriptAnalysisError(ScriptAnalysisErrorCode.UnsupportedSignature, `main has two parameters named "${p.name}"`);
    }
    const spec: ArgSchema = { type: p.type };
    if (p.items !== undefined && p.type === 'array') spec.items = { type: p.items };
    if (p.default !== undefined) spec.default = p.default;
    schema.properties[p.name] = spec;
    schema.order.push(p.name);
    if (!p.optional) schema.required.push(p.name);
  }
  return schema;
}
