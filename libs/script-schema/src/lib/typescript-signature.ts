import type { ArgType, ScriptSchema } from '@millrace/contracts';
import * as ts from 'typescript';
import { buildSchema, InferredParam, typeOfValue } from './schema-builder';
import { ScriptAnalysisError, ScriptAnalysisErrorCode } from './script-analysis.error';

export type JsLanguage = 'typescript' | 'nodejs';

/**
 * What workers run: CommonJS for Node 20, so `exports.main` is there to call whatever
 * module syntax the author used. Type-only constructs are erased, nothing is type-checked
 * (the author's imports are not available here).
 */
const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  sourceMap: false,
  inlineSourceMap: false,
  removeComments: false,
};

const MAX_DIAGNOSTICS = 5;

function fileNameOf(language: JsLanguage): string {
  return language === 'typescript' ? 'main.ts' : 'main.js';
}

function formatDiagnostics(diagnostics: readonly ts.Diagnostic[]): string {
  const lines = diagnostics.slice(0, MAX_DIAGNOSTICS).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (!d.file || d.start === undefined) return text;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}:${line + 1}:${character + 1}: ${text}`;
  });
  const more = diagnostics.length > MAX_DIAGNOSTICS ? ` (and ${diagnostics.length - MAX_DIAGNOSTICS} more)` : '';
  return lines.join('; ') + more;
}

/**
 * Compiles TypeScript or JavaScript to CommonJS JavaScript; syntax errors (as the compiler
 * words them, with line and column) are a ScriptAnalysisError.
 */
export function compileToCommonJs(content: string, language: JsLanguage): string {
  const out = ts.transpileModule(content, { fileName: fileNameOf(language), reportDiagnostics: true, compilerOptions: COMPILER_OPTIONS });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    throw new ScriptAnalysisError(ScriptAnalysisErrorCode.SyntaxError, formatDiagnostics(errors));
  }
  return out.outputText;
}

type FunctionLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction;

function unwrapExpression(e: ts.Expression): ts.Expression {
  let cur = e;
  while (ts.isParenthesizedExpression(cur) || ts.isAsExpression(cur) || ts.isSatisfiesExpression(cur) || ts.isTypeAssertionExpression(cur)) cur = cur.expression;
  return cur;
}

function asFunction(e: ts.Expression | undefined): FunctionLike | undefined {
  if (!e) return undefined;
  const inner = unwrapExpression(e);
  return ts.isArrowFunction(inner) || ts.isFunctionExpression(inner) ? inner : undefined;
}

/** `exports.main = …` or `module.exports.main = …` (CommonJS authors). */
function isExportsMain(e: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(e) || e.name.text !== 'main') return false;
  const target = e.expression;
  if (ts.isIdentifier(target)) return target.text === 'exports';
  return ts.isPropertyAccessExpression(target) && ts.isIdentifier(target.expression) && target.expression.text === 'module' && target.name.text === 'exports';
}

/** The last top-level definition of `main` wins, as it does when the module runs. */
function findMain(sf: ts.SourceFile): FunctionLike | undefined {
  let found: FunctionLike | undefined;
  for (const stmt of sf.statements) {
    if (ts.isFunctionDeclaration(stmt) && stmt.name?.text === 'main' && stmt.body) {
      found = stmt;
    } else if (ts.isVariableStatement(stmt)) {
      for (const decl of stmt.declarationList.declarations) {
        if (ts.isIdentifier(decl.name) && decl.name.text === 'main') found = asFunction(decl.initializer) ?? found;
      }
    } else if (ts.isExpressionStatement(stmt) && ts.isBinaryExpression(stmt.expression) && stmt.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken && isExportsMain(stmt.expression.left)) {
      found = asFunction(stmt.expression.right) ?? found;
    }
  }
  return found;
}

type Local = ts.TypeAliasDeclaration | ts.InterfaceDeclaration | ts.ClassDeclaration | ts.EnumDeclaration;

function collectLocals(sf: ts.SourceFile): Map<string, Local> {
  const locals = new Map<string, Local>();
  for (const stmt of sf.statements) {
    if ((ts.isTypeAliasDeclaration(stmt) || ts.isInterfaceDeclaration(stmt) || ts.isEnumDeclaration(stmt)) || (ts.isClassDeclaration(stmt) && stmt.name)) {
      if (stmt.name) locals.set(stmt.name.text, stmt);
    }
  }
  return locals;
}

interface TypeInfo {
  type: ArgType | 'null' | 'undefined';
  items?: ArgType;
  /** A union that includes `undefined`: the argument may be left out. */
  omissible?: boolean;
}

const NAMED_TYPES: Record<string, ArgType> = {
  String: 'string',
  Number: 'number',
  Boolean: 'boolean',
  Date: 'string',
  Object: 'object',
  Record: 'object',
  Map: 'object',
  Partial: 'object',
  Required: 'object',
  Readonly: 'object',
  Pick: 'object',
  Omit: 'object',
};

const MAX_ALIAS_DEPTH = 10;

/** Syntactic mapping of a type annotation to a JSON type: no checker, the file alone. */
class TypeMapper {
  constructor(private readonly locals: Map<string, Local>) {}

  map(node: ts.TypeNode, depth = 0): TypeInfo {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: 'string' };
      case ts.SyntaxKind.NumberKeyword:
        return { type: 'number' };
      case ts.SyntaxKind.BigIntKeyword:
        return { type: 'integer' };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.ObjectKeyword:
      case ts.SyntaxKind.TypeLiteral:
      case ts.SyntaxKind.MappedType:
        return { type: 'object' };
      case ts.SyntaxKind.UndefinedKeyword:
      case ts.SyntaxKind.VoidKeyword:
        return { type: 'undefined' };
      case ts.SyntaxKind.TupleType:
        return { type: 'array' };
      default:
        break;
    }
    if (ts.isLiteralTypeNode(node)) return this.literal(node.literal);
    if (ts.isArrayTypeNode(node)) return this.array(node.elementType, depth);
    if (ts.isParenthesizedTypeNode(node)) return this.map(node.type, depth);
    if (ts.isTypeOperatorNode(node)) return this.map(node.type, depth);
    if (ts.isUnionTypeNode(node)) return unionOf(node.types.map((t) => this.map(t, depth)));
    if (ts.isJSDocNullableType(node) || ts.isJSDocNonNullableType(node)) return this.map(node.type, depth);
    if (ts.isJSDocOptionalType(node)) return unionOf([this.map(node.type, depth), { type: 'undefined' }]);
    if (ts.isTypeReferenceNode(node)) return this.reference(node, depth);
    return { type: 'any' };
  }

  private literal(lit: ts.LiteralTypeNode['literal']): TypeInfo {
    switch (lit.kind) {
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
        return { type: 'string' };
      case ts.SyntaxKind.NumericLiteral:
      case ts.SyntaxKind.PrefixUnaryExpression:
        return { type: 'number' };
      case ts.SyntaxKind.TrueKeyword:
      case ts.SyntaxKind.FalseKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.NullKeyword:
        return { type: 'null' };
      default:
        return { type: 'any' };
    }
  }

  private array(element: ts.TypeNode | undefined, depth: number): TypeInfo {
    const item = element ? this.map(element, depth).type : 'any';
    return item === 'any' || item === 'null' || item === 'undefined' ? { type: 'array' } : { type: 'array', items: item };
  }

  private reference(node: ts.TypeReferenceNode, depth: number): TypeInfo {
    const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
    if (name === 'Array' || name === 'ReadonlyArray' || name === 'Set') return this.array(node.typeArguments?.[0], depth);
    const named = NAMED_TYPES[name];
    if (named) return { type: named };
    const local = ts.isIdentifier(node.typeName) ? this.locals.get(name) : undefined;
    if (!local || depth >= MAX_ALIAS_DEPTH) return { type: 'any' };
    if (ts.isTypeAliasDeclaration(local)) return this.map(local.type, depth + 1);
    if (ts.isEnumDeclaration(local)) {
      const allStrings = local.members.length > 0 && local.members.every((m) => m.initializer !== undefined && ts.isStringLiteralLike(m.initializer));
      return { type: allStrings ? 'string' : 'number' };
    }
    return { type: 'object' };
  }
}

function unionOf(parts: TypeInfo[]): TypeInfo {
  const hasUndefined = parts.some((p) => p.type === 'undefined');
  const concrete = parts.filter((p): p is TypeInfo & { type: ArgType } => p.type !== 'undefined' && p.type !== 'null');
  const types = new Set(concrete.map((p) => p.type));
  const [first] = concrete;
  let merged: TypeInfo;
  if (types.size === 1 && first) {
    const items = new Set(concrete.map((p) => p.items));
    merged = items.size === 1 ? first : { type: first.type };
  } else if (types.size === 2 && types.has('integer') && types.has('number')) {
    merged = { type: 'number' };
  } else {
    merged = { type: 'any' };
  }
  // Only `undefined` makes an argument omissible; `null` still has to be passed.
  return hasUndefined ? { ...merged, omissible: true } : merged;
}

function acceptsUndefined(info: TypeInfo): boolean {
  return info.type === 'undefined' || info.omissible === true;
}

const NOT_LITERAL = Symbol('not-literal');

/** A default written as a JSON literal; anything computed is unknown at analysis time. */
function literalValue(e: ts.Expression): unknown {
  const x = unwrapExpression(e);
  if (ts.isStringLiteral(x) || ts.isNoSubstitutionTemplateLiteral(x)) return x.text;
  if (ts.isNumericLiteral(x)) return Number(x.text);
  if (ts.isPrefixUnaryExpression(x) && ts.isNumericLiteral(x.operand)) {
    if (x.operator === ts.SyntaxKind.MinusToken) return -Number(x.operand.text);
    if (x.operator === ts.SyntaxKind.PlusToken) return Number(x.operand.text);
    return NOT_LITERAL;
  }
  if (x.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (x.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (x.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isArrayLiteralExpression(x)) {
    const values = x.elements.map((el) => (ts.isSpreadElement(el) ? NOT_LITERAL : literalValue(el)));
    return values.includes(NOT_LITERAL) ? NOT_LITERAL : values;
  }
  if (ts.isObjectLiteralExpression(x)) {
    const obj: Record<string, unknown> = {};
    for (const prop of x.properties) {
      if (!ts.isPropertyAssignment(prop)) return NOT_LITERAL;
      const key = ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name) || ts.isNumericLiteral(prop.name) ? prop.name.text : undefined;
      const value = literalValue(prop.initializer);
      if (key === undefined || value === NOT_LITERAL) return NOT_LITERAL;
      obj[key] = value;
    }
    return obj;
  }
  return NOT_LITERAL;
}

function paramOf(p: ts.ParameterDeclaration, index: number, mapper: TypeMapper, isJs: boolean): InferredParam | undefined {
  if (!ts.isIdentifier(p.name)) {
    throw new ScriptAnalysisError(
      ScriptAnalysisErrorCode.UnsupportedSignature,
      `parameter ${index + 1} of main is a destructuring pattern; arguments are passed by name, so give each one its own parameter`,
    );
  }
  const name = p.name.text;
  if (name === 'this') return undefined;
  if (p.dotDotDotToken) {
    throw new ScriptAnalysisError(ScriptAnalysisErrorCode.UnsupportedSignature, `main's rest parameter ...${name} cannot be passed by name; declare each argument`);
  }
  const typeNode = p.type ?? (isJs ? ts.getJSDocType(p) : undefined);
  const info = typeNode ? mapper.map(typeNode) : undefined;
  const value = p.initializer ? literalValue(p.initializer) : NOT_LITERAL;
  const hasDefault = value !== NOT_LITERAL;
  const fromDefault = hasDefault ? typeOfValue(value, false) : undefined;
  let type: ArgType = 'any';
  let items: ArgType | undefined;
  if (info && info.type !== 'null' && info.type !== 'undefined') {
    type = info.type;
    items = info.items;
  } else if (fromDefault) {
    type = fromDefault.type;
    items = fromDefault.items;
  }
  const optional = p.questionToken !== undefined || p.initializer !== undefined || (info !== undefined && acceptsUndefined(info));
  return { name, type, items, optional, ...(hasDefault ? { default: value } : {}) };
}

/** Infers the argument schema from `main`'s parameters (TypeScript or JavaScript with JSDoc). */
export function inferJsSchema(content: string, language: JsLanguage): ScriptSchema {
  const isJs = language === 'nodejs';
  const sf = ts.createSourceFile(fileNameOf(language), content, ts.ScriptTarget.Latest, true, isJs ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const main = findMain(sf);
  if (!main) {
    throw new ScriptAnalysisError(ScriptAnalysisErrorCode.NoMain, `no main function: declare one at the top level, e.g. \`export async function main(name: string) { … }\``);
  }
  const mapper = new TypeMapper(collectLocals(sf));
  const params = main.parameters.map((p, i) => paramOf(p, i, mapper, isJs)).filter((p): p is InferredParam => p !== undefined);
  return buildSchema(params);
}
