import type { ArgType, ScriptSchema } from '@millrace/contracts';
import { PythonAstRunner } from './python-ast.runner';
import { buildSchema, InferredParam, typeOfValue } from './schema-builder';
import { ScriptAnalysisError, ScriptAnalysisErrorCode } from './script-analysis.error';

const ARG_TYPES: readonly string[] = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'any'];

interface RawParam {
  name: string;
  type: string | null;
  items: string | null;
  has_default: boolean;
  default?: unknown;
}

type RawReply = { params: RawParam[] } | { error: 'syntax' | 'no_main' | 'unsupported'; message: string };

function asArgType(v: unknown): ArgType | undefined {
  return typeof v === 'string' && ARG_TYPES.includes(v) ? (v as ArgType) : undefined;
}

function parseReply(text: string): RawReply {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ScriptAnalysisError(ScriptAnalysisErrorCode.ParserUnavailable, 'the Python signature parser printed something that is not JSON');
  }
  if (typeof value === 'object' && value !== null && ('params' in value || 'error' in value)) return value as RawReply;
  throw new ScriptAnalysisError(ScriptAnalysisErrorCode.ParserUnavailable, 'the Python signature parser gave an unexpected reply');
}

const ERROR_CODES = {
  syntax: ScriptAnalysisErrorCode.SyntaxError,
  no_main: ScriptAnalysisErrorCode.NoMain,
  unsupported: ScriptAnalysisErrorCode.UnsupportedSignature,
} as const;

/** Infers the argument schema of a Python script from `def main(...)`, via `ast` in python3. */
export async function inferPythonSchema(content: string, runner: PythonAstRunner): Promise<ScriptSchema> {
  const reply = parseReply(await runner.run(content));
  if ('error' in reply) {
    throw new ScriptAnalysisError(ERROR_CODES[reply.error] ?? ScriptAnalysisErrorCode.ParserUnavailable, String(reply.message));
  }
  const params = reply.params.map((p): InferredParam => {
    const annotated = asArgType(p.type);
    const fromDefault = 'default' in p ? typeOfValue(p.default, true) : undefined;
    const type = annotated ?? fromDefault?.type ?? 'any';
    const items = annotated ? asArgType(p.items) : fromDefault?.items;
    return { name: p.name, type, items, optional: p.has_default, ...('default' in p ? { default: p.default } : {}) };
  });
  return buildSchema(params);
}
