import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A job's private directory: `work` is the script's cwd, `meta` holds wrapper files. */
export interface JobDirectory {
  root: string;
  work: string;
  meta: string;
}

/** Creates and removes per-job temporary directories. */
export class TempDirs {
  /** `root` defaults to the OS temporary directory. */
  constructor(private readonly root: string = tmpdir()) {}

  async create(jobId: string): Promise<JobDirectory> {
    // The job id only makes directories recognisable; mkdtemp's suffix makes them unique.
    const safeId = jobId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 36);
    const root = await mkdtemp(path.join(this.root, `millrace-job-${safeId}-`));
    const dir = { root, work: path.join(root, 'work'), meta: path.join(root, 'meta') };
    await mkdir(dir.work);
    await mkdir(dir.meta);
    return dir;
  }

  async remove(dir: JobDirectory): Promise<void> {
    await rm(dir.root, { recursive: true, force: true, maxRetries: 3 });
  }
}
