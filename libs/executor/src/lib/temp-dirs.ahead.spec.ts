import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually, job, Scratch } from '../spec-support/executor.fixture';
import { SPARE_DIR_PREFIX, TempDirs } from './temp-dirs.service';

describe('TempDirs makes the next job\'s directory ahead, while a job runs', () => {
  let root: string;
  const spares = () => readdirSync(root).filter((d) => d.startsWith(SPARE_DIR_PREFIX));
  const spareReady = () => eventually(async () => (spares().length === 1 ? spares()[0] : undefined), 'a spare directory');

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'millrace-tempdirs-spec-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('gives the next job the spare under its own name, empty, and makes one more (never two)', async () => {
    const dirs = new TempDirs(root);
    const first = await dirs.create('job-1');
    expect(path.basename(first.root)).toMatch(/^millrace-job-job-1-/);
    const spare = await spareReady();
    const second = await dirs.create('job-2');
    expect(second.root).toBe(path.join(root, `millrace-job-job-2-${spare.slice(SPARE_DIR_PREFIX.length)}`));
    expect(readdirSync(second.root).sort()).toEqual(['meta', 'work']);
    expect(readdirSync(second.work)).toEqual([]);
    expect(readdirSync(second.meta)).toEqual([]);
    const next = await spareReady();
    expect(next).not.toBe(spare);
    await dirs.remove(first);
    await dirs.remove(second);
    await dirs.close();
    expect(readdirSync(root)).toEqual([]);
  });

  it('throws away a spare something wrote into, and a spare that is gone: the job gets a new directory either way', async () => {
    const dirs = new TempDirs(root);
    await dirs.create('job-1');
    const planted = await spareReady();
    writeFileSync(path.join(root, planted, 'work', 'planted.txt'), 'not for the next job');
    const second = await dirs.create('job-2');
    expect(second.root.endsWith(planted.slice(SPARE_DIR_PREFIX.length))).toBe(false);
    expect(existsSync(path.join(root, planted))).toBe(false);
    expect(readdirSync(second.work)).toEqual([]);

    const vanished = await spareReady();
    rmSync(path.join(root, vanished), { recursive: true });
    const third = await dirs.create('job-3');
    expect(readdirSync(third.root).sort()).toEqual(['meta', 'work']);
    await dirs.close();
  });

  it('close() removes the spare, and no more are made after it', async () => {
    const dirs = new TempDirs(root);
    const first = await dirs.create('job-1');
    await spareReady();
    await dirs.close();
    expect(spares()).toEqual([]);
    const late = await dirs.create('job-2');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(spares()).toEqual([]);
    await dirs.remove(first);
    await dirs.remove(late);
    expect(readdirSync(root)).toEqual([]);
  });

  it('with ahead off, makes each directory when asked and nothing more', async () => {
    const dirs = new TempDirs(root, false);
    const dir = await dirs.create('job-1');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readdirSync(root)).toEqual([path.basename(dir.root)]);
    await dirs.remove(dir);
  });
});

describe('the executor runs consecutive jobs in directories made ahead', () => {
  const scratch = new Scratch();
  const executor = scratch.executor();
  afterAll(() => scratch.remove());

  it('each job sees a fresh, empty working directory, and close() leaves nothing behind', async () => {
    const first = await executor.run(job('bash', 'ls -A; echo mine > left-behind.txt; pwd'));
    expect(first).toMatchObject({ success: true });
    const spare = await eventually(async () => scratch.spareDirs()[0], 'a spare directory');
    // The second job runs in the spare: its directory holds only its own script.
    const second = await executor.run(job('bash', 'echo "$(ls -A | tr "\\n" " ")|$(pwd)"', {}, { id: '0b6a3f1e-0000-4000-8000-000000000002' }));
    expect(second).toMatchObject({ success: true });
    const [files, cwd] = String((second as { result: unknown }).result).split('|');
    expect(files).toBe('main.sh ');
    expect(cwd).toBe(path.join(scratch.jobs, `millrace-job-0b6a3f1e-0000-4000-8000-000000000002-${spare.slice(SPARE_DIR_PREFIX.length)}`, 'work'));
    expect(scratch.leftoverJobDirs()).toEqual([]);
    await executor.close();
    expect(scratch.spareDirs()).toEqual([]);
  });
});
