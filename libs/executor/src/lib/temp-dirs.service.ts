import { mkdirSync, mkdtempSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A job's private directory: `work` is the script's cwd, `meta` holds wrapper files. */
export interface JobDirectory {
  root: string;
  work: string;
  meta: string;
}

/**
 * Entries removed synchronously before handing the rest of a job directory to an async
 * recursive `rm`: a typical job leaves a few files, a big one (a cloned repo, node_modules)
 * must not block the event loop while it is deleted.
 */
export const SYNC_REMOVE_BUDGET = 64;

/**
 * Creates and removes per-job temporary directories.
 *
 * The calls are synchronous where the work is small and bounded (three mkdirs; deleting a
 * directory of a few entries). Each async fs call is a hop through libuv's thread pool and back,
 * and on a busy machine every hop waits to be scheduled: bench:fleet traced 1–3 ms per
 * mkdir/rm there, against 30–300 µs for the same call made synchronously, on the path
 * between one job's exit and the next one's start.
 */
export class TempDirs {
  /** `root` defaults to the OS temporary directory. */
  constructor(private readonly root: string = tmpdir()) {}

  async create(jobId: string): Promise<JobDirectory> {
    // The job id only makes directories recognisable; mkdtemp's suffix makes them unique.
    const safeId = jobId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 36);
    const root = mkdtempSync(path.join(this.root, `millrace-job-${safeId}-`));
    const dir = { root, work: path.join(root, 'work'), meta: path.join(root, 'meta') };
    mkdirSync(dir.work);
    mkdirSync(dir.meta);
    return dir;
  }

  async remove(dir: JobDirectory): Promise<void> {
    if (removeSmallTree(dir.root, { left: SYNC_REMOVE_BUDGET })) return;
    await rm(dir.root, { recursive: true, force: true, maxRetries: 3 });
  }
}

/**
 * Deletes `dir` synchronously if it holds at most `budget.left` entries (symlinks are unlinked,
 * never followed). False when it holds more or anything fails: what is left is then for the
 * caller's recursive `rm`.
 */
function removeSmallTree(dir: string, budget: { left: number }): boolean {
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (--budget.left < 0) return false;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!removeSmallTree(p, budget)) return false;
      } else {
        unlinkSync(p);
      }
    }
    rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}
