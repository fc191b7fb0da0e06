import { BadRequestException, HttpException, Injectable, ServiceUnavailableException, UnprocessableEntityException } from '@nestjs/common';
import { AnalyzedScript, analyzeScript, PythonAstRunner, ScriptAnalysisError, ScriptAnalysisErrorCode } from '@millrace/script-schema';
import type { ScriptLanguage } from '@millrace/tags';
import { GatewayConfig } from '../config/api-gateway.config';

/**
 * Reads a script's `main` signature and compiles it when workers need JavaScript. Owns the
 * python3 subprocess runner (time-limited, bounded concurrency) behind one injectable.
 */
@Injectable()
export class ScriptAnalyzer {
  private readonly python: PythonAstRunner;

  constructor(config: GatewayConfig) {
    this.python = new PythonAstRunner({ pythonBin: config.PYTHON_BIN, timeoutMs: config.SCRIPT_ANALYSIS_TIMEOUT_MS });
  }

  async analyze(language: ScriptLanguage, content: string): Promise<AnalyzedScript> {
    try {
      return await analyzeScript(language, content, this.python);
    } catch (e) {
      if (e instanceof ScriptAnalysisError) throw toHttp(e);
      throw e;
    }
  }
}

function toHttp(e: ScriptAnalysisError): HttpException {
  switch (e.code) {
    case ScriptAnalysisErrorCode.SyntaxError:
    case ScriptAnalysisErrorCode.NoMain:
    case ScriptAnalysisErrorCode.UnsupportedSignature:
      return new BadRequestException(`content: ${e.message}`);
    case ScriptAnalysisErrorCode.TooComplex:
      return new UnprocessableEntityException(`content: ${e.message}`);
    case ScriptAnalysisErrorCode.ParserUnavailable:
      return new ServiceUnavailableException(`cannot analyse the script right now: ${e.message}`);
  }
}
