export * from './lib/script-analysis.error';
export * from './lib/schema-builder';
export * from './lib/typescript-signature';
export * from './lib/python-ast.runner';
export * from './lib/python-signature';
export * from './lib/bash-signature';
export * from './lib/analyze-script';
