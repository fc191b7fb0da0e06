import { randomUUID } from 'node:crypto';
import type { ExecutionResult, ScriptExecutor } from '@millrace/executor';

/** How long a group's init_bash may run before the worker gives up starting. */
const INIT_TIMEOUT_S = 600;

/**
 * Runs the group's `init_bash` once, before the worker takes jobs (installing tools,
 * warming caches). Its output goes to `log`; the result says whether it succeeded.
 */
export function runInitScript(executor: ScriptExecutor, script: string, env: Readonly<Record<string, string>>, workspaceId: string, log: (line: string) => void): Promise<ExecutionResult> {
  return executor.run(
    { id: randomUUID(), workspaceId, language: 'bash', content: script, args: {}, timeoutS: INIT_TIMEOUT_S, token: '', env },
    { onLogs: (chunk) => chunk.split('\n').filter((l) => l.length > 0).forEach(log) },
  );
}
