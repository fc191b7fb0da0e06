import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExecutionErrorCode } from '../execution.error';
import type { ExecutionJob } from '../execution.types';
import type { ExecutorSettings } from '../executor.settings';
import { TOO_LONG } from '../output-tail.util';
import type { JobDirectory } from '../temp-dirs.service';
import type { LanguageRunner, LaunchPlan, ObservedOutput, ProcessExit, RunOutcome } from './language-runner.types';
import { exitFailure, readJsonFile, resultTooLarge } from './result-file.util';

/**
 * bash: the arguments are positional parameters in schema order (`argOrder`, else see
 * `bashArgOrder`). The result is the JSON in
 * `./result.json` when the script wrote one, else its last stdout line (JSON when it parses,
 * else the string).
 */
export class BashRunner implements LanguageRunner {
  async prepare(job: ExecutionJob, dir: JobDirectory, settings: ExecutorSettings): Promise<LaunchPlan> {
    const script = path.join(dir.work, 'main.sh');
    writeFileSync(script, job.content);
    const order = job.argOrder ?? bashArgOrder(job.content, job.args);
    return { command: settings.bashCommand, args: [script, ...order.map((name) => positional(job.args[name]))], env: {} };
  }

  async interpret(exit: ProcessExit, dir: JobDirectory, output: ObservedOutput, settings: ExecutorSettings): Promise<RunOutcome> {
    if (exit.code !== 0) return exitFailure(exit, output, 'bash');
    const file = await readJsonFile(path.join(dir.work, 'result.json'), settings.maxResultBytes);
    switch (file.kind) {
      case 'ok':
        return { success: true, result: file.value };
      case 'too-large':
        return resultTooLarge(file.bytes, settings.maxResultBytes);
      case 'invalid':
        return { success: false, error: { name: ExecutionErrorCode.InvalidResult, message: `result.json is not valid JSON: ${file.message}` } };
      case 'absent':
        return fromLastLine(output.stdoutLastLine, settings.maxResultBytes);
    }
  }
}

/** `name="$1"`, `name=$1`, `name="${1}"`, `name="${1:-default}"` at the start of a line. */
const POSITIONAL_ASSIGNMENT = /^(?:export\s+|readonly\s+|declare\s+)?([A-Za-z_][A-Za-z0-9_]*)=(["']?)\$(?:(\d)|\{(\d+)(?::?-[^}]*)?\})\2\s*(?:;\s*)?(?:#.*)?$/;

/**
 * Without an explicit order: the names the script assigns from `$1`, `$2`, … (the way the
 * gateway infers a bash schema, @millrace/script-schema `inferBashSchema`), then any other
 * args in key order. The key order alone is not enough: args stored as jsonb come back
 * with their keys re-sorted (shortest first), not in the order they were given.
 */
export function bashArgOrder(content: string, args: Record<string, unknown>): string[] {
  const byIndex = new Map<number, string>();
  for (const line of content.split(/\r?\n/)) {
    const m = POSITIONAL_ASSIGNMENT.exec(line);
    const name = m?.[1];
    if (!m || name === undefined || m[2] === "'") continue; // '$1' in single quotes is a literal
    const index = Number(m[3] ?? m[4]);
    if (index > 0 && !byIndex.has(index)) byIndex.set(index, name);
  }
  const order: string[] = [];
  const highest = Math.max(0, ...byIndex.keys());
  for (let i = 1; i <= highest; i++) order.push(byIndex.get(i) ?? '');
  const named = new Set(order);
  return [...order, ...Object.keys(args).filter((k) => !named.has(k))];
}

function positional(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function fromLastLine(line: string, maxBytes: number): RunOutcome {
  if (line === TOO_LONG) return resultTooLarge(maxBytes + 1, maxBytes);
  const bytes = Buffer.byteLength(line);
  if (bytes > maxBytes) return resultTooLarge(bytes, maxBytes);
  if (line.trim() === '') return { success: true, result: null };
  try {
    return { success: true, result: JSON.parse(line) as unknown };
  } catch {
    return { success: true, result: line };
  }
}
