import { spawnBuiltApp, testDatabaseUrl, waitForExit } from '@millrace/testing';
import type { ChildProcess } from 'node:child_process';

export interface RunningJobQueue {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the built job-queue (`dist/apps/job-queue/main.js`, built by this project's test
 * target) as a real process on this test file's database, trusting `publicKeyPem`.
 */
export async function startBuiltJobQueue(publicKeyPem: string): Promise<RunningJobQueue> {
  const child: ChildProcess = spawnBuiltApp('job-queue', {
    DATABASE_URL: testDatabaseUrl(),
    JWT_PUBLIC_KEY: publicKeyPem,
    PORT: '0',
    DB_POOL_MAX: '3',
    DB_SKIP_MIGRATIONS: 'true',
    LOG_LEVEL: 'info',
  });
  const exited = waitForExit(child, 120_000);
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d.toString();
      const m = /listening on port (\d+)/.exec(seen);
      if (m) {
        child.stdout?.off('data', onData);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    void exited.then((r) => reject(new Error(`job-queue exited (${r.code}) before listening: ${r.stderr.slice(-1000)} ${seen.slice(-1000)}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
