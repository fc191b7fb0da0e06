import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ExecutionJob } from '../execution.types';
import type { ExecutorSettings } from '../executor.settings';
import type { JobDirectory } from '../temp-dirs.service';
import type { LanguageRunner, LaunchPlan, ObservedOutput, ProcessExit, RunOutcome } from './language-runner.types';
import { exitFailure, readJsonFile, readWrapperError, resultTooLarge } from './result-file.util';

export interface WrappedLanguage {
  /** Shown in error messages: "python3 exited with code 2". */
  label: string;
  scriptFile: string;
  wrapperFile: string;
  wrapperSource: string;
  command(settings: ExecutorSettings): string;
  env: Record<string, string>;
}

/**
 * Languages whose script defines `main`: a wrapper calls it and writes the result (or the
 * error) to files in the job's `meta` directory, away from the script's working directory.
 */
export class WrappedRunner implements LanguageRunner {
  constructor(private readonly language: WrappedLanguage) {}

  async prepare(job: ExecutionJob, dir: JobDirectory, settings: ExecutorSettings): Promise<LaunchPlan> {
    const script = path.join(dir.work, this.language.scriptFile);
    const wrapper = path.join(dir.meta, this.language.wrapperFile);
    const call = path.join(dir.meta, 'call.json');
    writeFileSync(script, job.content);
    writeFileSync(wrapper, this.language.wrapperSource);
    writeFileSync(call, JSON.stringify({ args: job.args, argOrder: job.argOrder ?? null }));
    return {
      command: this.language.command(settings),
      args: [wrapper, script, call, resultPath(dir), errorPath(dir)],
      env: this.language.env,
    };
  }

  async interpret(exit: ProcessExit, dir: JobDirectory, output: ObservedOutput, settings: ExecutorSettings): Promise<RunOutcome> {
    const error = await readWrapperError(errorPath(dir));
    if (error) return { success: false, error };
    if (exit.code !== 0 || exit.signal !== null) return exitFailure(exit, output, this.language.label);
    const file = await readJsonFile(resultPath(dir), settings.maxResultBytes);
    switch (file.kind) {
      case 'ok':
        return { success: true, result: file.value };
      case 'too-large':
        return resultTooLarge(file.bytes, settings.maxResultBytes);
      case 'invalid':
      case 'absent':
        // Only the wrapper writes this file, atomically: it is missing when main never returned.
        return exitFailure(exit, output, this.language.label);
    }
  }
}

function resultPath(dir: JobDirectory): string {
  return path.join(dir.meta, 'result.json');
}

function errorPath(dir: JobDirectory): string {
  return path.join(dir.meta, 'error.json');
}
