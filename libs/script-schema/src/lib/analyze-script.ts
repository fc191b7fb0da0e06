import type { ScriptSchema } from '@millrace/contracts';
import type { ScriptLanguage } from '@millrace/tags';
import { inferBashSchema } from './bash-signature';
import { PythonAstRunner } from './python-ast.runner';
import { inferPythonSchema } from './python-signature';
import { compileToCommonJs, inferJsSchema } from './typescript-signature';

export interface AnalyzedScript {
  schema: ScriptSchema;
  /** What workers run when it differs from the source: CommonJS for TypeScript and JavaScript. */
  compiled: string | null;
}

/**
 * Checks a script, infers its argument schema from `main` and compiles it when workers need
 * it compiled. Throws ScriptAnalysisError naming the problem.
 */
export async function analyzeScript(language: ScriptLanguage, content: string, python: PythonAstRunner): Promise<AnalyzedScript> {
  switch (language) {
    case 'typescript':
    case 'nodejs': {
      // Compiling first reports syntax errors the way the compiler words them.
      const compiled = compileToCommonJs(content, language);
      return { schema: inferJsSchema(content, language), compiled };
    }
    case 'python3':
      return { schema: await inferPythonSchema(content, python), compiled: null };
    case 'bash':
      return { schema: inferBashSchema(content), compiled: null };
  }
}
