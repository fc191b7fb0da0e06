import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
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

/** A directory made ahead for the next job is named this, then renamed to the job's when taken. */
export const SPARE_DIR_PREFIX = 'millrace-job-next-';

/**
 * Creates and removes per-job temporary directories.
 *
 * The calls are synchronous where the work is small and bounded (three mkdirs; deleting a
 * directory of a few entries). Each async fs call is a hop through libuv's thread pool and back,
 * and on a busy machine every hop waits to be scheduled: bench:fleet traced 1–3 ms per
 * mkdir/rm there, against 30–300 µs for the same call made synchronously, on the path
 * between one job's exit and the next one's start.
 *
 * Making directories is still the slow part of that path where the filesystem is busy: a new
 * inode can wait for the journal commit another process's fsync started (bench:fleet, with
 * PostgreSQL's WAL on the same ext4 as /tmp: 566 µs per mkdir for the agent-worker, whose
 * broker commits while it starts the next job, against 40 µs for the normal worker). So each
 * job's directory is made one job ahead (`ahead`, on by default): after a job takes its
 * directory, the next one is made in the background (thread pool, off the event loop) while
 * that job runs, and the next `create` only renames it — if it is ready and still empty;
 * otherwise `create` makes one at once as before. At most one such spare directory exists per
 * instance; `close()` removes it, and so does the process's exit.
 */
export class TempDirs {
  private spare: JobDirectory | null = null;
  private making: Promise<void> | null = null;
  private closed = false;

  /** `root` defaults to the OS temporary directory. */
  constructor(
    private readonly root: string = tmpdir(),
    private readonly ahead = true,
  ) {}

  async create(jobId: string): Promise<JobDirectory> {
    // The job id only makes directories recognisable; mkdtemp's suffix makes them unique.
    const safeId = jobId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 36);
    const dir = this.takeSpare(safeId) ?? this.makeNow(safeId);
    // After this turn: the job's own files and its start go first.
    if (this.ahead && !this.closed) setImmediate(() => this.makeSpare());
    return dir;
  }

  async remove(dir: JobDirectory): Promise<void> {
    if (removeSmallTree(dir.root, { left: SYNC_REMOVE_BUDGET })) return;
    await rm(dir.root, { recursive: true, force: true, maxRetries: 3 });
  }

  /** Removes the directory made ahead, if any; no more are made. */
  async close(): Promise<void> {
    this.closed = true;
    await this.making;
    const spare = this.spare;
    this.spare = null;
    if (spare) discard(spare.root);
  }

  private makeNow(safeId: string): JobDirectory {
    const root = mkdtempSync(path.join(this.root, `millrace-job-${safeId}-`));
    const dir = directoryAt(root);
    mkdirSync(dir.work);
    mkdirSync(dir.meta);
    return dir;
  }

  /**
   * The spare directory under the job's name (`millrace-job-<id>-<its unique suffix>`), or
   * null if there is none ready or it is not as it was made (anything inside `work` or `meta`:
   * it is then deleted, and the job gets a new one).
   */
  private takeSpare(safeId: string): JobDirectory | null {
    const spare = this.spare;
    if (!spare) return null;
    this.spare = null;
    try {
      if (readdirSync(spare.work).length > 0 || readdirSync(spare.meta).length > 0) throw new Error('not empty');
      const root = path.join(this.root, `millrace-job-${safeId}-${path.basename(spare.root).slice(SPARE_DIR_PREFIX.length)}`);
      renameSync(spare.root, root);
      leftAtExit.delete(spare.root);
      return directoryAt(root);
    } catch {
      discard(spare.root);
      return null;
    }
  }

  /** Makes the next job's directory in the background, unless one exists or is being made. */
  private makeSpare(): void {
    if (this.closed || this.spare || this.making) return;
    this.making = (async () => {
      const root = await mkdtemp(path.join(this.root, SPARE_DIR_PREFIX));
      removeAtExit(root);
      const dir = directoryAt(root);
      try {
        await mkdir(dir.work);
        await mkdir(dir.meta);
      } catch {
        discard(root);
        return;
      }
      if (this.closed) discard(root);
      else this.spare = dir;
    })()
      // Nothing made (the root is gone or full): the next job makes its directory itself.
      .catch(() => undefined)
      .finally(() => (this.making = null));
  }
}

function directoryAt(root: string): JobDirectory {
  return { root, work: path.join(root, 'work'), meta: path.join(root, 'meta') };
}

/** Spare directories not taken yet: removed when the process exits (a worker's clean stop). */
const leftAtExit = new Set<string>();
let exitHooked = false;

function removeAtExit(dir: string): void {
  leftAtExit.add(dir);
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const d of leftAtExit) rmSync(d, { recursive: true, force: true });
  });
}

function discard(dir: string): void {
  leftAtExit.delete(dir);
  rmSync(dir, { recursive: true, force: true });
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
