import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ExecutionJob, ExecutorSettings, ScriptLanguage } from '../index';
import { ScriptExecutor } from '../index';

/** A job with test defaults. */
export function job(language: ScriptLanguage, content: string, args: Record<string, unknown> = {}, extra: Partial<ExecutionJob> = {}): ExecutionJob {
  return { id: '0b6a3f1e-0000-4000-8000-000000000001', workspaceId: 'test-ws', token: 'job-token-1', language, content, args, ...extra };
}

/** A scratch directory for one spec file: job directories go under `jobs`. */
export class Scratch {
  readonly root = mkdtempSync(path.join(tmpdir(), 'millrace-executor-spec-'));
  readonly jobs = path.join(this.root, 'jobs');

  constructor() {
    mkdirSync(this.jobs);
  }

  executor(settings: Partial<ExecutorSettings> = {}): ScriptExecutor {
    return new ScriptExecutor({ path: process.env['PATH'] ?? '', tempRoot: this.jobs, logFlushIntervalMs: 50, ...settings });
  }

  leftoverJobDirs(): string[] {
    return readdirSync(this.jobs);
  }

  read(name: string): string {
    return readFileSync(path.join(this.root, name), 'utf8');
  }

  file(name: string): string {
    return path.join(this.root, name);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export { eventually, isAlive } from '@millrace/testing';
