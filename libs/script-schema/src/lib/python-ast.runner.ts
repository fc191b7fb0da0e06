import { spawn } from 'node:child_process';
import { PYTHON_SIGNATURE_SCRIPT } from './python-ast.script';
import { ScriptAnalysisError, ScriptAnalysisErrorCode } from './script-analysis.error';

export interface PythonAstRunnerOptions {
  /** The interpreter; `python3` from PATH by default. */
  pythonBin?: string;
  /** Kill the parser after this long (a pathological script must not hold a request). */
  timeoutMs?: number;
  /** Parsers running at once; more wait, so a burst of creates cannot fork without bound. */
  maxConcurrent?: number;
}

const MAX_OUTPUT_BYTES = 1024 * 1024;

/** Runs the signature parser in a `python3` subprocess and returns its JSON reply, unparsed. */
export class PythonAstRunner {
  private readonly pythonBin: string;
  private readonly timeoutMs: number;
  private readonly maxConcurrent: number;
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(options: PythonAstRunnerOptions = {}) {
    this.pythonBin = options.pythonBin ?? 'python3';
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.maxConcurrent = options.maxConcurrent ?? 4;
  }

  async run(source: string): Promise<string> {
    await this.acquire();
    try {
      return await this.spawnOnce(source);
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  private spawnOnce(source: string): Promise<string> {
    return new Promise((resolve, reject) => {
      // -I: ignore PYTHON* variables and the user's site dir; -S: no site hooks at start-up.
      const child = spawn(this.pythonBin, ['-I', '-S', '-c', PYTHON_SIGNATURE_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
      const stdout: Buffer[] = [];
      let stdoutBytes = 0;
      let stderr = '';
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, this.timeoutMs);
      child.stdout.on('data', (d: Buffer) => {
        stdoutBytes += d.length;
        if (stdoutBytes > MAX_OUTPUT_BYTES) child.kill('SIGKILL');
        else stdout.push(d);
      });
      child.stderr.on('data', (d: Buffer) => {
        if (stderr.length < 2000) stderr += d.toString();
      });
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      // A failed spawn (no interpreter) may never emit 'close': settle on 'error' too.
      child.on('error', (err) => {
        settle(() => reject(new ScriptAnalysisError(ScriptAnalysisErrorCode.ParserUnavailable, `cannot run ${this.pythonBin} to read the Python signature: ${err.message}`)));
      });
      // A parser that dies early closes stdin under us; its exit status tells the story.
      child.stdin.on('error', () => undefined);
      child.on('close', (code, signal) => {
        settle(() => {
          if (timedOut) {
            reject(new ScriptAnalysisError(ScriptAnalysisErrorCode.TooComplex, `the Python parser did not finish within ${this.timeoutMs} ms`));
          } else if (code !== 0 || stdoutBytes > MAX_OUTPUT_BYTES) {
            const why = signal ? `was killed (${signal})` : `exited with ${code}`;
            reject(new ScriptAnalysisError(ScriptAnalysisErrorCode.ParserUnavailable, `the Python signature parser ${why}: ${stderr.trim().slice(0, 500)}`));
          } else {
            resolve(Buffer.concat(stdout).toString('utf8'));
          }
        });
      });
      child.stdin.end(source, 'utf8');
    });
  }
}
